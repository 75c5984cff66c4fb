"""The outbox: messages to send later, drained by the delivery worker (bot/delivery.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timeutil import to_db


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to enqueue. Exactly one of group_id / chat_id is set."""

    priority: int
    kind: str
    payload: dict[str, Any]  # {"text": html, "photo": file_id?, "reply_markup": dict?}
    group_id: int | None = None
    chat_id: int | None = None
    ref_id: int | None = None


async def enqueue_many(
    conn: aiosqlite.Connection, messages: list[OutgoingMessage], now: datetime
) -> None:
    """Insert messages inside the caller's transaction (so they commit with what caused them)."""
    stamp = to_db(now)
    await conn.executemany(
        "INSERT INTO outbox (priority, kind, ref_id, group_id, chat_id, payload, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                m.priority,
                m.kind,
                m.ref_id,
                m.group_id,
                m.chat_id,
                json.dumps(m.payload, ensure_ascii=False),
                stamp,
                stamp,
            )
            for m in messages
        ],
    )
