"""Announced police presence ("polisen på plats") and residents' reminders: the only SQL.

A reminder is a row (presence, person, remind_at); the scheduler sends the due ones and
marks them sent in the same transaction as their outbox row, so a restart loses none and
sends none twice.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timeutil import from_db_required, to_db

ACTIVE = "active"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class PresenceRecord:
    id: int
    creator_id: int
    creator_language: str
    what: str
    place: str
    latitude: float | None
    longitude: float | None
    starts_at: datetime
    ends_at: datetime
    status: str

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED


def _presence(row: sqlite3.Row) -> PresenceRecord:
    return PresenceRecord(
        id=row["id"],
        creator_id=row["creator_id"],
        creator_language=row["creator_language"],
        what=row["what"],
        place=row["place"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        starts_at=from_db_required(row["starts_at"]),
        ends_at=from_db_required(row["ends_at"]),
        status=row["status"],
    )


@dataclass(frozen=True)
class NewPresence:
    creator_id: int
    creator_language: str
    what: str
    place: str
    latitude: float | None
    longitude: float | None
    starts_at: datetime
    ends_at: datetime


async def insert_presence(
    conn: aiosqlite.Connection, new: NewPresence, group_ids: list[int], now: datetime
) -> int:
    """Store a presence and its groups in the caller's transaction."""
    stamp = to_db(now)
    cursor = await conn.execute(
        "INSERT INTO presences (creator_id, creator_language, what, place, latitude, longitude,"
        " starts_at, ends_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.creator_id,
            new.creator_language,
            new.what,
            new.place,
            new.latitude,
            new.longitude,
            to_db(new.starts_at),
            to_db(new.ends_at),
            stamp,
            stamp,
        ),
    )
    presence_id = int(cursor.lastrowid or 0)
    await conn.executemany(
        "INSERT INTO presence_groups (presence_id, group_id) VALUES (?, ?)",
        [(presence_id, g) for g in group_ids],
    )
    return presence_id


async def get_presence(db: Database, presence_id: int) -> PresenceRecord | None:
    row = await db.fetch_one("SELECT * FROM presences WHERE id = ?", (presence_id,))
    return None if row is None else _presence(row)


async def presences_of(db: Database, creator_id: int, limit: int) -> list[PresenceRecord]:
    """A creator's latest presences, newest first."""
    rows = await db.fetch_all(
        "SELECT * FROM presences WHERE creator_id = ? ORDER BY id DESC LIMIT ?",
        (creator_id, limit),
    )
    return [_presence(r) for r in rows]


async def cancel(conn: aiosqlite.Connection, presence_id: int, now: datetime) -> bool:
    """Cancel an active presence; False if it was not active. Unsent reminders are dropped."""
    cursor = await conn.execute(
        "UPDATE presences SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = ?",
        (to_db(now), presence_id, ACTIVE),
    )
    if cursor.rowcount != 1:
        return False
    await conn.execute(
        "DELETE FROM presence_reminders WHERE presence_id = ? AND sent_at IS NULL", (presence_id,)
    )
    return True


async def move(
    conn: aiosqlite.Connection,
    presence_id: int,
    starts_at: datetime,
    ends_at: datetime,
    remind_at: datetime,
    now: datetime,
) -> bool:
    """Give an active presence new times; every reminder is due again at `remind_at`."""
    cursor = await conn.execute(
        "UPDATE presences SET starts_at = ?, ends_at = ?, updated_at = ?"
        " WHERE id = ? AND status = ?",
        (to_db(starts_at), to_db(ends_at), to_db(now), presence_id, ACTIVE),
    )
    if cursor.rowcount != 1:
        return False
    await conn.execute(
        "UPDATE presence_reminders SET remind_at = ?, sent_at = NULL WHERE presence_id = ?",
        (to_db(remind_at), presence_id),
    )
    return True


async def group_ids(conn: aiosqlite.Connection, presence_id: int) -> list[int]:
    cursor = await conn.execute(
        "SELECT group_id FROM presence_groups WHERE presence_id = ? ORDER BY group_id",
        (presence_id,),
    )
    return [r[0] for r in await cursor.fetchall()]


async def reminder_users(conn: aiosqlite.Connection, presence_id: int) -> list[int]:
    """Everyone who asked to be reminded of a presence."""
    cursor = await conn.execute(
        "SELECT user_id FROM presence_reminders WHERE presence_id = ? ORDER BY user_id",
        (presence_id,),
    )
    return [r[0] for r in await cursor.fetchall()]


async def toggle_reminder(
    db: Database, presence_id: int, user_id: int, remind_at: datetime, now: datetime
) -> bool:
    """Add the person's reminder, or remove it if they had one; True when it is now set."""

    def work(conn: sqlite3.Connection) -> bool:
        gone = conn.execute(
            "DELETE FROM presence_reminders WHERE presence_id = ? AND user_id = ?",
            (presence_id, user_id),
        ).rowcount
        if gone:
            return False
        conn.execute(
            "INSERT INTO presence_reminders (presence_id, user_id, remind_at, created_at)"
            " VALUES (?, ?, ?, ?)",
            (presence_id, user_id, to_db(remind_at), to_db(now)),
        )
        return True

    return await db.run_transaction(work)


async def due_reminders(
    conn: aiosqlite.Connection, now: datetime, limit: int
) -> list[tuple[int, int]]:
    """(presence id, user id) of unsent reminders that are due, oldest first."""
    cursor = await conn.execute(
        "SELECT presence_id, user_id FROM presence_reminders"
        " WHERE sent_at IS NULL AND remind_at <= ? ORDER BY remind_at LIMIT ?",
        (to_db(now), limit),
    )
    return [(r[0], r[1]) for r in await cursor.fetchall()]


async def mark_reminded(
    conn: aiosqlite.Connection, pairs: list[tuple[int, int]], now: datetime
) -> None:
    await conn.executemany(
        "UPDATE presence_reminders SET sent_at = ? WHERE presence_id = ? AND user_id = ?",
        [(to_db(now), p, u) for p, u in pairs],
    )


async def get_presence_in(conn: aiosqlite.Connection, presence_id: int) -> PresenceRecord | None:
    cursor = await conn.execute("SELECT * FROM presences WHERE id = ?", (presence_id,))
    row = await cursor.fetchone()
    return None if row is None else _presence(row)


async def count_by_kommun(
    db: Database, start: datetime, end: datetime, kommun_codes: list[str] | None = None
) -> dict[str | None, int]:
    """Presences announced in [start, end), per kommun of their groups (each counted once
    per kommun it reached)."""
    sql = (
        "SELECT g.kommun_code, COUNT(DISTINCT p.id) FROM presences p"
        " JOIN presence_groups pg ON pg.presence_id = p.id JOIN groups g ON g.id = pg.group_id"
        " WHERE p.created_at >= ? AND p.created_at < ?"
    )
    params: list[object] = [to_db(start), to_db(end)]
    if kommun_codes is not None:
        sql += f" AND g.kommun_code IN ({','.join('?' * len(kommun_codes))})"
        params.extend(kommun_codes)
    rows = await db.fetch_all(sql + " GROUP BY g.kommun_code", params)
    return {r[0]: r[1] for r in rows}
