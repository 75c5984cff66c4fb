"""The record of tips sent to groups (one per group and slot) and what became of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database
from storage.timeutil import from_db, from_db_required, to_db


@dataclass(frozen=True)
class TipSendRecord:
    id: int
    group_id: int
    tip_id: int
    slot: str
    trigger: str
    enqueued_at: datetime
    outcome: str | None


def _send(row: aiosqlite.Row) -> TipSendRecord:
    return TipSendRecord(
        id=row["id"],
        group_id=row["group_id"],
        tip_id=row["tip_id"],
        slot=row["slot"],
        trigger=row["trigger"],
        enqueued_at=from_db_required(row["enqueued_at"]),
        outcome=row["outcome"],
    )


async def _all(
    conn: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
) -> list[aiosqlite.Row]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def send_counts(conn: aiosqlite.Connection, group_id: int) -> dict[int, int]:
    """How often each tip has been sent to a group: tip id -> count."""
    rows = await _all(
        conn,
        "SELECT tip_id, COUNT(*) FROM tip_sends WHERE group_id = ? GROUP BY tip_id",
        (group_id,),
    )
    return {row[0]: row[1] for row in rows}


async def record_send(
    conn: aiosqlite.Connection, group_id: int, tip_id: int, slot: str, trigger: str, now: datetime
) -> int | None:
    """Record a tip for a slot; returns the send id, or None if that slot already has one."""
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO tip_sends (group_id, tip_id, slot, trigger, enqueued_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (group_id, tip_id, slot, trigger, to_db(now)),
    )
    return int(cursor.lastrowid) if cursor.rowcount and cursor.lastrowid else None


async def sends_for_group(db: Database, group_id: int) -> list[TipSendRecord]:
    rows = await db.fetch_all("SELECT * FROM tip_sends WHERE group_id = ? ORDER BY id", (group_id,))
    return [_send(row) for row in rows]


async def last_send_at(db: Database, group_id: int, trigger: str) -> datetime | None:
    """When a tip of this trigger was last enqueued for a group."""
    return from_db(
        await db.fetch_value(
            "SELECT MAX(enqueued_at) FROM tip_sends WHERE group_id = ? AND trigger = ?",
            (group_id, trigger),
        )
    )


async def set_send_outcome(db: Database, send_id: int, outcome: str, now: datetime) -> None:
    """Store what the delivery worker reported for a send."""
    await db.execute(
        "UPDATE tip_sends SET outcome = ?, outcome_at = ? WHERE id = ?",
        (outcome, to_db(now), send_id),
    )


async def recent_observation_categories(
    conn: aiosqlite.Connection, group_id: int, since: datetime
) -> dict[str, int]:
    """Observation categories reported in a group since ``since`` -> count.

    The observations table belongs to another feature; when it does not exist (or lacks
    the columns) this returns an empty dict.
    """
    columns = {row[1] for row in await _all(conn, "PRAGMA table_info(observations)")}
    if not {"group_id", "category"} <= columns:
        return {}
    sql = "SELECT category, COUNT(*) FROM observations WHERE group_id = ?"
    params: list[Any] = [group_id]
    if "created_at" in columns:
        sql += " AND created_at >= ?"
        params.append(to_db(since))
    rows = await _all(conn, sql + " GROUP BY category", params)
    return {row[0]: row[1] for row in rows if row[0]}
