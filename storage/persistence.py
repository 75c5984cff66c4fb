"""Dialogue persistence: conversation states and user_data blobs (bot/persistence.py).

Storage knows no Telegram types: user_data arrives as bytes, a conversation as its
ConversationHandler name, chat, user and integer state.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from storage import update_inbox
from storage.db import Database
from storage.timeutil import to_db


@dataclass(frozen=True)
class StoredConversation:
    """One dialogue in progress: ConversationHandler `name`, (chat_id, user_id), `state`;
    `fingerprint` names the version of the dialogue's steps that wrote it."""

    name: str
    chat_id: int
    user_id: int
    state: int
    fingerprint: str


@dataclass
class Changes:
    """What one save writes. `user_data`: user_id -> pickled blob, or None to drop it;
    `conversations`: (name, chat_id, user_id) -> (state, fingerprint), or None (ended)."""

    user_data: dict[int, bytes | None] = field(default_factory=dict)
    conversations: dict[tuple[str, int, int], tuple[int, str] | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.user_data or self.conversations)


async def save(
    db: Database, changes: Changes, now: datetime, done_update_ids: Iterable[int] = ()
) -> None:
    """Write `changes` and mark the updates in `done_update_ids` handled, in ONE
    transaction: an update is done exactly when the state it left is stored."""
    stamp = to_db(now)
    done = list(done_update_ids)

    def work(conn: sqlite3.Connection) -> None:
        for user_id, blob in changes.user_data.items():
            if blob is None:
                conn.execute("DELETE FROM user_data WHERE user_id = ?", (user_id,))
            else:
                conn.execute(
                    "INSERT INTO user_data (user_id, data, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (user_id) DO UPDATE SET"
                    " data = excluded.data, updated_at = excluded.updated_at",
                    (user_id, blob, stamp),
                )
        for (name, chat_id, user_id), value in changes.conversations.items():
            if value is None:
                conn.execute(
                    "DELETE FROM conversations WHERE user_id = ? AND chat_id = ? AND name = ?",
                    (user_id, chat_id, name),
                )
            else:
                # A new dialogue replaces a lost one of the same name: nothing to tell.
                conn.execute(
                    "INSERT INTO conversations"
                    " (name, chat_id, user_id, state, fingerprint, lost, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, 0, ?)"
                    " ON CONFLICT (user_id, chat_id, name) DO UPDATE SET state = excluded.state,"
                    " fingerprint = excluded.fingerprint, lost = 0,"
                    " updated_at = excluded.updated_at",
                    (name, chat_id, user_id, value[0], value[1], stamp),
                )
        if done:
            update_inbox.mark_done_in(conn, done, stamp)

    if changes or done:
        await db.run_transaction(work)


async def load_user_data(db: Database) -> list[tuple[int, bytes]]:
    """Every stored (user_id, blob)."""
    rows = await db.fetch_all("SELECT user_id, data FROM user_data")
    return [(int(r[0]), bytes(r[1])) for r in rows]


async def load_conversations(db: Database, name: str) -> list[StoredConversation]:
    """The resumable dialogues of one ConversationHandler."""
    rows = await db.fetch_all(
        "SELECT name, chat_id, user_id, state, fingerprint FROM conversations"
        " WHERE name = ? AND lost = 0",
        (name,),
    )
    return [StoredConversation(r[0], int(r[1]), int(r[2]), int(r[3]), r[4]) for r in rows]


async def mark_lost(
    db: Database, keys: Iterable[tuple[str, int, int]] = (), users: Iterable[int] = ()
) -> None:
    """Mark dialogues lost: the (name, chat_id, user_id) `keys`, and every dialogue of
    `users` (whose drafts could not be read; their user_data rows are dropped too)."""
    keys, users = list(keys), list(users)

    def work(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "UPDATE conversations SET lost = 1 WHERE name = ? AND chat_id = ? AND user_id = ?",
            keys,
        )
        conn.executemany(
            "UPDATE conversations SET lost = 1 WHERE user_id = ?", [(u,) for u in users]
        )
        conn.executemany("DELETE FROM user_data WHERE user_id = ?", [(u,) for u in users])

    if keys or users:
        await db.run_transaction(work)


async def forget_idle(db: Database, before: datetime) -> int:
    """Drop dialogues (resumable or lost) last active before `before`; returns how many."""

    def work(conn: sqlite3.Connection) -> int:
        cursor = conn.execute("DELETE FROM conversations WHERE updated_at < ?", (to_db(before),))
        return cursor.rowcount

    return await db.run_transaction(work)


async def lost_of_chat(db: Database, user_id: int, chat_id: int) -> list[str]:
    """Names of the person's lost dialogues in a chat, most recently active first."""
    rows = await db.fetch_all(
        "SELECT name FROM conversations WHERE user_id = ? AND chat_id = ? AND lost = 1"
        " ORDER BY updated_at DESC",
        (user_id, chat_id),
    )
    return [str(r[0]) for r in rows]


async def forget_lost(db: Database, user_id: int, chat_id: int) -> None:
    """Drop the person's lost dialogues in a chat (they have been told)."""
    await db.execute(
        "DELETE FROM conversations WHERE user_id = ? AND chat_id = ? AND lost = 1",
        (user_id, chat_id),
    )
