"""Units: the update inbox table (storage/update_inbox.py) and how the intake marks updates done."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from telegram import Update

from bot.intake import UpdateIntake
from storage import update_inbox as inbox

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def test_store_batch_returns_only_new_updates_and_keeps_the_first_copy(db):
    assert await inbox.store_batch(db, [(5, '{"a": 1}'), (6, '{"b": 2}')], NOW) == [5, 6]
    # Telegram redelivers an unconfirmed batch after a crash: nothing is new twice.
    assert await inbox.store_batch(db, [(6, '{"b": "again"}'), (7, "{}")], NOW) == [7]
    unfinished = await inbox.claim_unfinished(db)
    assert [(u.update_id, u.payload) for u in unfinished] == [
        (5, '{"a": 1}'),
        (6, '{"b": 2}'),
        (7, "{}"),
    ]


async def test_claim_counts_start_ups_and_done_updates_are_left_out(db):
    await inbox.store_batch(db, [(3, "{}"), (1, "{}"), (2, "{}")], NOW)
    await inbox.mark_done(db, [2, 99], NOW)
    first = await inbox.claim_unfinished(db)
    assert [(u.update_id, u.attempts) for u in first] == [(1, 1), (3, 1)]  # oldest first
    second = await inbox.claim_unfinished(db)
    assert [u.attempts for u in second] == [2, 2]
    assert await inbox.count_unfinished(db) == 2


async def test_prune_deletes_only_done_updates_older_than_the_limit(db):
    await inbox.store_batch(db, [(1, "{}"), (2, "{}"), (3, "{}")], NOW)
    await inbox.mark_done(db, [1], NOW - timedelta(days=3))
    await inbox.mark_done(db, [2], NOW)
    assert await inbox.prune_done(db, NOW - timedelta(days=2)) == 1
    left = await db.fetch_all("SELECT update_id FROM update_inbox ORDER BY update_id")
    assert [r[0] for r in left] == [2, 3]  # the unfinished one is never pruned


async def test_reads_of_other_tasks_never_see_an_open_transaction(db):
    """Handlers run concurrently on one connection: a read must not see another
    handler's half-done transaction (here one that is rolled back in the end)."""
    inside = asyncio.Event()

    async def failing_write() -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO update_inbox (update_id, payload, received_at) VALUES (1, '{}', 'x')"
            )
            assert await db.fetch_value("SELECT COUNT(*) FROM update_inbox") == 1  # its own
            inside.set()
            await asyncio.sleep(0.05)
            raise RuntimeError("rolled back")

    writer = asyncio.create_task(failing_write())
    await inside.wait()
    seen = await db.fetch_value("SELECT COUNT(*) FROM update_inbox")
    with pytest.raises(RuntimeError):
        await writer
    assert seen == 0


def _update(update_id: int) -> Update:
    return Update(update_id)


@pytest.fixture
def intake(db):
    app = SimpleNamespace(bot=None, update_queue=asyncio.Queue(), persistence=None)
    return UpdateIntake(app, db, SimpleNamespace(now=lambda: NOW))  # type: ignore[arg-type]


async def test_updates_handled_together_are_marked_done_in_one_transaction(db, intake, monkeypatch):
    await inbox.store_batch(db, [(n, "{}") for n in range(1, 31)], NOW)
    writes: list[int] = []
    original = db.run_transaction

    async def counting(work):
        writes.append(1)
        return await original(work)

    monkeypatch.setattr(db, "run_transaction", counting)
    await asyncio.gather(*(intake.mark_done(_update(n)) for n in range(1, 21)))
    # Every mark is stored when mark_done returns, all 20 in one write.
    assert len(writes) == 1
    assert [u.update_id for u in await inbox.claim_unfinished(db)] == list(range(21, 31))
    await intake.mark_done(_update(21))  # a later one gets its own write
    assert len(writes) == 3  # (claim_unfinished was the second)
    assert await inbox.count_unfinished(db) == 9


async def test_a_failed_done_mark_is_logged_and_the_update_stays_unfinished(
    db, intake, monkeypatch, caplog: pytest.LogCaptureFixture
):
    await inbox.store_batch(db, [(1, "{}"), (2, "{}")], NOW)

    async def broken(*_):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(inbox, "mark_done", broken)
    await asyncio.gather(intake.mark_done(_update(1)), intake.mark_done(_update(2)))
    assert any("could not mark updates [1, 2]" in r.getMessage() for r in caplog.records)
    assert await inbox.count_unfinished(db) == 2  # handled once more after a restart


async def test_a_cancelled_handler_does_not_cancel_the_others_done_marks(db, intake):
    await inbox.store_batch(db, [(1, "{}"), (2, "{}")], NOW)
    first = asyncio.ensure_future(intake.mark_done(_update(1)))
    second = asyncio.ensure_future(intake.mark_done(_update(2)))
    await asyncio.sleep(0)
    first.cancel()
    await second
    assert await inbox.count_unfinished(db) == 0
