"""outbox_counts (migration 0007) always equals a recount of the outbox, whatever happens
to the rows: enqueue, claim, send, fail, skip, withdraw, retry, defer, crash recovery,
payload rewrites, and rows deleted with their group."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.services import alerts as service
from storage import alerts as alert_store
from storage import groups as group_store
from storage import outbox, outbox_worker
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

RECOUNT = """
SELECT kind, ref_id, COUNT(*), SUM(status IN ('pending', 'sending')), SUM(status = 'sent'),
    SUM(status = 'failed'), SUM(status = 'skipped'),
    SUM(status = 'skipped' AND COALESCE(error, '') = 'withdrawn')
FROM outbox WHERE ref_id IS NOT NULL GROUP BY kind, ref_id
"""
COUNTERS = """
SELECT kind, ref_id, total, unfinished, sent, failed, skipped, withdrawn
FROM outbox_counts WHERE total > 0
"""


async def _same(db: Database) -> None:
    recount = {tuple(r) for r in await db.fetch_all(RECOUNT)}
    counters = {tuple(r) for r in await db.fetch_all(COUNTERS)}
    assert counters == recount


async def test_counters_follow_every_kind_of_change(db):
    rng = random.Random(19)
    groups = []
    for n in range(12):
        group = await group_store.ensure_group(db, -100 - n, f"G{n}", NOW)
        groups.append(group.id)
    deleted = 0
    for step in range(300):
        action = rng.randrange(8)
        if action in (0, 1):
            kind = rng.choice(["alert", "tip"])
            ref = rng.randrange(1, 5)
            messages = [
                OutgoingMessage(1, kind, SendText("x"), group_id=g, ref_id=ref)
                for g in rng.sample(groups, rng.randrange(1, 5))
            ]
            messages.append(OutgoingMessage(2, "notice", SendText("y"), chat_id=5))  # no ref
            async with db.transaction() as conn:
                await outbox.enqueue_many(conn, messages, NOW)
        elif action == 2:
            await outbox_worker.claim_due(db, NOW + timedelta(hours=1), rng.randrange(1, 6))
        elif action in (3, 4, 5):
            rows = await db.fetch_all("SELECT id FROM outbox WHERE status = 'sending'")
            if rows:
                row_id = rng.choice(rows)[0]
                finish = rng.choice(
                    [
                        lambda i: outbox_worker.mark_sent(db, i, 7, NOW),
                        lambda i: outbox_worker.mark_failed(db, i, "bad", NOW),
                        lambda i: outbox_worker.mark_skipped(db, i, "group inactive", NOW),
                        lambda i: outbox_worker.schedule_retry(db, i, NOW, "network", NOW),
                        lambda i: outbox_worker.defer(db, i, NOW, "retry after 1s", NOW),
                    ]
                )
                await finish(row_id)
        elif action == 6:
            async with db.transaction() as conn:
                await outbox.skip_pending(conn, "alert", rng.randrange(1, 5), "withdrawn", NOW)
        elif action == 7:
            await outbox_worker.reset_sending(db, NOW)
        if step in (100, 200, 250):  # a group and its rows go away (ON DELETE CASCADE)
            before = await db.fetch_value("SELECT COUNT(*) FROM outbox")
            await db.execute("DELETE FROM groups WHERE id = ?", (groups.pop(),))
            deleted += before - await db.fetch_value("SELECT COUNT(*) FROM outbox")
        await _same(db)
    assert deleted > 0
    assert await db.fetch_value("SELECT COUNT(*) FROM outbox_counts") > 4


async def test_alert_stats_and_end_check_read_the_counters(db):
    groups = [(await group_store.ensure_group(db, -200 - n, f"G{n}", NOW)).id for n in range(4)]
    async with db.transaction() as conn:
        alert = alert_store.NewAlert(1, "sv", "burglary", "Inbrott", None, "all", [])
        alert_id = await alert_store.insert_alert(conn, alert, NOW)
        await outbox.enqueue_many(
            conn,
            [
                OutgoingMessage(1, "alert", SendText("x"), group_id=g, ref_id=alert_id)
                for g in groups
            ],
            NOW,
        )
    rows = await outbox_worker.claim_due(db, NOW, 10)
    await outbox_worker.mark_sent(db, rows[0].id, 1, NOW)
    await outbox_worker.mark_skipped(db, rows[1].id, "group inactive", NOW)
    await outbox_worker.mark_failed(db, rows[2].id, "Bad Request: chat not found", NOW)
    clock = _Clock()
    assert await alert_store.unfinished_copies(db, alert_id) == 1
    assert await service.finish_if_done(db, clock, alert_id) is None
    async with db.transaction() as conn:
        await outbox.skip_pending(conn, "alert", alert_id, "withdrawn", NOW)  # none pending
    await outbox_worker.mark_sent(db, rows[3].id, 2, NOW)
    stats = await service.finish_if_done(db, clock, alert_id)
    assert stats is not None
    assert (stats.targeted, stats.delivered, stats.failed, stats.inactive, stats.pending) == (
        4,
        2,
        1,
        1,
        0,
    )
    assert await service.finish_if_done(db, clock, alert_id) is None  # reported once


class _Clock:
    def now(self) -> datetime:
        return NOW
