"""The update inbox: updates fetched from Telegram, kept until they have been handled.

The intake (bot/updates.py) stores each fetched batch here before it confirms the batch to
Telegram, and marks each update done once it was handled; what a crash left unfinished is
handled again at the next start. Payloads are JSON text: storage knows no Telegram types.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db

# Bound parameters per statement (SQLite allows 32,766 since 3.32; old builds 999).
_IDS_PER_STATEMENT = 500


@dataclass(frozen=True)
class StoredUpdate:
    """One unfinished update: Telegram's update_id, its JSON, and how many start-ups
    already found it unfinished."""

    update_id: int
    payload: str
    attempts: int


async def store_batch(db: Database, updates: Sequence[tuple[int, str]], now: datetime) -> list[int]:
    """Store (update_id, JSON) pairs in one transaction; returns the update_ids that were
    new, in the given order. An update_id already stored (Telegram redelivers what was
    not confirmed before a crash) is left as it is and not returned."""
    stamp = to_db(now)
    ids = [update_id for update_id, _ in updates]
    rows = json.dumps([[update_id, payload] for update_id, payload in updates], ensure_ascii=False)

    def work(conn: sqlite3.Connection) -> list[int]:
        # Two statements for the whole batch, not one per update: sqlite3 hands the GIL
        # back and forth at every statement it runs, which a busy event loop pays for.
        known: set[int] = set()
        for start in range(0, len(ids), _IDS_PER_STATEMENT):
            chunk = ids[start : start + _IDS_PER_STATEMENT]
            known.update(
                row[0]
                for row in conn.execute(
                    "SELECT update_id FROM update_inbox"
                    f" WHERE update_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        conn.execute(
            "INSERT INTO update_inbox (update_id, payload, received_at)"
            " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?"
            " FROM json_each(?) WHERE true ON CONFLICT (update_id) DO NOTHING",
            (stamp, rows),
        )
        new: list[int] = []
        for update_id in ids:  # a batch repeating an id stores and returns it once
            if update_id not in known:
                known.add(update_id)
                new.append(update_id)
        return new

    return await db.run_transaction(work)


async def mark_done(db: Database, update_ids: Sequence[int], now: datetime) -> None:
    """Record that these updates have been handled (ids not stored are ignored)."""
    stamp = to_db(now)
    await db.run_transaction(lambda conn: mark_done_in(conn, update_ids, stamp))


def mark_done_in(conn: sqlite3.Connection, update_ids: Sequence[int], stamp: str) -> None:
    """`mark_done` inside a transaction another write runs in (`stamp`: a to_db time).

    A handled update's JSON is dropped (only its id is needed, to recognise a redelivery):
    it holds people's names and messages, which must not outlive the handling (GDPR)."""
    # One statement per chunk, not one per update: sqlite3 hands the GIL back and forth
    # at every statement it runs, which a busy event loop pays for.
    ids = list(update_ids)
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        chunk = ids[start : start + _IDS_PER_STATEMENT]
        conn.execute(
            "UPDATE update_inbox SET done_at = ?, payload = '{}'"
            f" WHERE update_id IN ({', '.join('?' * len(chunk))}) AND done_at IS NULL",
            (stamp, *chunk),
        )


async def claim_unfinished(db: Database) -> list[StoredUpdate]:
    """Every update not yet done, oldest first, with its attempts counted up by one.

    Called once per start-up, before polling begins."""

    def work(conn: sqlite3.Connection) -> list[StoredUpdate]:
        conn.execute("UPDATE update_inbox SET attempts = attempts + 1 WHERE done_at IS NULL")
        rows = conn.execute(
            "SELECT update_id, payload, attempts FROM update_inbox"
            " WHERE done_at IS NULL ORDER BY update_id"
        ).fetchall()
        return [StoredUpdate(int(r[0]), str(r[1]), int(r[2])) for r in rows]

    return await db.run_transaction(work)


async def count_unfinished(db: Database) -> int:
    """How many stored updates have not been handled yet."""
    return int(await db.fetch_value("SELECT COUNT(*) FROM update_inbox WHERE done_at IS NULL"))


async def prune_done(db: Database, before: datetime) -> int:
    """Delete updates handled before `before`; returns how many were deleted."""

    def work(conn: sqlite3.Connection) -> int:
        cursor = conn.execute(
            "DELETE FROM update_inbox WHERE done_at IS NOT NULL AND done_at < ?", (to_db(before),)
        )
        return cursor.rowcount

    return await db.run_transaction(work)
