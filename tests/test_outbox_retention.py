"""Retention (issue #11 §5): sent outbox rows older than OUTBOX_RETENTION_DAYS are deleted
by a periodic pass, in bounded batches, while alert statistics, updates and withdrawals of
those alerts keep working (they read alert_copies and outbox_counts.pruned)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.outbox_retention import OutboxRetention
from config import Settings
from handlers.alerts_buttons import AlertManage, ManageAction
from storage import outbox, outbox_retention, outbox_worker
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText
from storage.timeutil import to_db
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of
from tests.harness import BotHarness, fixed_clock

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_retention_days_default_and_validation():
    assert Settings(bot_token="1:x").outbox_retention_days == 30
    assert Settings(bot_token="1:x", outbox_retention_days=1).outbox_retention_days == 1
    with pytest.raises(ValidationError):
        Settings(bot_token="1:x", outbox_retention_days=0)


async def _enqueue(db: Database, n: int, at: datetime, ref_id: int = 1) -> list[int]:
    async with db.transaction() as conn:
        await outbox.enqueue_many(
            conn,
            [
                OutgoingMessage(2, "tip", SendText(f"t{k}"), chat_id=k, ref_id=ref_id)
                for k in range(n)
            ],
            at,
        )
    rows = await db.fetch_all(
        "SELECT id FROM outbox WHERE created_at = ? ORDER BY id", (to_db(at),)
    )
    return [r[0] for r in rows][-n:]


async def _ids(db: Database) -> dict[int, str]:
    return {r[0]: r[1] for r in await db.fetch_all("SELECT id, status FROM outbox")}


async def _counts(db: Database, ref_id: int = 1) -> tuple[int, ...]:
    row = await db.fetch_one(
        "SELECT total, sent, failed, unfinished, pruned FROM outbox_counts"
        " WHERE kind = 'tip' AND ref_id = ?",
        (ref_id,),
    )
    assert row is not None
    return tuple(row)


@pytest.fixture
async def rdb(tmp_path):
    db = Database(tmp_path / "r.db")
    await db.open()
    yield db
    await db.close()


class _Services:
    """What OutboxRetention reads of the services: settings, clock, database."""

    def __init__(self, db: Database, clock) -> None:
        self.db = db
        self.clock = clock
        self.settings = Settings(bot_token="1:x", outbox_retention_days=30)


def _pass(db: Database, clock, **kwargs) -> OutboxRetention:
    return OutboxRetention(_Services(db, clock), **kwargs)  # type: ignore[arg-type]


async def test_prune_deletes_only_old_sent_rows_in_bounded_batches(rdb):
    db = rdb
    ids = await _enqueue(db, 7, NOW)
    for row_id in ids[:5]:
        await outbox_worker.mark_sent(db, row_id, 100 + row_id, NOW)
    await outbox_worker.mark_failed(db, ids[5], "bad", NOW)  # failed rows are kept
    # One sent row was sent late (after the cutoff): kept, though created long before.
    await db.execute(
        "UPDATE outbox SET updated_at = ? WHERE id = ?", (to_db(NOW + timedelta(days=35)), ids[4])
    )
    cutoff = NOW + timedelta(days=1)
    # Each batch reads at most 3 rows by id: [0 1 2] [3 4 5] [6].
    first = await outbox_retention.prune_sent(db, cutoff, 3)
    assert (first.deleted, first.next_id, first.held_since) == (3, ids[3], None)
    second = await outbox_retention.prune_sent(db, cutoff, 3, first.next_id)
    assert (second.deleted, second.next_id, second.held_since) == (1, ids[6], NOW)
    third = await outbox_retention.prune_sent(db, cutoff, 3, second.next_id)
    assert (third.deleted, third.next_id, third.held_since) == (0, None, NOW)
    assert await _ids(db) == {ids[4]: "sent", ids[5]: "failed", ids[6]: "pending"}
    # total and sent count the rows that exist, pruned the deleted ones (4 sent rows)
    assert await _counts(db) == (3, 1, 1, 1, 4)


async def test_old_unfinished_rows_below_the_boundary_stay_and_go_once_sent(rdb):
    """A row created long ago that is still pending (or sending) lies below the boundary
    but is not deleted; once sent and old enough, a later pass deletes it although passes
    in between have moved on past newer rows."""
    db, clock = rdb, fixed_clock()
    pending, sending, sent = await _enqueue(db, 3, clock.now())
    await outbox_worker.mark_sent(db, sent, 7, clock.now())
    claimed = await outbox_worker.claim_due(db, clock.now(), 2)
    assert [r.id for r in claimed] == [pending, sending]
    await db.execute("UPDATE outbox SET status = 'pending' WHERE id = ?", (pending,))
    later = await _enqueue(db, 2, clock.now() + timedelta(days=5))
    for row_id in later:
        await outbox_worker.mark_sent(db, row_id, 8, clock.now() + timedelta(days=5))
    retention = _pass(db, clock, batch_size=2)

    clock.advance(days=40)
    result = await retention.tick()
    assert result.deleted == 3  # `sent` and both `later`
    assert await _ids(db) == {pending: "pending", sending: "sending"}

    await outbox_worker.mark_sent(db, pending, 9, clock.now())
    await outbox_worker.mark_failed(db, sending, "gone", clock.now())
    clock.advance(days=20)
    assert (await retention.tick()).deleted == 0  # sent 20 days ago: not yet
    clock.advance(days=11)
    assert (await retention.tick()).deleted == 1
    assert await _ids(db) == {sending: "failed"}
    assert await _counts(db) == (1, 0, 1, 0, 4)


async def test_a_pass_is_bounded_and_the_next_one_goes_on(rdb):
    db, clock = rdb, fixed_clock()
    ids = await _enqueue(db, 10, clock.now())
    for row_id in ids:
        await outbox_worker.mark_sent(db, row_id, 1, clock.now())
    clock.advance(days=31)
    retention = _pass(db, clock, batch_size=3, max_batches=2)
    first = await retention.tick()
    assert (first.deleted, first.batches) == (6, 2)
    second = await retention.tick()
    assert (second.deleted, second.batches) == (4, 2)
    assert await _ids(db) == {}
    assert await _counts(db) == (0, 0, 0, 0, 10)


async def test_a_sweep_goes_on_past_more_kept_rows_than_one_pass_reads(rdb):
    """A row the sweep has to leave (still pending) followed by more kept rows than one
    pass reads: the next pass goes on where the last one stopped instead of starting at
    the pending row again, so the sent rows behind them are reached."""
    db, clock = rdb, fixed_clock()
    pending, *failed = await _enqueue(db, 6, clock.now())
    for row_id in failed:
        await outbox_worker.mark_failed(db, row_id, "bad", clock.now())
    sent = await _enqueue(db, 3, clock.now() + timedelta(hours=1), ref_id=2)
    for row_id in sent:
        await outbox_worker.mark_sent(db, row_id, 1, clock.now() + timedelta(hours=1))
    clock.advance(days=31)
    retention = _pass(db, clock, batch_size=2, max_batches=2)
    results = [await retention.tick() for _ in range(3)]
    assert [r.deleted for r in results] == [0, 2, 1]
    assert await _ids(db) == {pending: "pending", **{f: "failed" for f in failed}}
    # the sweep is done; the next one starts at the pending row (it may be sent yet)
    assert results[-1].resume_from == NOW
    assert await outbox_retention.first_id_since(db, NOW) <= pending


async def test_kept_rows_are_not_read_again_by_every_pass(rdb):
    """Failed and skipped rows stay for good: once a pass has seen them, the next pass
    starts after them (it remembers up to when every row is settled)."""
    db, clock = rdb, fixed_clock()
    ids = await _enqueue(db, 9, clock.now())
    for row_id in ids:
        await outbox_worker.mark_failed(db, row_id, "bad", clock.now())
    clock.advance(days=31)
    retention = _pass(db, clock, batch_size=2)
    first = await retention.tick()
    assert (first.deleted, first.batches) == (0, 5)
    assert first.resume_from == first.cutoff
    clock.advance(hours=1)
    again = await retention.tick()
    assert (again.deleted, again.batches) == (0, 1)  # one empty window, no kept row read
    assert await outbox_retention.first_id_since(db, again.resume_from) > ids[-1]


async def test_ids_used_again_after_deletes_are_still_pruned(rdb):
    """When the newest rows are deleted (the whole outbox pruned, an erasure), SQLite gives
    new rows ids that were used before: the pass remembers a time, not an id, so it still
    finds them."""
    db, clock = rdb, fixed_clock()
    first_ids = await _enqueue(db, 4, clock.now())
    for row_id in first_ids:
        await outbox_worker.mark_sent(db, row_id, 1, clock.now())
    clock.advance(days=31)
    retention = _pass(db, clock, batch_size=3)
    assert (await retention.tick()).deleted == 4
    new_ids = await _enqueue(db, 2, clock.now(), ref_id=2)
    assert new_ids[0] <= first_ids[-1]  # the ids are used again
    for row_id in new_ids:
        await outbox_worker.mark_sent(db, row_id, 1, clock.now())
    clock.advance(days=31)
    assert (await retention.tick()).deleted == 2
    assert await _ids(db) == {}


async def test_the_boundary_is_found_by_binary_search_on_the_key(rdb):
    db = rdb
    days = [await _enqueue(db, 5, NOW + timedelta(days=d)) for d in range(4)]
    await db.execute("DELETE FROM outbox WHERE id IN (?, ?)", (days[2][0], days[1][4]))
    assert await outbox_retention.first_id_since(db, NOW - timedelta(days=1)) == 0
    assert await outbox_retention.first_id_since(db, NOW) == 0
    assert await outbox_retention.first_id_since(db, NOW + timedelta(hours=1)) == days[1][0]
    # the first row of day 2 was deleted: the boundary is just after day 1's last row
    assert await outbox_retention.first_id_since(db, NOW + timedelta(days=2)) == days[1][3] + 1
    assert await outbox_retention.first_id_since(db, NOW + timedelta(days=3)) == days[3][0]
    assert await outbox_retention.first_id_since(db, NOW + timedelta(days=9)) == days[3][4] + 1


async def _listing(emu, officer):
    before = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "/alerts")
    return await emu.wait_for_message(officer.id, lambda m: "Reached" in m.text, after=before)


async def test_after_retention_statistics_updates_and_withdrawals_still_work(emu, tmp_path, caplog):
    clock = fixed_clock()
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock, outbox_retention_days=30)
    await harness.start()
    try:
        officer = emu.add_user("Olle", language_code="en")
        residents = [emu.add_user(f"R{n}", language_code="en") for n in range(2)]
        chats = [emu.add_group(f"G{n}", members=residents, bot_is_member=True) for n in range(3)]
        await register_groups(harness, chats, language="en")
        await make_police(harness, officer)
        confirm = await compose_alert(emu, officer, "Bike thefts at the station")
        await text_of(emu, confirm, "Delivered:")
        await emu.press_button(
            residents[0], emu.last_message(chats[0].id), text="✅ I have read this"
        )
        await emu.wait_for_callback_answer()
        db = harness.services.db
        await harness.services.delivery.wait_idle()

        retention = OutboxRetention.of(harness.app)
        assert (await retention.tick()).deleted == 0  # nothing is old yet
        clock.advance(days=31)
        with caplog.at_level(logging.INFO, logger="bot.outbox_retention"):
            result = await retention.tick()
        assert result.deleted >= 3
        assert "deleted" in caplog.text and "sent row(s)" in caplog.text
        assert await db.fetch_value("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 0

        listing = await _listing(emu, officer)
        assert "Reached 3 of 3 groups · 1 marked it as read" in listing.text

        update = AlertManage(ManageAction.UPDATE, 1).pack()
        assert update in {d for _, d in listing.buttons()}
        await emu.press_button(officer, listing, data=update)
        await emu.wait_for_message(officer.id, lambda m: "Write the update" in m.text, after=0)
        await emu.send_text(officer, "Suspect arrested")
        preview = await emu.wait_for_message(officer.id, lambda m: "This is how" in m.text)
        await emu.press_button(officer, preview, text="🔄 Send the update")
        for chat in chats:  # an update edits every copy
            edited = await text_of(emu, emu.sent_messages(chat.id)[0], "Suspect arrested")
            assert "Bike thefts" in edited.text

        listing = await _listing(emu, officer)
        withdraw = AlertManage(ManageAction.WITHDRAW, 1).pack()
        assert withdraw in {d for _, d in listing.buttons()}
        await emu.press_button(officer, listing, data=withdraw)
        ask = await emu.wait_for_message(
            officer.id, lambda m: any(label == "Yes, withdraw" for label, _ in m.buttons()), after=0
        )
        await emu.press_button(officer, ask, text="Yes, withdraw")
        for chat in chats:
            message = await text_of(emu, emu.sent_messages(chat.id)[0], "WITHDRAWN")
            assert message.reply_markup is None
    finally:
        await harness.stop()
