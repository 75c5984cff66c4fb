"""Aggregates for the lägesbild (bot/services/lagesbild.py): counts only, never a row.

Every function here returns numbers keyed by week, category or grid cell; none of them
selects a reporter, a description, a place text or a photo, so what a caller gets can be
shown to the kommun role (aggregates only). A scope is either kommun codes or group ids.

Weeks are counted from `since`: week 0 is [since, since + 7 days), and so on. The kommun
queries are served by the covering index ``observations_lagesbild`` (migration 0018).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db

# julianday() of a stored timestamp: days as a float; a week index is floor(days / 7).
_WEEK = "CAST((julianday(substr({col}, 1, 23)) - julianday(?)) / 7 AS INTEGER)"


@dataclass(frozen=True)
class ScopeFilter:
    """Which observations count: those of these kommuner, or else of these groups."""

    kommun_codes: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()

    def where(self, alias: str = "") -> tuple[str, tuple[object, ...]]:
        """The SQL condition and its parameters (matches nothing for an empty scope)."""
        if self.kommun_codes:
            marks = ",".join("?" * len(self.kommun_codes))
            return f"{alias}kommun_code IN ({marks})", self.kommun_codes
        if self.group_ids:
            marks = ",".join("?" * len(self.group_ids))
            return f"{alias}group_id IN ({marks})", self.group_ids
        return "0", ()


def _start(since: datetime) -> str:
    return to_db(since)[:23]


async def observations_by_week(
    db: Database, scope: ScopeFilter, since: datetime, until: datetime
) -> dict[tuple[int, str], int]:
    """Observations reported in [since, until): {(week index, category): count}.
    Withdrawn reports are left out."""
    where, params = scope.where()
    rows = await db.fetch_all(
        f"SELECT {_WEEK.format(col='created_at')} AS week, category, COUNT(*)"
        f" FROM observations WHERE {where} AND created_at >= ? AND created_at < ?"
        " AND status != 'withdrawn' GROUP BY week, category",
        (_start(since), *params, to_db(since), to_db(until)),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def category_totals(
    db: Database, scope: ScopeFilter, since: datetime, until: datetime
) -> dict[str, int]:
    """Observations reported in [since, until) per category (withdrawn left out)."""
    where, params = scope.where()
    rows = await db.fetch_all(
        f"SELECT category, COUNT(*) FROM observations WHERE {where}"
        " AND created_at >= ? AND created_at < ? AND status != 'withdrawn' GROUP BY category",
        (*params, to_db(since), to_db(until)),
    )
    return {r[0]: r[1] for r in rows}


async def feed_events_by_week(
    db: Database, kommun_codes: Sequence[str], since: datetime, until: datetime
) -> dict[tuple[int, str], int]:
    """The police's feed events in these kommuner published in [since, until):
    {(week index, feed category): count}; an unknown type counts as 'other'."""
    if not kommun_codes:
        return {}
    marks = ",".join("?" * len(kommun_codes))
    rows = await db.fetch_all(
        f"SELECT {_WEEK.format(col='published_at')} AS week, COALESCE(category, 'other') AS cat,"
        f" COUNT(*) FROM feed_events WHERE kommun_code IN ({marks})"
        " AND published_at >= ? AND published_at < ? GROUP BY week, cat",
        (_start(since), *kommun_codes, to_db(since), to_db(until)),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def cell_counts(
    db: Database,
    scope: ScopeFilter,
    since: datetime | None,
    until: datetime | None,
    lat_step: float,
    lon_step: float,
    origin: tuple[float, float] = (0.0, 0.0),
) -> dict[tuple[int, int], int]:
    """Observations with a location, counted per grid cell: {(row, column): count}, where
    row = floor((latitude - origin[0]) / lat_step) and column = floor((longitude -
    origin[1]) / lon_step) (degrees; rows and columns are negative south and west of
    `origin`). Without a period, every observation ever reported in the scope counts."""
    where, params = scope.where()
    period = ""
    if since is not None and until is not None:
        period = " AND created_at >= ? AND created_at < ?"
        params = (*params, to_db(since), to_db(until))
    # floor(v) = CAST(v AS INTEGER) - (v < CAST(v AS INTEGER)): CAST truncates toward 0.
    rows = await db.fetch_all(
        "SELECT CAST(y AS INTEGER) - (y < CAST(y AS INTEGER)) AS r,"
        " CAST(x AS INTEGER) - (x < CAST(x AS INTEGER)) AS c, COUNT(*)"
        " FROM (SELECT (latitude - ?) / ? AS y, (longitude - ?) / ? AS x FROM observations"
        f" WHERE {where}{period}"
        " AND latitude IS NOT NULL AND longitude IS NOT NULL AND status != 'withdrawn')"
        " GROUP BY r, c",
        (origin[0], lat_step, origin[1], lon_step, *params),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def max_latitude(db: Database, scope: ScopeFilter) -> float | None:
    """The northernmost observation of the scope (to size grid cells at least 500 m wide)."""
    where, params = scope.where()
    value = await db.fetch_value(
        f"SELECT MAX(latitude) FROM observations WHERE {where} AND latitude IS NOT NULL", params
    )
    return float(value) if value is not None else None


async def kommun_scope_codes(db: Database, group_ids: Sequence[int]) -> list[str]:
    """The kommuner of these registered groups (for the police feed of a coordinator)."""
    if not group_ids:
        return []
    rows = await db.fetch_all(
        f"SELECT DISTINCT kommun_code FROM groups WHERE id IN ({','.join('?' * len(group_ids))})"
        " AND kommun_code IS NOT NULL AND registered_at IS NOT NULL ORDER BY kommun_code",
        tuple(group_ids),
    )
    return [r[0] for r in rows]
