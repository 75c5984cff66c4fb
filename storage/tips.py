"""The tip library, each group's tip schedule, and the record of tips sent to groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import aiosqlite

from storage.db import Database
from storage.roles import write_audit
from storage.timeutil import from_db, to_db

SOURCES = ("seed", "import", "manual")
SEASON_SEPARATOR = "|"


class TipSeed(Protocol):
    """What storage needs of a tip to write (bot.services.tip_library.TipSeed fits)."""

    @property
    def key(self) -> str: ...
    @property
    def focus(self) -> str: ...
    @property
    def seasons(self) -> tuple[str, ...]: ...
    @property
    def text_sv(self) -> str: ...
    @property
    def text_en(self) -> str: ...


@dataclass(frozen=True)
class TipRecord:
    id: int
    key: str
    focus: str
    seasons: tuple[str, ...]
    text_sv: str
    text_en: str
    enabled: bool
    source: str
    updated_at: datetime

    def text(self, lang: str) -> str:
        """The text in ``lang`` (``sv``; anything else gives English)."""
        return self.text_sv if lang == "sv" else self.text_en


@dataclass(frozen=True)
class ScheduleRecord:
    group_id: int
    weekday: int
    local_time: str
    frequency: str
    next_run_at: datetime | None
    last_run_at: datetime | None


@dataclass(frozen=True)
class TipSendRecord:
    id: int
    group_id: int
    tip_id: int
    slot: str
    trigger: str
    enqueued_at: datetime
    outcome: str | None


def _tip(row: aiosqlite.Row) -> TipRecord:
    return TipRecord(
        id=row["id"],
        key=row["key"],
        focus=row["focus"],
        seasons=tuple(row["seasons"].split(SEASON_SEPARATOR)),
        text_sv=row["text_sv"],
        text_en=row["text_en"],
        enabled=bool(row["enabled"]),
        source=row["source"],
        updated_at=from_db(row["updated_at"]),  # type: ignore[arg-type]
    )


def _schedule(row: aiosqlite.Row) -> ScheduleRecord:
    return ScheduleRecord(
        group_id=row["group_id"],
        weekday=row["weekday"],
        local_time=row["local_time"],
        frequency=row["frequency"],
        next_run_at=from_db(row["next_run_at"]),
        last_run_at=from_db(row["last_run_at"]),
    )


def _send(row: aiosqlite.Row) -> TipSendRecord:
    return TipSendRecord(
        id=row["id"],
        group_id=row["group_id"],
        tip_id=row["tip_id"],
        slot=row["slot"],
        trigger=row["trigger"],
        enqueued_at=from_db(row["enqueued_at"]),  # type: ignore[arg-type]
        outcome=row["outcome"],
    )


async def _all(conn: aiosqlite.Connection, sql: str, params: Any = ()) -> list[aiosqlite.Row]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


# -- the library ---------------------------------------------------------------------


async def sync_seeds(db: Database, seeds: Iterable[TipSeed], now: datetime) -> int:
    """Insert shipped tips whose key is missing; seed rows nobody changed follow the file.

    Returns how many tips were inserted. Tips added, imported, edited or disabled by a
    person are never touched.
    """
    stamp = to_db(now)
    async with db.transaction() as conn:
        before = await _count(conn)
        await conn.executemany(
            """
            INSERT INTO tips (key, focus, seasons, text_sv, text_en, source, created_at,
                updated_at) VALUES (?, ?, ?, ?, ?, 'seed', ?, ?)
            ON CONFLICT (key) DO UPDATE SET focus = excluded.focus, seasons = excluded.seasons,
                text_sv = excluded.text_sv, text_en = excluded.text_en,
                updated_at = excluded.updated_at
            WHERE tips.source = 'seed' AND tips.updated_by IS NULL AND tips.enabled = 1
                AND (tips.text_sv, tips.text_en, tips.focus, tips.seasons)
                    IS NOT (excluded.text_sv, excluded.text_en, excluded.focus, excluded.seasons)
            """,
            [(*_seed_params(seed), stamp, stamp) for seed in seeds],
        )
        return await _count(conn) - before


def _seed_params(seed: TipSeed) -> tuple[str, str, str, str, str]:
    return (seed.key, seed.focus, SEASON_SEPARATOR.join(seed.seasons), seed.text_sv, seed.text_en)


async def _count(conn: aiosqlite.Connection) -> int:
    rows = await _all(conn, "SELECT COUNT(*) FROM tips")
    return int(rows[0][0])


async def import_tips(
    db: Database, seeds: Iterable[TipSeed], actor_id: int | None, now: datetime
) -> tuple[int, int]:
    """Add or replace tips by key (imported tips are enabled); returns (added, updated)."""
    stamp = to_db(now)
    added = updated = 0
    async with db.transaction() as conn:
        for seed in seeds:
            rows = await _all(conn, "SELECT id FROM tips WHERE key = ?", (seed.key,))
            if rows:
                await conn.execute(
                    "UPDATE tips SET focus = ?, seasons = ?, text_sv = ?, text_en = ?, enabled = 1,"
                    " source = 'import', updated_by = ?, updated_at = ? WHERE key = ?",
                    (*_seed_params(seed)[1:], actor_id, stamp, seed.key),
                )
                updated += 1
            else:
                await conn.execute(
                    "INSERT INTO tips (key, focus, seasons, text_sv, text_en, source, updated_by,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'import', ?, ?, ?)",
                    (*_seed_params(seed), actor_id, stamp, stamp),
                )
                added += 1
        await write_audit(
            conn, now, actor_id, "tips.import", "tips", {"added": added, "updated": updated}
        )
    return added, updated


async def add_tip(db: Database, seed: TipSeed, actor_id: int | None, now: datetime) -> int:
    """Add one tip written by a person; returns its id (IntegrityError on a duplicate key)."""
    stamp = to_db(now)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO tips (key, focus, seasons, text_sv, text_en, source, updated_by,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'manual', ?, ?, ?)",
            (*_seed_params(seed), actor_id, stamp, stamp),
        )
        tip_id = int(cursor.lastrowid or 0)
        await write_audit(conn, now, actor_id, "tips.add", seed.key, {"id": tip_id})
        return tip_id


async def update_tip_text(
    db: Database, tip_id: int, lang: str, text: str, actor_id: int | None, now: datetime
) -> bool:
    """Replace one language's text of a tip; returns False if there is no such tip."""
    column = "text_sv" if lang == "sv" else "text_en"
    async with db.transaction() as conn:
        cursor = await conn.execute(
            f"UPDATE tips SET {column} = ?, updated_by = ?, updated_at = ? WHERE id = ?",
            (text, actor_id, to_db(now), tip_id),
        )
        if cursor.rowcount:
            await write_audit(conn, now, actor_id, "tips.edit", str(tip_id), {"lang": lang})
        return cursor.rowcount > 0


async def set_tip_enabled(
    db: Database, tip_id: int, enabled: bool, actor_id: int | None, now: datetime
) -> bool:
    """Enable or disable a tip; returns False if there is no such tip."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE tips SET enabled = ?, updated_by = ?, updated_at = ? WHERE id = ?",
            (int(enabled), actor_id, to_db(now), tip_id),
        )
        if cursor.rowcount:
            action = "tips.enable" if enabled else "tips.disable"
            await write_audit(conn, now, actor_id, action, str(tip_id))
        return cursor.rowcount > 0


async def get_tip(db: Database, tip_id: int) -> TipRecord | None:
    row = await db.fetch_one("SELECT * FROM tips WHERE id = ?", (tip_id,))
    return None if row is None else _tip(row)


async def list_tips(db: Database, *, enabled_only: bool = False) -> list[TipRecord]:
    """All tips (or only enabled ones) by focus area and key."""
    where = " WHERE enabled = 1" if enabled_only else ""
    rows = await db.fetch_all(f"SELECT * FROM tips{where} ORDER BY focus, key")
    return [_tip(row) for row in rows]


async def enabled_tips(conn: aiosqlite.Connection) -> list[TipRecord]:
    """Enabled tips, read inside the caller's transaction."""
    return [_tip(r) for r in await _all(conn, "SELECT * FROM tips WHERE enabled = 1 ORDER BY id")]


# -- schedules -----------------------------------------------------------------------


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


# -- sends ---------------------------------------------------------------------------


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
