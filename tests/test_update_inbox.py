"""Units: the update inbox table (storage/update_inbox.py) and how the intake marks updates done."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from telegram import Update

from bot import intake as intake_module
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


async def test_done_marks_are_noted_at_once_and_stored_together_within_the_flush_delay(
    db, intake, monkeypatch
):
    await inbox.store_batch(db, [(n, "{}") for n in range(1, 31)], NOW)
    writes: list[int] = []
    original = db.run_transaction

    async def counting(work):
        writes.append(1)
        return await original(work)

    monkeypatch.setattr(db, "run_transaction", counting)
    for n in range(1, 21):
        await intake.mark_done(_update(n))  # returns without writing
    assert writes == [] and intake.unstored_marks == 20
    assert await inbox.count_unfinished(db) == 30
    await asyncio.sleep(intake_module.DONE_FLUSH_DELAY * 3)
    # All 20 in one write, without anybody asking for it.
    assert len(writes) == 1 and intake.unstored_marks == 0
    assert await inbox.count_unfinished(db) == 10
    await intake.mark_done(_update(21))  # a later one: the next batch
    await intake.flush()
    assert len(writes) == 2
    assert [u.update_id for u in await inbox.claim_unfinished(db)] == list(range(22, 31))


async def test_a_full_batch_is_written_without_waiting(db, intake, monkeypatch):
    monkeypatch.setattr(intake_module, "DONE_FLUSH_DELAY", 3600.0)
    monkeypatch.setattr(intake_module, "DONE_BATCH_LIMIT", 5)
    await inbox.store_batch(db, [(n, "{}") for n in range(1, 8)], NOW)
    for n in range(1, 6):
        await intake.mark_done(_update(n))
    for _ in range(50):  # a few event-loop turns and one write, not an hour
        await asyncio.sleep(0.01)
        if await inbox.count_unfinished(db) == 2:
            break
    assert await inbox.count_unfinished(db) == 2
    await intake.mark_done(_update(6))
    await asyncio.sleep(0.05)
    assert intake.unstored_marks == 1  # below the limit: waits for the delay (or a flush)
    await intake.flush()
    assert await inbox.count_unfinished(db) == 1


async def test_a_failed_done_mark_is_logged_kept_and_stored_by_a_later_write(
    db, intake, monkeypatch, caplog: pytest.LogCaptureFixture
):
    await inbox.store_batch(db, [(1, "{}"), (2, "{}"), (3, "{}")], NOW)
    original = inbox.mark_done

    async def broken(*_):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(inbox, "mark_done", broken)
    await intake.mark_done(_update(1))
    await intake.mark_done(_update(2))
    await intake.flush()
    assert any(
        "could not mark 2 updates as handled ([1, 2]" in r.getMessage() for r in caplog.records
    )
    assert await inbox.count_unfinished(db) == 3  # handled once more after a crash now
    assert intake.unstored_marks == 2  # and kept for the next write
    monkeypatch.setattr(inbox, "mark_done", original)
    await intake.mark_done(_update(3))
    await intake.flush()
    assert await inbox.count_unfinished(db) == 0 and intake.unstored_marks == 0


async def test_a_flush_leaves_no_write_timer_behind(db, intake):
    await inbox.store_batch(db, [(1, "{}")], NOW)
    await intake.mark_done(_update(1))
    await intake.flush()
    assert intake._done_timer is None  # nothing fires after the database closed
    assert await inbox.count_unfinished(db) == 0


async def test_a_batch_is_stored_exactly_as_received_and_redeliveries_are_not_new(db):
    texts = {
        1: '{"message": {"text": "Hej Åsa 👋🏽\\nrad två", "chat": {"id": 1}}}',
        2: '{"message": {"text": "tab\\t\\"citat\\" \\\\ \\u0000"}}',
        3: "{}",
    }
    assert await inbox.store_batch(db, list(texts.items()), NOW) == [1, 2, 3]
    stored = {u.update_id: u.payload for u in await inbox.claim_unfinished(db)}
    assert stored == texts
    # Telegram sends 2 and 3 again (not confirmed before a crash) with a new one, 4.
    again = [(2, "changed?"), (4, '{"x": "ö"}'), (3, "{}"), (4, '{"x": "ö"}')]
    assert await inbox.store_batch(db, again, NOW) == [4]
    stored = {u.update_id: u.payload for u in await inbox.claim_unfinished(db)}
    assert stored == {**texts, 4: '{"x": "ö"}'}  # the first copy of 2 is kept
