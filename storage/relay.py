"""Witness relay sessions (migration 0025): an officer and a resident talking through the
bot. The messages are never stored; each relayed one is an audit entry (who, when)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.roles import write_audit
from storage.timeutil import from_db_required, to_db


@dataclass(frozen=True)
class RelaySession:
    id: int
    observation_id: int
    officer_id: int
    resident_id: int
    officer_title: str
    started_at: datetime

    def other_side(self, user_id: int) -> int:
        """The Telegram id of the person `user_id` talks to."""
        return self.resident_id if user_id == self.officer_id else self.officer_id


def _session(row: aiosqlite.Row) -> RelaySession:
    return RelaySession(
        row["id"],
        row["observation_id"],
        row["officer_id"],
        row["resident_id"],
        row["officer_title"],
        from_db_required(row["started_at"]),
    )


async def open_session_of(db: Database, user_id: int) -> RelaySession | None:
    """The open session the person takes part in (either side), if any."""
    row = await db.fetch_one(
        "SELECT * FROM relay_sessions WHERE ended_at IS NULL"
        " AND (officer_id = ? OR resident_id = ?) ORDER BY id DESC LIMIT 1",
        (user_id, user_id),
    )
    return None if row is None else _session(row)


async def start_session(
    db: Database,
    observation_id: int,
    officer_id: int,
    resident_id: int,
    officer_title: str,
    now: datetime,
) -> RelaySession | None:
    """Open a session (audited); None if either side already has an open one, on either
    side of it: an officer who is also a reporting resident takes part in one contact at a
    time, or their messages would have two destinations (the unique indexes only cover
    one column each)."""
    try:
        async with db.transaction() as conn:
            async with conn.execute(
                "SELECT 1 FROM relay_sessions WHERE ended_at IS NULL"
                " AND (officer_id IN (?, ?) OR resident_id IN (?, ?)) LIMIT 1",
                (officer_id, resident_id, officer_id, resident_id),
            ) as busy:
                if await busy.fetchone() is not None:
                    return None
            cursor = await conn.execute(
                "INSERT INTO relay_sessions"
                " (observation_id, officer_id, resident_id, officer_title, started_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (observation_id, officer_id, resident_id, officer_title, to_db(now)),
            )
            session_id = cursor.lastrowid or 0
            await write_audit(
                conn, now, officer_id, "relay.start", str(observation_id), {"session": session_id}
            )
    except sqlite3.IntegrityError:  # one of them is in another contact
        return None
    return RelaySession(session_id, observation_id, officer_id, resident_id, officer_title, now)


async def log_relayed(db: Database, session: RelaySession, sender_id: int, now: datetime) -> None:
    """Audit one relayed message: who sent it in which session, when (never its text)."""
    async with db.transaction() as conn:
        await write_audit(
            conn,
            now,
            sender_id,
            "relay.message",
            str(session.observation_id),
            {"session": session.id},
        )


async def end_session(db: Database, session_id: int, ended_by: int, now: datetime) -> bool:
    """Close a session (audited); False if it was already closed."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE relay_sessions SET ended_at = ?, ended_by = ?"
            " WHERE id = ? AND ended_at IS NULL",
            (to_db(now), ended_by, session_id),
        )
        if not cursor.rowcount:
            return False
        await write_audit(conn, now, ended_by, "relay.end", str(session_id), {})
    return True


async def open_participants(db: Database) -> set[int]:
    """Everyone in an open session (to route their private messages after a restart)."""
    rows = await db.fetch_all(
        "SELECT officer_id, resident_id FROM relay_sessions WHERE ended_at IS NULL"
    )
    return {row[0] for row in rows} | {row[1] for row in rows}
