"""Each group's tip schedule: when the next tip is due, moved on without races."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.roles import write_audit
from storage.timeutil import from_db, to_db


@dataclass(frozen=True)
class ScheduleRecord:
    group_id: int
    weekday: int
    local_time: str
    frequency: str
    next_run_at: datetime | None
    last_run_at: datetime | None


def _schedule(row: aiosqlite.Row) -> ScheduleRecord:
    return ScheduleRecord(
        group_id=row["group_id"],
        weekday=row["weekday"],
        local_time=row["local_time"],
        frequency=row["frequency"],
        next_run_at=from_db(row["next_run_at"]),
        last_run_at=from_db(row["last_run_at"]),
    )


async def get_schedule(db: Database, group_id: int) -> ScheduleRecord | None:
    row = await db.fetch_one("SELECT * FROM tip_schedules WHERE group_id = ?", (group_id,))
    return None if row is None else _schedule(row)


async def active_groups_without_schedule(db: Database) -> list[int]:
    """Ids of registered groups the bot is in that have no schedule row yet."""
    rows = await db.fetch_all(
        "SELECT g.id FROM groups g LEFT JOIN tip_schedules s ON s.group_id = g.id"
        " WHERE g.registered_at IS NOT NULL AND g.bot_present = 1 AND s.group_id IS NULL"
    )
    return [row[0] for row in rows]


async def create_schedules(
    db: Database, rows: list[tuple[int, int, str, str, datetime | None]], now: datetime
) -> None:
    """Insert schedules (group_id, weekday, local_time, frequency, next_run) if missing."""
    stamp = to_db(now)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT OR IGNORE INTO tip_schedules (group_id, weekday, local_time, frequency,"
            " next_run_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(g, w, t, f, None if n is None else to_db(n), stamp) for g, w, t, f, n in rows],
        )


async def save_schedule(
    db: Database,
    group_id: int,
    weekday: int,
    local_time: str,
    frequency: str,
    next_run: datetime | None,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Create or change a group's schedule (audited)."""
    async with db.transaction() as conn:
        await conn.execute(
            """
            INSERT INTO tip_schedules (group_id, weekday, local_time, frequency, next_run_at,
                updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (group_id) DO UPDATE SET weekday = excluded.weekday,
                local_time = excluded.local_time, frequency = excluded.frequency,
                next_run_at = excluded.next_run_at, updated_by = excluded.updated_by,
                updated_at = excluded.updated_at
            """,
            (
                group_id,
                weekday,
                local_time,
                frequency,
                None if next_run is None else to_db(next_run),
                actor_id,
                to_db(now),
            ),
        )
        await write_audit(
            conn,
            now,
            actor_id,
            "tips.schedule",
            str(group_id),
            {"weekday": weekday, "time": local_time, "frequency": frequency},
        )


@dataclass(frozen=True)
class DueSchedule:
    schedule: ScheduleRecord
    language: str


async def due_schedules(db: Database, now: datetime, limit: int = 500) -> list[DueSchedule]:
    """Schedules of active groups whose next run is at or before ``now``, oldest first."""
    rows = await db.fetch_all(
        """
        SELECT s.*, g.language AS group_language FROM tip_schedules s
        JOIN groups g ON g.id = s.group_id
        WHERE s.next_run_at IS NOT NULL AND s.next_run_at <= ? AND s.frequency != 'off'
          AND g.registered_at IS NOT NULL AND g.bot_present = 1
        ORDER BY s.next_run_at, s.group_id LIMIT ?
        """,
        (to_db(now), limit),
    )
    return [DueSchedule(_schedule(row), row["group_language"]) for row in rows]


async def advance_schedule(
    conn: aiosqlite.Connection,
    group_id: int,
    expected_next_run: datetime,
    next_run: datetime | None,
    last_run: datetime,
    now: datetime,
) -> bool:
    """Move a schedule on, only if its next run is still ``expected_next_run`` (no races)."""
    cursor = await conn.execute(
        "UPDATE tip_schedules SET next_run_at = ?, last_run_at = ?, updated_at = ?"
        " WHERE group_id = ? AND next_run_at = ?",
        (
            None if next_run is None else to_db(next_run),
            to_db(last_run),
            to_db(now),
            group_id,
            to_db(expected_next_run),
        ),
    )
    return cursor.rowcount > 0
