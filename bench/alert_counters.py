"""The end-of-alert check at scale: `python -m bench.alert_counters [--sizes 1000,10000,30000]`.

For each size N, a temporary database gets N registered groups and one alert to all of
them (through `bot.services.alerts.create_alert`'s storage path: alert row plus N outbox
rows in one transaction). Then every copy is "delivered" the way the delivery worker and
the alert handler do it: `storage.outbox.mark_sent` for the row, then
`bot.services.alerts.finish_if_done` (the end-of-alert check that runs after every
delivered copy). Prints, per size, the total database time of the end-of-alert checks
and of the whole per-copy work (mark sent + check), and checks that the final report has
the right numbers. Before issue #19 the check recounted all the alert's rows per copy
(quadratic: 1,000 copies 0.95 s, 5,000 copies 20.7 s); the goal is <= 2 s of end-of-alert
checks for a whole 30,000-group alert (the counters they read are kept by triggers, whose
cost is inside "mark sent").
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import FixedClock
from bot.services import alerts as service
from storage import alerts as alert_store
from storage import outbox
from storage.alerts import NewAlert
from storage.db import Database
from storage.outbox import OutgoingMessage
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
                OutgoingMessage(1, service.KIND_ALERT, {"text": "x"}, group_id=g, ref_id=alert_id)
                for g in range(1, groups + 1)
            ],
            NOW,
        )
    rows = await outbox.claim_due(db, NOW, groups)
    return alert_id, [r.id for r in rows]


async def run_size(groups: int) -> dict[str, float]:
    clock = FixedClock(NOW)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "counters.db")
        await db.open()
        try:
            alert_id, row_ids = await _alert_to_groups(db, groups)
            check_s = total_s = 0.0
            reports = 0
            for n, row_id in enumerate(row_ids, 1):
                started = time.perf_counter()
                await outbox.mark_sent(db, row_id, n, NOW)
                checked = time.perf_counter()
                stats = await service.finish_if_done(db, clock, alert_id)
                ended = time.perf_counter()
                check_s += ended - checked
                total_s += ended - started
                if stats is not None:
                    reports += 1
                    assert stats.delivered == groups == stats.targeted and not stats.pending
        finally:
            await db.close()
    assert reports == 1, reports
    return {"groups": groups, "check_total_s": check_s, "per_copy_total_s": total_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,30000", help="comma-separated N")
    args = parser.parse_args()
    ok = True
    for size in (int(s) for s in args.sizes.split(",")):
        figures = asyncio.run(run_size(size))
        print(
            f"{size:>6} groups: end-of-alert checks {figures['check_total_s']:.3f} s,"
            f" mark sent + check {figures['per_copy_total_s']:.3f} s"
            f" ({figures['per_copy_total_s'] / size * 1e6:.0f} µs per copy)"
        )
        if size >= 30000:
            ok = ok and figures["check_total_s"] <= 2.0
    print("goals met" if ok else "GOALS NOT MET (end-of-alert checks of 30,000 copies <= 2 s)")


if __name__ == "__main__":
    main()
