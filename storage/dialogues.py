"""The dialogues repository: which dialogue each person is in, and at which step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db_required, to_db


@dataclass(frozen=True)
class DialogueRecord:
    user_id: int
    chat_id: int
    name: str
    state: int
    interrupted: bool  # started by an earlier run of the bot (lost in a restart)
    updated_at: datetime


async def set_state(
    db: Database, user_id: int, chat_id: int, name: str, state: int, now: datetime
) -> None:
    """Record that a dialogue runs at step `state` (written by the running process)."""
    await db.execute(
        """
        INSERT INTO dialogues (user_id, chat_id, name, state, interrupted, updated_at)
        VALUES (?, ?, ?, ?, 0, ?)
        ON CONFLICT (user_id, chat_id, name) DO UPDATE SET
            state = excluded.state, interrupted = 0, updated_at = excluded.updated_at
        """,
        (user_id, chat_id, name, state, to_db(now)),
    )


async def end(db: Database, user_id: int, chat_id: int, name: str) -> None:
    """Forget a dialogue that ended."""
    await db.execute(
        "DELETE FROM dialogues WHERE user_id = ? AND chat_id = ? AND name = ?",
        (user_id, chat_id, name),
    )


async def of_chat(db: Database, user_id: int, chat_id: int) -> list[DialogueRecord]:
    """The person's dialogues in a chat, most recently active first."""
    rows = await db.fetch_all(
        "SELECT * FROM dialogues WHERE user_id = ? AND chat_id = ? ORDER BY updated_at DESC",
        (user_id, chat_id),
    )
    return [
        DialogueRecord(
            user_id=row["user_id"],
            chat_id=row["chat_id"],
            name=row["name"],
            state=row["state"],
            interrupted=bool(row["interrupted"]),
            updated_at=from_db_required(row["updated_at"]),
        )
        for row in rows
    ]


async def forget_interrupted(db: Database, user_id: int, chat_id: int) -> None:
    """Drop the person's lost dialogues in a chat (they have been told)."""
    await db.execute(
        "DELETE FROM dialogues WHERE user_id = ? AND chat_id = ? AND interrupted = 1",
        (user_id, chat_id),
    )


async def mark_all_interrupted(db: Database, older_than: datetime) -> None:
    """At start-up: every recorded dialogue was lost with the previous process; lost ones
    last active before `older_than` are dropped (nobody will ask about them any more)."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM dialogues WHERE updated_at < ?", (to_db(older_than),))
        await conn.execute("UPDATE dialogues SET interrupted = 1")
