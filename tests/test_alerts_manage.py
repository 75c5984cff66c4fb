"""End-to-end: "Read" acknowledgements, /alerts, update and withdraw of a sent alert."""

from __future__ import annotations

from bot.services.alert_ack import AlertAck, AlertAckV0
from handlers.alerts_buttons import AlertManage, ManageAction
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of


async def _sent_alert(bot, lang: str = "en", groups: int = 2):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    residents = [emu.add_user(f"R{n}", language_code=lang) for n in range(2)]
    chats = [emu.add_group(f"G{n}", members=residents, bot_is_member=True) for n in range(groups)]
    await register_groups(bot, chats, language=lang)
    await make_police(bot, officer)
    confirm = await compose_alert(emu, officer, "Bike thefts at the station")
    await text_of(emu, confirm, "Delivered:" if lang == "en" else "Levererat:")
    return officer, residents, chats


async def test_seen_is_counted_once_per_person(bot):
    emu = bot.emu
    officer, (ann, bo), chats = await _sent_alert(bot)
    first = emu.last_message(chats[0].id)
    second = emu.last_message(chats[1].id)
    await emu.press_button(ann, first, text="✅ I have read this")
    assert "Thank you" in (await emu.wait_for_callback_answer())["text"]
    await emu.press_button(ann, second, text="✅ I have read this")  # same alert, other group
    assert "already" in (await emu.wait_for_callback_answer())["text"]
    await emu.press_button(bo, first, text="✅ I have read this")
    assert "Thank you" in (await emu.wait_for_callback_answer())["text"]
    await emu.send_text(officer, "/alerts")
    listing = await emu.wait_for_message(officer.id)
    assert "Reached 2 of 2 groups · 2 marked it as read" in listing.text
    assert "Bike thefts" in listing.text


async def test_an_ack_in_the_format_before_the_codec_still_counts(bot):
    """Alerts delivered before the callback codec carry `ack:<id>` in the groups' chats:
    pressing them still records the person as having seen the alert."""
    emu = bot.emu
    _, (ann, _), chats = await _sent_alert(bot)
    message = emu.last_message(chats[0].id)
    alert_id = AlertAck.unpack(message.buttons()[0][1]).alert_id
    assert alert_id is not None
    old = AlertAckV0(alert_id).pack()
    assert old == f"ack:{alert_id}"  # the wire format of the earlier release
    message.reply_markup = {
        "inline_keyboard": [[{"text": "✅ I have read this", "callback_data": old}]]
    }
    await emu.press_button(ann, message, data=old)
    assert "Thank you" in (await emu.wait_for_callback_answer())["text"]
    rows = await bot.services.db.fetch_all(
        "SELECT user_id FROM alert_acks WHERE alert_id = ?", (alert_id,)
    )
    assert [row[0] for row in rows] == [ann.id]
    await emu.press_button(
        ann, emu.last_message(chats[1].id), text="✅ I have read this"
    )  # new format
    assert "already" in (await emu.wait_for_callback_answer())["text"]


async def test_forged_ack_is_answered_politely(bot):
    emu = bot.emu
    _, (ann, _), chats = await _sent_alert(bot)
    message = emu.last_message(chats[0].id)
    message.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": AlertAck(99999).pack()}]]
    }
    await emu.press_button(ann, message, data=AlertAck(99999).pack())
    assert "no longer exists" in (await emu.wait_for_callback_answer())["text"]


async def test_update_edits_every_group_and_replies_where_editing_fails(bot):
    emu = bot.emu
    officer, _, chats = await _sent_alert(bot)
    emu.last_message(chats[1].id).deleted = True  # someone deleted it in the group
    await emu.send_text(officer, "/alerts")
    listing = await emu.wait_for_message(officer.id)
    update_button = next(
        d for _, d in listing.buttons() if AlertManage.filter(action=ManageAction.UPDATE)(d)
    )
    await emu.press_button(officer, listing, data=update_button)
    ask = await emu.wait_for_message(officer.id)
    assert "Write the update" in ask.text
    await emu.send_text(officer, "Suspect <arrested> at 14:00")
    preview = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, preview, text="🔄 Send the update")
    queued = await emu.wait_for_message(officer.id)
    assert "2 groups" in queued.text
    edited = await text_of(emu, emu.sent_messages(chats[0].id)[0], "Suspect <arrested>")
    assert "Bike thefts" in edited.text and edited.buttons()[0][0] == "✅ I have read this"
    assert "&lt;arrested&gt;" in edited.html
    reply = await emu.wait_for_message(chats[1].id, lambda m: "🔄 Update:" in m.text, after=0)
    assert "Suspect <arrested>" in reply.text


async def test_withdraw_marks_the_alert_everywhere(bot):
    emu = bot.emu
    officer, _, chats = await _sent_alert(bot, lang="sv")
    await emu.send_text(officer, "/larmlista")
    listing = await emu.wait_for_message(officer.id)
    withdraw = next(
        d for _, d in listing.buttons() if AlertManage.filter(action=ManageAction.WITHDRAW)(d)
    )
    await emu.press_button(officer, listing, data=withdraw)
    confirm = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, confirm, text="Ja, återkalla")
    await text_of(emu, confirm, "återkallas i 2 grupper")
    for chat in chats:
        message = await text_of(emu, emu.sent_messages(chat.id)[0], "ÅTERKALLAT")
        assert message.reply_markup is None and "Bike thefts" in message.text
    await emu.send_text(officer, "/larmlista")
    again = await emu.wait_for_message(officer.id)
    assert "återkallat" in again.text
    assert [text for text, _ in again.buttons()] == ["📊 Per grupp #1"]  # no manage buttons
    await emu.press_button(officer, listing, data=withdraw)  # the old list's button
    assert "redan återkallat" in (await emu.wait_for_callback_answer())["text"]


async def test_only_the_sender_may_manage_an_alert(bot):
    emu = bot.emu
    officer, _, _ = await _sent_alert(bot)
    other = emu.add_user("Other", language_code="en")
    await make_police(bot, other)
    await emu.send_text(officer, "/alerts")
    listing = await emu.wait_for_message(officer.id)
    withdraw = next(
        d for _, d in listing.buttons() if AlertManage.filter(action=ManageAction.WITHDRAW)(d)
    )
    await emu.send_text(other, "/alerts")
    theirs = await emu.wait_for_message(other.id)
    assert "not sent any alerts" in theirs.text
    theirs.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": withdraw}]]}
    await emu.press_button(other, theirs, data=withdraw)
    assert "not allowed" in (await emu.wait_for_callback_answer())["text"]


async def test_alerts_list_is_for_police_only(bot):
    emu = bot.emu
    resident = emu.add_user("Rut", language_code="en")
    await emu.send_text(resident, "/alerts")
    assert "Alerts are sent by police officers" in (await emu.wait_for_message(resident.id)).text
