"""The end-of-alert check at scale: `python -m bench.alert_counters [--sizes 1000,10000,30000]`.

For each size N, a temporary database gets N registered groups and one alert to all of
them (alert row plus N outbox rows in one transaction). Then every copy is "delivered"
the way the delivery worker and the alert handler do it: `storage.outbox_worker.mark_sent` for
the row (it returns how many copies are left, read from the trigger-kept counters in the
same transaction), then `bot.services.alerts.finish_if_done` (the end-of-alert check)
when none is left. The same is run once more with the counter triggers dropped and no
check (only the bare status updates), so the difference is the per-alert work: counter
upkeep plus checks. Prints both per size and checks the final report's numbers.

Before issue #19 the check recounted all the alert's rows after every copy (quadratic:
1,000 copies 0.95 s, 5,000 copies 20.7 s of checks); the goal is <= 2 s of per-alert
database work for a whole 30,000-group alert.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import FixedClock
from bot.services import alerts as service
from storage import alerts as alert_store
from storage import outbox, outbox_worker
from storage.alerts import NewAlert
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText
from storage.timeutil import to_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def _alert_to_groups(db: Database, groups: int) -> tuple[int, list[int]]:
    stamp = to_db(NOW)
    async with db.transaction() as conn:
        await conn.execute(
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)"
            " INSERT INTO groups (id, chat_id, title, area_name, kommun_code, registered_at,"
            " created_at, updated_at)"
            " SELECT n, -1000000 - n, 'Grupp ' || n, 'Område ' || n, '0180', ?, ?, ? FROM g",
            (groups, stamp, stamp, stamp),
        )
        alert = NewAlert(1, "sv", "burglary", "Inbrottsvåg", None, "all", [])
        alert_id = await alert_store.insert_alert(conn, alert, NOW)
        await outbox.enqueue_many(
            conn,
            [
                OutgoingMessage(1, service.KIND_ALERT, SendText("x"), group_id=g, ref_id=alert_id)
                for g in range(1, groups + 1)
            ],
            NOW,
        )
    rows = await outbox_worker.claim_due(db, NOW, groups)
    return alert_id, [r.id for r in rows]


def _record(path: Path, row_ids: list[int], counters: bool) -> float:
    """Seconds of database time to mark every copy sent, each in its own transaction, the
    way storage.outbox_worker.mark_sent does (with counters: and read the copies left)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=NORMAL")
        if not counters:
            conn.execute("DROP TRIGGER outbox_counts_update")
        stamp = to_db(NOW)
        started = time.perf_counter()
        for n, row_id in enumerate(row_ids, 1):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(outbox_worker.FINISH_SQL, ("sent", n, None, stamp, row_id))
            if counters:
                conn.execute(outbox_worker.UNFINISHED_OF_ROW_SQL, (row_id,)).fetchone()
            conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


async def _prepare(path: Path, groups: int) -> tuple[int, list[int]]:
    db = Database(path)
    await db.open()
    try:
        return await _alert_to_groups(db, groups)
    finally:
        await db.close()


async def _check(path: Path, alert_id: int, groups: int) -> float:
    """The end-of-alert check once the last copy is in; verifies the report's numbers."""
    db = Database(path)
    await db.open()
    try:
        started = time.perf_counter()
        stats = await service.finish_if_done(db, FixedClock(NOW), alert_id)
        seconds = time.perf_counter() - started
    finally:
        await db.close()
    assert stats is not None and stats.delivered == groups == stats.targeted, stats
    return seconds


def run_size(groups: int, rounds: int = 3) -> tuple[float, float]:
    """(per-alert work, bare recording) in seconds; best of `rounds` of each."""
    full_best, bare_best = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            with_path, bare_path = Path(tmp) / "with.db", Path(tmp) / "bare.db"
            alert_id, row_ids = asyncio.run(_prepare(with_path, groups))
            asyncio.run(_prepare(bare_path, groups))
            bare = _record(bare_path, row_ids, counters=False)
            full = _record(with_path, row_ids, counters=True)
            full += asyncio.run(_check(with_path, alert_id, groups))
        full_best.append(full)
        bare_best.append(bare)
    return max(min(full_best) - min(bare_best), 0.0), min(bare_best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,30000", help="comma-separated N")
    args = parser.parse_args()
    ok = True
    for size in (int(s) for s in args.sizes.split(",")):
        extra, bare = run_size(size)
        print(
            f"{size:>6} groups: per-alert work {extra:.3f} s (counter upkeep + end-of-alert"
            f" check), on top of {bare:.3f} s to record the deliveries themselves"
        )
        if size >= 30000:
            ok = ok and extra <= 2.0
    print("goals met" if ok else "GOALS NOT MET (per-alert work for 30,000 copies <= 2 s)")


if __name__ == "__main__":
    main()
