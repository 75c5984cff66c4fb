"""Aggregates for the lägesbild (bot/services/lagesbild.py): counts only, never a row.

Every function here returns numbers keyed by week, category or grid cell; none of them
selects a reporter, a description, a place text or a photo, so what a caller gets can be
shown to the kommun role (aggregates only). A scope is either kommun codes or group ids,
and the weekly counts are keyed by the scope's unit too (the kommun or the group), so one
query serves many scopes at once (the Monday round: every kommun in one query).

Weeks are given by their starts (`week_starts`, aware datetimes, first to last): week i
is [week_starts[i], week_starts[i + 1]), the last one ends at `until`. The caller chooses
them (calendar weeks in local time, bot/services/lagesbild_period.py); the SQL only
compares stored UTC strings with their bounds. The kommun queries are served by the
covering index ``observations_lagesbild`` (migration 0018).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db


@dataclass(frozen=True)
class ScopeFilter:
    """Which observations count: those of these kommuner, or else of these groups."""

    kommun_codes: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()

    @property
    def unit(self) -> str:
        """The column the counts are keyed by: kommun_code or group_id."""
        return "group_id" if not self.kommun_codes and self.group_ids else "kommun_code"

    def where(self, alias: str = "") -> tuple[str, tuple[object, ...]]:
        """The SQL condition and its parameters (matches nothing for an empty scope)."""
        if self.kommun_codes:
            marks = ",".join("?" * len(self.kommun_codes))
            return f"{alias}kommun_code IN ({marks})", self.kommun_codes
        if self.group_ids:
            marks = ",".join("?" * len(self.group_ids))
            return f"{alias}group_id IN ({marks})", self.group_ids
        return "0", ()


def _week_index(column: str, week_starts: Sequence[datetime]) -> tuple[str, tuple[str, ...]]:
    """SQL giving the index of the week `column` falls in (for rows already limited to
    [week_starts[0], until)), and its parameters: the later weeks' starts."""
    if len(week_starts) <= 1:
        return "0", ()
    whens = " ".join(f"WHEN {column} < ? THEN {i}" for i in range(len(week_starts) - 1))
    return f"CASE {whens} ELSE {len(week_starts) - 1} END", tuple(to_db(s) for s in week_starts[1:])


async def observations_by_week(
    db: Database, scope: ScopeFilter, week_starts: Sequence[datetime], until: datetime
) -> dict[tuple[object, int, str], int]:
    """Observations reported in [week_starts[0], until): {(unit, week index, category):
    count}, unit being the kommun code or group id (ScopeFilter.unit). Withdrawn reports
    are left out."""
    where, params = scope.where()
    week, bounds = _week_index("created_at", week_starts)
    rows = await db.fetch_all(
        f"SELECT {scope.unit}, {week} AS week, category, COUNT(*)"
        f" FROM observations WHERE {where} AND created_at >= ? AND created_at < ?"
        f" AND status != 'withdrawn' GROUP BY {scope.unit}, week, category",
        (*bounds, *params, to_db(week_starts[0]), to_db(until)),
    )
    return {(r[0], r[1], r[2]): r[3] for r in rows}


async def category_totals(
    db: Database, scope: ScopeFilter, since: datetime, until: datetime
) -> dict[tuple[object, str], int]:
    """Observations reported in [since, until) per unit and category: {(unit, category):
    count} (withdrawn left out)."""
    where, params = scope.where()
    rows = await db.fetch_all(
        f"SELECT {scope.unit}, category, COUNT(*) FROM observations WHERE {where}"
        " AND created_at >= ? AND created_at < ? AND status != 'withdrawn'"
        f" GROUP BY {scope.unit}, category",
        (*params, to_db(since), to_db(until)),
    )
    return {(r[0], r[1]): r[2] for r in rows}


async def feed_events_by_week(
    db: Database, kommun_codes: Sequence[str], week_starts: Sequence[datetime], until: datetime
) -> dict[tuple[str, int, str, str], int]:
    """The police's feed events in these kommuner published in [week_starts[0], until):
    {(kommun code, week index, the feed's own type, our category): count}; an event our
    categories do not know has the category 'other'."""
    if not kommun_codes:
        return {}
    marks = ",".join("?" * len(kommun_codes))
    week, bounds = _week_index("published_at", week_starts)
    rows = await db.fetch_all(
        f"SELECT kommun_code, {week} AS week, type, COALESCE(category, 'other') AS cat,"
        f" COUNT(*) FROM feed_events WHERE kommun_code IN ({marks})"
        " AND published_at >= ? AND published_at < ? GROUP BY kommun_code, week, type, cat",
        (*bounds, *kommun_codes, to_db(week_starts[0]), to_db(until)),
    )
    return {(r[0], r[1], r[2], r[3]): r[4] for r in rows}


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


async def unlocated_count(
    db: Database, scope: ScopeFilter, since: datetime, until: datetime
) -> int:
    """Observations of the period without a location (they cannot be on a map)."""
    where, params = scope.where()
    value = await db.fetch_value(
        f"SELECT COUNT(*) FROM observations WHERE {where}"
        " AND created_at >= ? AND created_at < ?"
        " AND (latitude IS NULL OR longitude IS NULL) AND status != 'withdrawn'",
        (*params, to_db(since), to_db(until)),
    )
    return int(value or 0)


async def max_latitude(db: Database, scope: ScopeFilter) -> float | None:
    """The northernmost observation of the scope (to size grid cells at least 500 m wide)."""
    where, params = scope.where()
    value = await db.fetch_value(
        f"SELECT MAX(latitude) FROM observations WHERE {where} AND latitude IS NOT NULL", params
    )
    return float(value) if value is not None else None


async def group_kommuner(db: Database, group_ids: Sequence[int]) -> dict[int, str]:
    """{group id: kommun code} of these registered groups (a coordinator's police feed is
    that of their groups' kommuner)."""
    if not group_ids:
        return {}
    rows = await db.fetch_all(
        f"SELECT id, kommun_code FROM groups WHERE id IN ({','.join('?' * len(group_ids))})"
        " AND kommun_code IS NOT NULL AND registered_at IS NOT NULL",
        tuple(group_ids),
    )
    return {r[0]: r[1] for r in rows}
