"""Who the bot can write to privately, and observation notices that wait for a person.

`private_reach.open` is 1 once a person wrote to the bot privately and 0 after Telegram
refused a private message to them (403: never opened the chat, or blocked the bot); no
row means unknown. `held_notices` are observation notifications refused that way, kept
until the person's next private message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage import outbox
from storage.db import Database
from storage.outbox import OutgoingMessage
from storage.timeutil import to_db


@dataclass(frozen=True)
class HeldNotice:
    """A notification about `observation_id` for `user_id`, seen as `viewer`."""

    id: int
    observation_id: int
    viewer: str  # 'coordinator' or 'police'


async def set_open(db: Database, user_id: int, is_open: bool, now: datetime) -> None:
    """Record that the person's private chat is open (they wrote) or closed (Telegram 403)."""
    params = (user_id, int(is_open), to_db(now))
    await db.point_write(
        lambda conn: conn.execute(
            "INSERT INTO private_reach (user_id, open, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET open = excluded.open,"
            " updated_at = excluded.updated_at WHERE private_reach.open != excluded.open",
            params,
        )
    )


async def is_open(db: Database, user_id: int) -> bool:
    """Whether the person is known to have written to the bot privately."""
    rows = await db.point_read("SELECT open FROM private_reach WHERE user_id = ?", (user_id,))
    return bool(rows and rows[0][0])


async def closed_among(db: Database, user_ids: list[int]) -> set[int]:
    """The people among `user_ids` the bot knows it cannot write to privately."""
    if not user_ids:
        return set()
    marks = ",".join("?" * len(user_ids))
    rows = await db.fetch_all(
        f"SELECT user_id FROM private_reach WHERE open = 0 AND user_id IN ({marks})", user_ids
    )
    return {row[0] for row in rows}


async def hold(db: Database, user_id: int, observation_id: int, viewer: str, now: datetime) -> None:
    """Keep a refused notification for the person's next private message (once)."""
    await db.execute(
        "INSERT OR IGNORE INTO held_notices (user_id, observation_id, viewer, created_at)"
        " VALUES (?, ?, ?, ?)",
        (user_id, observation_id, viewer, to_db(now)),
    )


async def held_for(db: Database, user_id: int) -> list[HeldNotice]:
    """The person's held notifications, oldest first."""
    rows = await db.point_read(
        "SELECT id, observation_id, viewer FROM held_notices WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    return [HeldNotice(row[0], row[1], row[2]) for row in rows]


async def release(
    db: Database,
    user_id: int,
    held: list[HeldNotice],
    messages: list[OutgoingMessage],
    now: datetime,
) -> None:
    """Drop `held` and enqueue `messages` for the person in ONE transaction, so a crash
    neither loses a notification nor sends it twice."""
    async with db.transaction() as conn:
        await conn.executemany(
            "DELETE FROM held_notices WHERE id = ? AND user_id = ?",
            [(h.id, user_id) for h in held],
        )
        await outbox.enqueue_many(conn, messages, now)


async def enqueue_once(db: Database, message: OutgoingMessage, now: datetime) -> bool:
    """Enqueue `message` unless a row of its kind about its ref_id exists (one transaction,
    so two concurrent callers cannot both add it). True if it was added."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT 1 FROM outbox WHERE kind = ? AND ref_id = ? LIMIT 1",
            (message.kind, message.ref_id),
        ) as cursor:
            if await cursor.fetchone() is not None:
                return False
        await outbox.enqueue_many(conn, [message], now)
        return True


def hold_in_thread(
    conn: sqlite3.Connection,
    user_ids: Iterable[int],
    observation_id: int,
    viewer: str,
    now: datetime,
) -> None:
    """`hold` for several people inside `Database.run_transaction` work."""
    conn.executemany(
        "INSERT OR IGNORE INTO held_notices (user_id, observation_id, viewer, created_at)"
        " VALUES (?, ?, ?, ?)",
        [(uid, observation_id, viewer, to_db(now)) for uid in user_ids],
    )


async def hold_in(
    conn: aiosqlite.Connection,
    user_ids: Iterable[int],
    observation_id: int,
    viewer: str,
    now: datetime,
) -> None:
    """`hold` for several people inside the caller's transaction."""
    await conn.executemany(
        "INSERT OR IGNORE INTO held_notices (user_id, observation_id, viewer, created_at)"
        " VALUES (?, ?, ?, ?)",
        [(uid, observation_id, viewer, to_db(now)) for uid in user_ids],
    )
