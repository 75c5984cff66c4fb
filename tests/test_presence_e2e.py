"""End-to-end: announced police presence (närvaro och synlighet) through the emulator."""

from __future__ import annotations

import pytest

from bot.dialog_scheduler import dialog_scheduler_of
from bot.services.dialog_targets import Feature
from bot.services.presence import RemindMe
from handlers.presence import Confirm
from handlers.presence_manage import Manage, PresencePress
from storage import presence as presence_store
from tests.alerts_helpers import make_police, register_groups
from tests.dialog_helpers import choose_all
from tests.harness import BotHarness, fixed_clock

# The fixed clock: 2026-11-25 12:00 UTC (13:00 in Stockholm).


@pytest.fixture
async def clocked(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "grannvakt.db", clock=fixed_clock())
    await harness.start()
    yield harness
    await harness.stop()


async def _announce(emu, officer, what, place, period, location=None):
    """/narvaro through to Send; returns the dialogue's last screen."""
    await emu.send_text(officer, "/narvaro")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, what)
    await emu.wait_for_message(officer.id)
    if location is not None:
        await emu.share_location(officer, *location)
        await emu.wait_for_message(officer.id)
    await emu.send_text(officer, place)
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, period)
    screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    await choose_all(emu, officer, screen, Feature.PRESENCE)
    data = Confirm(True).pack()
    await emu.wait_until(lambda: any(d == data for _, d in screen.buttons()), what="preview")
    await emu.press_button(officer, screen, data=data)
    await emu.wait_until(lambda: not screen.reply_markup, what="the sent screen")
    return screen


def _announcement(emu, chat_id):
    return next(m for m in emu.sent_messages(chat_id) if RemindMe.filter()(_remind_data(m)))


def _remind_data(message):
    return next((d for _, d in message.buttons()), None)


async def _started(emu, user):
    """The resident opens the bot (so it may write to them privately)."""
    await emu.send_text(user, "/start")
    await emu.wait_for_message(user.id)


async def test_presence_is_announced_and_reminds_after_a_restart_sv(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    rut, sven = emu.add_user("Rut"), emu.add_user("Sven")
    chats = [
        emu.add_group("Norr", members=[rut, sven], bot_is_member=True),
        emu.add_group("Söder", bot_is_member=True),
    ]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    screen = await _announce(
        emu,
        officer,
        "Vi pratar om inbrottsskydd & <lås>",
        "ICA Sölvesborg",
        "2026-11-26 14:00-16:00",
        location=(56.05, 14.58),
    )
    assert "skickas till 2 grupper" in screen.content
    for chat in chats:
        await emu.wait_until(lambda c=chat: len(emu.sent_messages(c.id)) == 3, what="3 posts")
        post, location, ics = emu.sent_messages(chat.id)
        assert post.buttons()[0][0] == "🔔 Påminn mig"
        assert "Polisen på plats" in post.content and "ICA Sölvesborg" in post.content
        assert "tors 26 nov kl. 14.00–16.00" in post.content
        assert "&lt;lås&gt;" in post.html
        assert location.kind == "location"
        assert ics.kind == "document" and ics.filename.endswith(".ics")
        body = ics.document.decode()
        assert "DTSTART:20261126T130000Z" in body and "DTEND:20261126T150000Z" in body
        assert "LOCATION:ICA Sölvesborg" in body

    # /narvarolista stays in the chat: its lines and buttons name the day, never "i morgon"
    await emu.send_text(officer, "/narvarolista")
    listing = await emu.wait_for_message(officer.id, lambda m: "ICA" in m.content)
    assert "tors 26 nov kl. 14.00–16.00: ICA Sölvesborg" in listing.content
    assert listing.button_texts()[:2] == [
        "❌ Ställ in tors 26 nov kl. 14.00",
        "🔄 Flytta tors 26 nov kl. 14.00",
    ]

    post = _announcement(emu, chats[0].id)
    data = _remind_data(post)
    # Sven never opened the bot: a toast says so, with the link
    cq = await emu.press_button(sven, post, data=data)
    answer = await emu.wait_for_callback_answer(cq["id"])
    assert answer["show_alert"] and "t.me/grannvakt_test_bot" in answer["text"]
    await _started(emu, rut)
    cq = await emu.press_button(rut, post, data=data)
    answer = await emu.wait_for_callback_answer(cq["id"])
    assert "påminner dig privat i morgon kl. 13.00." in answer["text"]
    cq = await emu.press_button(rut, post, data=data)  # again: cancels
    assert "borttagen" in (await emu.wait_for_callback_answer(cq["id"]))["text"]
    cq = await emu.press_button(rut, post, data=data)
    assert "påminner" in (await emu.wait_for_callback_answer(cq["id"]))["text"]

    before = len(emu.sent_messages(rut.id))
    bot.clock.advance(hours=23, minutes=59)  # 12:59 local next day: not yet
    assert (await dialog_scheduler_of(bot.app).tick()).reminders == 0
    await bot.stop()
    bot.clock.advance(minutes=2)
    await bot.start()  # the start-up pass sends what fell due while the bot was down
    reminder = await emu.wait_for_message(rut.id, after=before)
    assert "Påminnelse – om en timme" in reminder.content and "ICA Sölvesborg" in reminder.content
    assert (await dialog_scheduler_of(bot.app).tick()).reminders == 0  # only once
    assert len(emu.sent_messages(rut.id)) == before + 1
    assert emu.sent_messages(sven.id) == []


async def test_presence_moved_then_cancelled_replies_in_groups_and_notifies_en(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="en")
    rut = emu.add_user("Rut", language_code="en")
    chats = [emu.add_group(f"G{n}", members=[rut], bot_is_member=True) for n in range(2)]
    await register_groups(bot, chats, language="en")
    await make_police(bot, officer, "0180")
    await _announce(emu, officer, "Coffee with the police", "Library", "26/11 10:00-11:00")
    for chat in chats:
        await emu.wait_until(lambda c=chat: len(emu.sent_messages(c.id)) == 2, what="posts")
    post = _announcement(emu, chats[1].id)
    assert "Remind me" in post.button_texts()[0] and "Thu 26 Nov at 10:00–11:00" in post.content
    await _started(emu, rut)
    cq = await emu.press_button(rut, post, data=_remind_data(post))
    toast = (await emu.wait_for_callback_answer(cq["id"]))["text"]
    assert "I will remind you privately tomorrow at 09:00." in toast
    presence_id = (await presence_store.presences_of(bot.services.db, officer.id, 1))[0].id

    # move
    await emu.send_text(officer, "/presences")
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    # the listing stays in the chat: the day is named, "tomorrow" would go stale
    assert "Thu 26 Nov at 10:00–11:00: Library" in listing.content
    assert listing.button_texts()[:2] == [
        "❌ Cancel Thu 26 Nov at 10:00",
        "🔄 Move Thu 26 Nov at 10:00",
    ]
    await emu.press_button(officer, listing, data=PresencePress(Manage.MOVE, presence_id).pack())
    await emu.wait_for_message(officer.id, lambda m: "new time" in m.content)
    before = {c.id: len(emu.sent_messages(c.id)) for c in chats}
    private_before = len(emu.sent_messages(rut.id))
    await emu.send_text(officer, "26/11 12:00-13:30")
    done = await emu.wait_for_message(officer.id, lambda m: "Moved" in m.content)
    assert "in 2 groups" in done.content
    for chat in chats:
        original = _announcement(emu, chat.id)
        reply = await emu.wait_for_message(
            chat.id, lambda m: "New time" in m.content and m.kind == "text", after=before[chat.id]
        )
        assert reply.raw["reply_to_message"]["message_id"] == original.message_id
        assert "Thu 26 Nov at 12:00–13:30" in reply.content and "10:00–11:00" in reply.content
        await emu.wait_until(lambda o=original: "12:00–13:30" in o.content, what="edited")
        assert original.button_texts() == ["🔔 Remind me"]
        ics = await emu.wait_for_message(
            chat.id, lambda m: m.kind == "document", after=before[chat.id]
        )
        assert "DTSTART:20261126T110000Z" in ics.document.decode()
    notice = await emu.wait_for_message(rut.id, after=private_before)
    assert "New time" in notice.content
    # the listing the move was started from shows the new time on its buttons
    await emu.wait_until(lambda: "Thu 26 Nov at 12:00–13:30" in listing.content, what="listing")
    assert listing.button_texts()[:2] == [
        "❌ Cancel Thu 26 Nov at 12:00",
        "🔄 Move Thu 26 Nov at 12:00",
    ]

    # the reminder follows the move: due at 11:00 local (10:00 UTC), not 09:00 local
    bot.clock.advance(hours=20, minutes=30)  # 2026-11-26 08:30 UTC = 09:30 local
    assert (await dialog_scheduler_of(bot.app).tick()).reminders == 0

    # cancel
    await emu.send_text(officer, "/presences")
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    before = {c.id: len(emu.sent_messages(c.id)) for c in chats}
    private_before = len(emu.sent_messages(rut.id))
    await emu.press_button(officer, listing, data=PresencePress(Manage.CANCEL, presence_id).pack())
    # one tap only asks: Yes, cancel / No, in the listing itself
    await emu.wait_until(lambda: "✅ Yes, cancel Thu 26 Nov at 12:00" in listing.button_texts())
    assert listing.button_texts() == ["✅ Yes, cancel Thu 26 Nov at 12:00", "↩️ No, keep it"]
    stored = await presence_store.get_presence(bot.services.db, presence_id)
    assert stored is not None and not stored.is_cancelled
    await emu.press_button(officer, listing, data=PresencePress(Manage.KEEP, presence_id).pack())
    await emu.wait_until(lambda: "❌ Cancel Thu 26 Nov at 12:00" in listing.button_texts())
    stored = await presence_store.get_presence(bot.services.db, presence_id)
    assert not stored.is_cancelled and len(emu.sent_messages(rut.id)) == private_before
    await emu.press_button(officer, listing, data=PresencePress(Manage.CANCEL, presence_id).pack())
    await emu.wait_until(lambda: "↩️ No, keep it" in listing.button_texts())
    await emu.press_button(officer, listing, data=PresencePress(Manage.CONFIRM, presence_id).pack())
    done = await emu.wait_for_message(officer.id, lambda m: "Cancelled." in m.content)
    # the listing keeps no button for what cannot be done any more
    await emu.wait_until(lambda: not listing.buttons(), what="listing without buttons")
    assert "❌ Thu 26 Nov at 12:00–13:30: Library" in listing.content
    for chat in chats:
        original = emu.sent_messages(chat.id)[0]  # the announcement
        reply = await emu.wait_for_message(
            chat.id, lambda m: "Cancelled" in m.content, after=before[chat.id]
        )
        assert reply.raw["reply_to_message"]["message_id"] == original.message_id
        await emu.wait_until(lambda o=original: "Cancelled" in o.content, what="edited")
        assert original.buttons() == []  # no reminder button on a cancelled visit
        assert "Tap 🔔" not in original.content  # ... nor the words about it
    notice = await emu.wait_for_message(rut.id, after=private_before)
    assert "Cancelled" in notice.content
    bot.clock.advance(hours=2)
    assert (await dialog_scheduler_of(bot.app).tick()).reminders == 0  # never reminded
    # a press on an old button after the cancel
    cq = await emu.press_forged(
        rut, emu.sent_messages(chats[0].id)[0], RemindMe(presence_id).pack()
    )
    answer = await emu.wait_for_callback_answer(cq["id"])
    assert answer.get("text")


async def test_only_police_announce_and_bad_times_are_explained(clocked):
    bot, emu = clocked, clocked.emu
    resident = emu.add_user("Rut", language_code="sv")
    await emu.send_text(resident, "/narvaro")
    assert "meddelas av poliser" in (await emu.wait_for_message(resident.id)).content
    officer = emu.add_user("Olle", language_code="sv")
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/narvaro")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Info")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Torget")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "i morgon eftermiddag")
    assert "förstod jag inte" in (await emu.wait_for_message(officer.id)).content
    await emu.send_text(officer, "2026-11-24 14:00-15:00")
    assert "redan varit" in (await emu.wait_for_message(officer.id)).content


async def test_a_photo_where_text_is_due_is_answered(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="en")
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/presence")
    await emu.wait_for_message(officer.id)
    await emu.send_photo(officer)
    again = (await emu.wait_for_message(officer.id)).content
    assert "please type it" in again and "What is it about?" in again  # and the question
    await emu.send_text(officer, "Coffee")
    assert "Where?" in (await emu.wait_for_message(officer.id)).content
