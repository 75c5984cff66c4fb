"""Listings of observations, newest first: a coordinator's groups, a resident's own, a
police officer's inbox of forwards (one line each: `ListItem`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timeutil import from_db_required, to_db


@dataclass(frozen=True)
class ListItem:
    """One line of a listing (coordinator list, police inbox, resident's own list)."""

    id: int
    reference: str
    group_id: int
    category: str
    status: str
    created_at: datetime
    handled: bool = False


def _item(row: aiosqlite.Row, handled: bool = False) -> ListItem:
    return ListItem(
        id=row["id"],
        reference=row["reference"],
        group_id=row["group_id"],
        category=row["category"],
        status=row["status"],
        created_at=from_db_required(row["created_at"]),
        handled=handled,
    )


def _union(select: str, count: int) -> str:
    """`count` copies of an ordered, limited SELECT joined by UNION ALL (each in a subquery,
    where SQLite allows ORDER BY and LIMIT)."""
    return " UNION ALL ".join([f"SELECT * FROM ({select})"] * count)


async def list_for_groups(
    db: Database,
    group_ids: Iterable[int],
    *,
    status: str | None,
    category: str | None,
    since: datetime | None,
    limit: int,
    offset: int = 0,
) -> list[ListItem]:
    """A page of the groups' observations, newest first (withdrawn ones never included)."""
    groups = sorted(set(group_ids))
    if not groups:
        return []
    where = "group_id = ?"
    filters: list[object] = []
    if status is not None:
        where += " AND status = ?"
        filters.append(status)
    else:
        where += " AND status != 'withdrawn'"
    if category is not None:
        where += " AND category = ?"
        filters.append(category)
    if since is not None:
        where += " AND created_at >= ?"
        filters.append(to_db(since))
    # One newest-first walk per group, each stopping after limit + offset rows, then a
    # small sort: SQLite cannot merge `group_id IN (…) ORDER BY id` from an index, it
    # would read and sort every row of every group.
    newest = _union(
        f"SELECT id FROM observations WHERE {where} ORDER BY id DESC LIMIT ?", len(groups)
    )
    sql = (
        "SELECT id, reference, group_id, category, status, created_at FROM observations "
        f"WHERE id IN ({newest}) ORDER BY id DESC LIMIT ? OFFSET ?"
    )
    params: list[object] = []
    for group in groups:
        params.extend((group, *filters, limit + offset))
    params.extend((limit, offset))
    return [_item(row) for row in await db.fetch_all(sql, params)]


async def list_for_reporter(db: Database, reporter_id: int, limit: int) -> list[ListItem]:
    """A resident's own observations, newest first."""
    rows = await db.fetch_all(
        "SELECT id, reference, group_id, category, status, created_at FROM observations "
        "WHERE reporter_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (reporter_id, limit),
    )
    return [_item(row) for row in rows]


async def inbox(
    db: Database, kommun_codes: Iterable[str], *, limit: int, offset: int = 0
) -> list[ListItem]:
    """A page of what was forwarded to the police of these kommuner, newest first."""
    codes = sorted(set(kommun_codes))
    if not codes:
        return []
    # Per kommun, then a small sort (see list_for_groups).
    newest = _union(
        "SELECT observation_id FROM observation_forwards WHERE kommun_code = ?"
        " ORDER BY forwarded_at DESC, observation_id DESC LIMIT ?",
        len(codes),
    )
    rows = await db.fetch_all(
        f"""
        SELECT o.id, o.reference, o.group_id, o.category, o.status, o.created_at,
               f.handled_at IS NOT NULL AS handled
        FROM observation_forwards f JOIN observations o ON o.id = f.observation_id
        WHERE f.observation_id IN ({newest})
        ORDER BY f.forwarded_at DESC, f.observation_id DESC LIMIT ? OFFSET ?
        """,
        [*(p for code in codes for p in (code, limit + offset)), limit, offset],
    )
    return [_item(row, bool(row["handled"])) for row in rows]
