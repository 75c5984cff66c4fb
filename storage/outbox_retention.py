"""Outbox retention: sent rows older than a cutoff are deleted in bounded batches
(bot/outbox_retention.py runs the passes; OUTBOX_RETENTION_DAYS).

Only the outbox's primary key is read, so marking a row sent writes no retention index
(migration 0028 dropped `outbox_sent`): ids grow with created_at, so the rows created
before a time are an id range, found by binary search on the key. What deleted rows
counted for stays in outbox_counts.pruned.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db_required, to_db

# Retention (prune_sent) reads the outbox by primary key only, so that marking a row sent
# writes no retention index (migration 0028 dropped outbox_sent): ids grow with created_at,
# so the rows created before a time are an id range, found by binary search on the key.
# The highest id (SQLite's min/max optimisation: one descent of the key, plan "SEARCH
# outbox"), and the first row at or after an id (one probe of the binary search):
RETENTION_LAST_ID_SQL = "SELECT MAX(id) FROM outbox"
RETENTION_PROBE_SQL = "SELECT id, created_at FROM outbox WHERE id >= ? ORDER BY id LIMIT 1"
# One bounded window of the rows below the boundary, oldest first:
RETENTION_WINDOW_SQL = (
    "SELECT id, kind, ref_id, status, created_at, updated_at FROM outbox"
    " WHERE id >= ? AND id < ? ORDER BY id LIMIT ?"
)
# The window's sent rows sent before the cutoff (the same rule as `_prunable`):
RETENTION_DELETE_SQL = (
    "DELETE FROM outbox WHERE id >= ? AND id <= ? AND status = 'sent' AND updated_at < ?"
)


#: Statuses a row may still leave: such a row may become prunable later.
_OPEN = frozenset({"pending", "sending"})


@dataclass(frozen=True)
class PruneBatch:
    """What one `prune_sent` batch did.

    `deleted`: rows deleted. `next_id`: where the next batch starts (pass it as
    `start_id`), None when the batch reached the retention boundary. `held_since`: the
    created_at of the window's first row that may still become prunable (pending,
    sending, or sent too recently), None when every row of the window is settled
    (deleted, or failed or skipped: kept for good)."""

    deleted: int
    next_id: int | None
    held_since: datetime | None = None


def _first_id_since(conn: sqlite3.Connection, stamp: str, low: int = 0) -> int:
    """The smallest id >= `low` such that every row with id in [low, it) was created before
    `stamp` and the first row at or after it was not (or there is none): a binary search
    on the primary key, about 2 x log2(ids) page reads. Assumes created_at never decreases
    with id, which holds as ids are max(id) + 1 stamped by the clock at insert; if the
    clock went back, rows are only kept longer, never deleted early (the delete checks
    each row)."""
    last = conn.execute(RETENTION_LAST_ID_SQL).fetchone()[0]
    high = low if last is None else max(low, last + 1)  # nothing at or after `high`
    while low < high:
        middle = (low + high) // 2
        row = conn.execute(RETENTION_PROBE_SQL, (middle,)).fetchone()
        if row is None or row[1] >= stamp:
            high = middle
        else:
            low = row[0] + 1  # every row in [middle, row id] was created before
    return low


async def first_id_since(db: Database, since: datetime) -> int:
    """The id where rows created at or after `since` begin (see `_first_id_since`)."""
    stamp = to_db(since)
    return await db.run_transaction(lambda conn: _first_id_since(conn, stamp))


async def prune_sent(
    db: Database, before: datetime, batch_size: int, start_id: int = 0
) -> PruneBatch:
    """Delete the rows sent before `before` among the next `batch_size` rows (by id, from
    `start_id`) created before `before`, in one transaction.

    Only 'sent' rows go; pending, sending, failed and skipped rows stay, whatever their
    age. A batch reads at most `batch_size` rows plus the boundary's binary search, all
    by primary key, so its cost does not depend on the size of the outbox. What the rows
    counted for stays counted (outbox_counts.pruned), and a delivered alert copy lives on
    in alert_copies, so alert numbers and updates do not need them."""
    stamp = to_db(before)

    def work(conn: sqlite3.Connection) -> PruneBatch:
        boundary = _first_id_since(conn, stamp, start_id)
        rows = conn.execute(RETENTION_WINDOW_SQL, (start_id, boundary, batch_size)).fetchall()
        if not rows:
            return PruneBatch(0, None, before)
        pruned: dict[tuple[str, int], int] = {}
        deleted = 0
        held_at: str | None = None  # created_at of the first row that may be pruned later
        for _, kind, ref_id, status, created_at, updated_at in rows:
            if status == "sent" and updated_at < stamp:
                deleted += 1
                if ref_id is not None:
                    pruned[(kind, ref_id)] = pruned.get((kind, ref_id), 0) + 1
            elif held_at is None and (status in _OPEN or status == "sent"):
                held_at = created_at
        conn.executemany(
            "UPDATE outbox_counts SET pruned = pruned + ? WHERE kind = ? AND ref_id = ?",
            [(n, kind, ref_id) for (kind, ref_id), n in pruned.items()],
        )
        last = rows[-1][0]
        gone = conn.execute(RETENTION_DELETE_SQL, (start_id, last, stamp)).rowcount
        if gone != deleted:  # cannot happen inside one transaction; never miscount
            raise RuntimeError(f"outbox retention: deleted {gone} rows, counted {deleted}")
        done = len(rows) < batch_size or last + 1 >= boundary
        held_since = None if held_at is None else from_db_required(held_at)
        return PruneBatch(deleted, None if done else last + 1, held_since)

    return await db.run_transaction(work)
