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
from storage import outbox
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


async def test_prune_deletes_only_old_sent_rows_in_bounded_batches(tmp_path):
    db = Database(tmp_path / "r.db")
    await db.open()
    try:
        async with db.transaction() as conn:
            await outbox.enqueue_many(
                conn,
                [
                    OutgoingMessage(2, "tip", SendText(f"t{n}"), chat_id=n, ref_id=1)
                    for n in range(7)
                ],
                NOW,
            )
        rows = await outbox.rows_for(db, "tip", 1)
        for row in rows[:5]:
            await outbox.mark_sent(db, row.id, 100 + row.id, NOW)
        await outbox.mark_failed(db, rows[5].id, "bad", NOW)  # failed rows are kept
        # One sent row is recent: kept.
        await db.execute(
            "UPDATE outbox SET updated_at = ? WHERE id = ?",
            (to_db(NOW + timedelta(days=35)), rows[4].id),
        )
        cutoff = NOW + timedelta(days=1)
        assert await outbox.prune_sent(db, cutoff, 3) == 3
        assert await outbox.prune_sent(db, cutoff, 3) == 1
        assert await outbox.prune_sent(db, cutoff, 3) == 0
        left = {(r.id, r.status) for r in await outbox.rows_for(db, "tip", 1)}
        assert left == {(rows[4].id, "sent"), (rows[5].id, "failed"), (rows[6].id, "pending")}
        counts = await db.fetch_one(
            "SELECT total, sent, pruned FROM outbox_counts WHERE kind = 'tip' AND ref_id = 1"
        )
        assert tuple(counts) == (3, 1, 4)  # the 4 pruned rows still count as sent
    finally:
        await db.close()


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
