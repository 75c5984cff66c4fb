"""The tip library. Each group's tip schedule is in storage/tip_schedules.py and the record
of tips sent to groups in storage/tip_sends.py; their names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import aiosqlite

from storage.db import Database
from storage.roles import write_audit
from storage.timeutil import from_db_required, to_db
from storage.tip_schedules import (
    DueSchedule,
    ScheduleRecord,
    active_groups_without_schedule,
    advance_schedule,
    create_schedules,
    due_schedules,
    get_schedule,
    save_schedule,
)
from storage.tip_sends import (
    TipSendRecord,
    last_send_at,
    recent_observation_categories,
    record_send,
    send_counts,
    sends_for_group,
    set_send_outcome,
)

__all__ = [
    "SEASON_SEPARATOR",
    "SOURCES",
    "DueSchedule",
    "ScheduleRecord",
    "TipRecord",
    "TipSeed",
    "TipSendRecord",
    "active_groups_without_schedule",
    "add_tip",
    "advance_schedule",
    "create_schedules",
    "due_schedules",
    "enabled_tips",
    "get_schedule",
    "get_tip",
    "import_tips",
    "last_send_at",
    "list_tips",
    "recent_observation_categories",
    "record_send",
    "save_schedule",
    "send_counts",
    "sends_for_group",
    "set_send_outcome",
    "set_tip_enabled",
    "sync_seeds",
    "update_tip_text",
]

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
        updated_at=from_db_required(row["updated_at"]),
    )


async def _all(
    conn: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()
) -> list[aiosqlite.Row]:
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
