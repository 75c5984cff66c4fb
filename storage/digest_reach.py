"""Weekly digests waiting for a person who could not be written to privately (see
bot/services/digest_reach.py): at most one per person, the newest."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage import outbox
from storage.db import Database
from storage.outbox import OutgoingMessage
from storage.timeutil import to_db


async def hold(
    db: Database, user_id: int, week: str, payload: dict[str, Any], now: datetime
) -> None:
    """Keep a refused digest for the person's next private message; a newer week's digest
    replaces an older one (an older week is not worth reading any more), never the reverse."""
    await db.execute(
        "INSERT INTO held_digests (user_id, week, payload, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET week = excluded.week,"
        " payload = excluded.payload, created_at = excluded.created_at"
        " WHERE excluded.week >= held_digests.week",
        (user_id, week, json.dumps(payload, ensure_ascii=False), to_db(now)),
    )


async def release(db: Database, user_id: int, make: Any, now: datetime) -> bool:
    """If a digest waits for the person: drop it and enqueue `make(week, payload)` (an
    OutgoingMessage) in ONE transaction (a crash neither loses nor doubles it). True if
    one was enqueued."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT week, payload FROM held_digests WHERE user_id = ?", (user_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return False
        await conn.execute("DELETE FROM held_digests WHERE user_id = ?", (user_id,))
        message: OutgoingMessage = make(row[0], json.loads(row[1]))
        await outbox.enqueue_many(conn, [message], now)
        return True


async def discard(db: Database, user_id: int) -> None:
    """Drop the digest that waited for the person (they no longer hold the role it was for)."""
    await db.execute("DELETE FROM held_digests WHERE user_id = ?", (user_id,))


async def waiting(db: Database, user_id: int) -> str | None:
    """The week of the digest waiting for the person, if any."""
    rows = await db.point_read("SELECT week FROM held_digests WHERE user_id = ?", (user_id,))
    return str(rows[0][0]) if rows and rows[0][0] is not None else None
