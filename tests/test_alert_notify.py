"""End-to-end: an update or a withdrawal notifies every group with one reply to the alert
(Telegram notifies nobody of an edit), edits every copy, and the officer's preview shows
exactly what residents get. A copy still waiting gets the new text and no reply."""

from __future__ import annotations

from bot.services import alert_changes
from handlers.alerts_buttons import AlertManage, ManageAction
from storage import outbox
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of


async def _sent_alert(bot, lang: str, groups: int = 3, wait: bool = True):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    residents = [emu.add_user(f"R{n}", language_code=lang) for n in range(2)]
    chats = [emu.add_group(f"G{n}", members=residents, bot_is_member=True) for n in range(groups)]
    await register_groups(bot, chats, language=lang)
    await make_police(bot, officer)
    confirm = await compose_alert(emu, officer, "Cykelstölder vid stationen")
    if wait:
        await text_of(emu, confirm, "Delivered:" if lang == "en" else "Levererat:")
    return officer, chats


def _replies_to(emu, chat_id: int, message_id: int) -> list:
    return [
        m
        for m in emu.sent_messages(chat_id)
        if (m.raw.get("reply_to_message") or {}).get("message_id") == message_id
    ]


async def _manage_button(emu, officer, action: ManageAction):
    await emu.send_text(officer, "/larmlista" if officer.language_code == "sv" else "/alerts")
    listing = await emu.wait_for_message(officer.id)
    data = next(d for _, d in listing.buttons() if AlertManage.filter(action=action)(d))
    await emu.press_button(officer, listing, data=data)


async def _update(bot, officer, text: str):
    """/larmlista → Update → text; returns the preview message (not yet sent)."""
    emu = bot.emu
    await _manage_button(emu, officer, ManageAction.UPDATE)
    await emu.wait_for_message(officer.id)  # "Skriv uppdateringen …"
    await emu.send_text(officer, text)
    return await emu.wait_for_message(
        officer.id, lambda m: "🔄 Skicka uppdateringen" in str(m.buttons())
    )


async def test_update_posts_one_reply_per_group_and_edits_every_copy(bot):
    emu = bot.emu
    officer, chats = await _sent_alert(bot, "sv")
    originals = [emu.sent_messages(c.id)[0] for c in chats]
    preview = await _update(bot, officer, "Gärningsmannen <gripen> kl. 14")
    assert "&lt;gripen&gt;" in preview.html  # the officer's text stays escaped
    await emu.press_button(officer, preview, text="🔄 Skicka uppdateringen")
    assert "3 grupper" in (await emu.wait_for_message(officer.id)).text
    for chat, original in zip(chats, originals, strict=True):
        await text_of(emu, original, "Gärningsmannen <gripen>")
        reply = await emu.wait_for_message(
            chat.id, lambda m, o=original: m in _replies_to(emu, o.chat_id, o.message_id), after=0
        )
        assert reply.text == "🔄 Uppdatering: Gärningsmannen <gripen> kl. 14"
        assert not reply.raw.get("has_protected_content")
    await bot.services.delivery.wait_idle()
    for original in originals:
        # Exactly one reply per group, and what the preview promised is what they got.
        replies = _replies_to(emu, original.chat_id, original.message_id)
        assert len(replies) == 1
        assert replies[0].text in preview.text
        assert original.text in preview.text
        assert original.buttons()[0][0] == "✅ Läst"
    notices = await outbox.rows_for(bot.services.db, alert_changes.KIND_NOTICE, 1)
    assert len(notices) == 3 and all(n.priority == 1 for n in notices)


async def test_withdrawal_posts_one_reply_per_group_and_edits_every_copy(bot):
    emu = bot.emu
    officer, chats = await _sent_alert(bot, "en", groups=2)
    originals = [emu.sent_messages(c.id)[0] for c in chats]
    emu.sent_messages(chats[1].id)[0].deleted = True  # the edit there is refused
    await _manage_button(emu, officer, ManageAction.WITHDRAW)
    confirm = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, confirm, text="Yes, withdraw")
    await text_of(emu, confirm, "withdrawn in 2 groups")
    await text_of(emu, originals[0], "WITHDRAWN")
    for chat in chats:
        await emu.wait_for_message(chat.id, lambda m: "❌ Withdrawn:" in (m.text or ""), after=0)
    await bot.services.delivery.wait_idle()
    for original in originals:
        replies = _replies_to(emu, original.chat_id, original.message_id)
        assert [r.text for r in replies] == [
            "❌ Withdrawn: 🏠 Burglary – the alert above no longer applies."
        ]
    # The group whose message was deleted still gets exactly one reply, not two.
    assert sum("Withdrawn" in (m.text or "") for m in emu.sent_messages(chats[1].id)) == 1


async def test_a_group_whose_copy_was_still_waiting_gets_the_new_text_and_no_reply(bot):
    emu = bot.emu
    services = bot.services
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group(f"G{n}", bot_is_member=True) for n in range(2)]
    late = chats[1]
    outage = emu.faults.add(
        "5xx",
        "sendMessage",
        count=None,
        predicate=lambda p: str(p.get("chat_id")) == str(late.id),
    )
    await register_groups(bot, chats)
    await make_police(bot, officer)
    await compose_alert(emu, officer, "Cykelstölder vid stationen")
    first = await emu.wait_for_message(chats[0].id, after=0)
    await emu.wait_until(lambda: outage.fired >= 1)
    preview = await _update(bot, officer, "Gärningsmannen gripen")
    await emu.press_button(officer, preview, text="🔄 Skicka uppdateringen")
    assert "1 grupp." in (await emu.wait_for_message(officer.id)).text  # one delivered copy
    emu.faults.remove(outage)
    await services.db.execute("UPDATE outbox SET not_before = NULL WHERE status = 'pending'")
    services.delivery.wake()
    copy = await emu.wait_for_message(late.id, after=0)
    assert "Uppdatering:" in copy.text and "Gärningsmannen gripen" in copy.text
    await bot.services.delivery.wait_idle()
    assert [m.text for m in emu.sent_messages(late.id)] == [copy.text]  # no reply there
    assert len(_replies_to(emu, first.chat_id, first.message_id)) == 1
