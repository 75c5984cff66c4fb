"""The delivery worker's side of the outbox: claiming due rows, finishing them (sent, failed,
skipped), retrying and deferring them, and the crash recovery at start-up.

Separate from storage/outbox.py (what a row holds and how features enqueue and read rows)
because only bot/delivery.py drives this state machine, and because its queries are the hot
path: every one of them is listed in `HOT_QUERIES`, whose plans tests/test_outbox_plans.py
checks against the indexes.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from storage import alerts as alert_store
from storage.db import Database
from storage.outbox import OutboxRow, from_sql_row
from storage.outbox_retention import (
    RETENTION_DELETE_SQL,
    RETENTION_PROBE_SQL,
    RETENTION_WINDOW_SQL,
)
from storage.timeutil import from_db, to_db

UNFINISHED = ("pending", "sending")


# Every query below that the worker runs over and over is served by an index (migration
# 0007; tests/test_outbox_plans.py checks the query plans): the sent history may hold
# millions of rows, the unfinished part only a few thousand.
CLAIM_SQL = (
    "SELECT * FROM outbox WHERE status = 'pending'"
    " AND (not_before IS NULL OR not_before <= ?) ORDER BY priority, id LIMIT ?"
)
NEXT_NOT_BEFORE_SQL = (
    "SELECT MIN(not_before) FROM outbox WHERE status = 'pending' AND not_before IS NOT NULL"
)
RESET_SENDING_SQL = "UPDATE outbox SET status = 'pending', updated_at = ? WHERE status = 'sending'"
COUNT_UNFINISHED_SQL = "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
COUNT_DUE_SQL = COUNT_UNFINISHED_SQL + " AND (not_before IS NULL OR not_before <= ?)"
MARK_SENDING_SQL = (
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?"
)
FINISH_SQL = (
    "UPDATE outbox SET status = ?, message_id = COALESCE(?, message_id), error = ?,"
    " not_before = NULL, updated_at = ? WHERE id = ?"
)
SCHEDULE_RETRY_SQL = (
    "UPDATE outbox SET status = 'pending', not_before = ?, error = ?, updated_at = ? WHERE id = ?"
)
DEFER_SQL = (
    "UPDATE outbox SET status = 'pending', not_before = ?, error = ?, updated_at = ?,"
    " attempts = MAX(attempts - 1, 0) WHERE id = ?"
)
# How many rows about the same thing as row ? are unfinished (outbox_counts, migration 0007).
UNFINISHED_OF_ROW_SQL = (
    "SELECT c.unfinished FROM outbox o JOIN outbox_counts c"
    " ON c.kind = o.kind AND c.ref_id = o.ref_id WHERE o.id = ?"
)
# What the worker runs per claim, per row and per idle wait (and the retention pass,
# storage/outbox_retention.py).
HOT_QUERIES = {
    "claim": CLAIM_SQL,
    "mark sending": MARK_SENDING_SQL,
    "finish": FINISH_SQL,
    "schedule retry": SCHEDULE_RETRY_SQL,
    "defer": DEFER_SQL,
    "unfinished of the row's thing": UNFINISHED_OF_ROW_SQL,
    "next due time": NEXT_NOT_BEFORE_SQL,
    "start-up recovery": RESET_SENDING_SQL,
    "count unfinished": COUNT_UNFINISHED_SQL,
    "count due": COUNT_DUE_SQL,
    "retention probe": RETENTION_PROBE_SQL,
    "retention window": RETENTION_WINDOW_SQL,
    "retention delete": RETENTION_DELETE_SQL,
}


async def reset_sending(db: Database, now: datetime) -> int:
    """Crash recovery at start-up: rows a dead process left in 'sending' become 'pending'."""
    async with db.transaction() as conn:
        cursor = await conn.execute(RESET_SENDING_SQL, (to_db(now),))
        return cursor.rowcount


async def claim_due(db: Database, now: datetime, limit: int) -> list[OutboxRow]:
    """Take up to `limit` due pending rows (priority order, then age) and mark them 'sending'."""
    if limit <= 0:
        return []
    stamp = to_db(now)

    def work(conn: sqlite3.Connection) -> list[OutboxRow]:
        # One round trip to the database thread: the worker claims all the time.
        rows = [from_sql_row(r) for r in conn.execute(CLAIM_SQL, (stamp, limit)).fetchall()]
        if rows:
            conn.executemany(MARK_SENDING_SQL, [(stamp, r.id) for r in rows])
        return rows

    rows = await db.run_transaction(work)
    return [
        OutboxRow(**{**r.__dict__, "status": "sending", "attempts": r.attempts + 1}) for r in rows
    ]


async def _finish(
    db: Database,
    row_id: int,
    status: str,
    now: datetime,
    *,
    message_id: int | None = None,
    error: str | None = None,
    chat_id: int | None = None,
) -> int | None:
    params = (status, message_id, error, to_db(now), row_id)

    def work(conn: sqlite3.Connection) -> int | None:
        conn.execute(FINISH_SQL, params)
        if status == "sent":
            alert_store.record_copy(conn, row_id, chat_id, now)
        found = conn.execute(UNFINISHED_OF_ROW_SQL, (row_id,)).fetchone()
        return None if found is None else int(found[0])

    # One round trip (db.execute takes one per BEGIN, statement and COMMIT): once per row.
    return await db.run_transaction(work)


async def mark_sent(
    db: Database,
    row_id: int,
    message_id: int | None,
    now: datetime,
    *,
    chat_id: int | None = None,
) -> int | None:
    """Record a successful send with its Telegram message id (committed at once).

    A delivered alert copy is recorded in alert_copies in the same transaction
    (storage.alerts.record_copy; `chat_id`: the chat it went to, default the group's).
    Returns how many rows of the same
    kind and ref_id are still unfinished after this one (read in the same transaction, so
    exactly one finishing row sees 0), or None when the row has no ref_id. mark_failed and
    mark_skipped return the same."""
    return await _finish(db, row_id, "sent", now, message_id=message_id, chat_id=chat_id)


async def mark_failed(db: Database, row_id: int, error: str, now: datetime) -> int | None:
    """Give up on a row: it will not be retried."""
    return await _finish(db, row_id, "failed", now, error=error)


async def mark_skipped(db: Database, row_id: int, reason: str, now: datetime) -> int | None:
    """Do not send a row because its target is inactive (bot removed, 403, unregistered)."""
    return await _finish(db, row_id, "skipped", now, error=reason)


async def schedule_retry(
    db: Database, row_id: int, not_before: datetime, error: str, now: datetime
) -> None:
    """Put a row back to 'pending', not to be tried again before `not_before`."""
    await db.execute(SCHEDULE_RETRY_SQL, (to_db(not_before), error, to_db(now), row_id))


async def defer(
    db: Database, row_id: int, not_before: datetime, reason: str, now: datetime
) -> None:
    """Put a claimed row back to 'pending' until `not_before` without using up an attempt
    (its chat is paused by a 429 or its per-chat window is full: nothing went wrong)."""
    await db.execute(DEFER_SQL, (to_db(not_before), reason, to_db(now), row_id))


async def next_not_before(db: Database) -> datetime | None:
    """The earliest back-off time of pending rows that wait for one (None: none wait)."""
    return from_db(await db.fetch_value(NEXT_NOT_BEFORE_SQL))


async def count_due(db: Database, now: datetime | None = None) -> int:
    """Rows being sent or waiting to be sent: due at `now`, or all of them when `now` is None."""
    if now is None:
        return int(await db.fetch_value(COUNT_UNFINISHED_SQL))
    return int(await db.fetch_value(COUNT_DUE_SQL, (to_db(now),)))
