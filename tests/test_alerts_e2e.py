"""End-to-end: composing and delivering police alerts through the emulator."""

from __future__ import annotations

from bot.services.alert_ack import AlertAck
from handlers.alerts_buttons import (
    AlertConfirm,
    AlertGroup,
    AlertKommun,
    AlertTarget,
    AlertType,
    Target,
)
from storage import groups as group_store
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of


async def test_police_alert_reaches_every_group_and_reports(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group(f"Grupp {n}", bot_is_member=True) for n in range(3)]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    confirm = await compose_alert(emu, officer, "Inbrott på <Ekvägen> & i garage")
    # the preview was shown exactly as residents see it, before the confirm question
    preview = emu.sent_messages(officer.id)[-2]
    assert "Polisen informerar" in preview.text and "<Ekvägen> & i garage" in preview.text
    assert "3" in confirm.text
    for chat in chats:
        message = await emu.wait_for_message(chat.id, after=0)
        assert message.text == preview.text
        assert "&lt;Ekvägen&gt; &amp; i garage" in message.html  # escaped user text
        assert message.buttons()[0][0] == "✅ Läst"
        assert AlertAck.parse(message.buttons()[0][1]) is not None
    report = await text_of(emu, confirm, "Levererat: 3 av 3")
    assert (
        "Misslyckades: 0" in report.text and "Inaktiva grupper (boten borttagen): 0" in report.text
    )
    assert emu.stats.rate_limited == 0


async def test_delivery_reports_inactive_and_follows_migration(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    ok = emu.add_group("Ok", bot_is_member=True)
    kicked = emu.add_group("Kicked", bot_is_member=True)
    old = emu.add_group("Old", bot_is_member=True)
    await register_groups(bot, [ok, kicked, old], language="en")
    await make_police(bot, officer, "0180")
    kicked.bot_status = "kicked"  # removed without the bot noticing
    new_id = await emu.upgrade_group(old)
    # forget the migration the bot may have learned from the service message
    await bot.services.delivery.wait_idle(2)
    confirm = await compose_alert(emu, officer, "Car thefts in the area", category="vehicle")
    report = await text_of(emu, confirm, "Delivered:")
    assert "Delivered: 2 of 3 groups" in report.text
    assert "Inactive groups (bot removed): 1" in report.text
    assert "Police alert: 🚗 Vehicle crime" in emu.last_message(ok.id).text
    assert "Car thefts" in emu.last_message(new_id).text
    assert emu.sent_messages(kicked.id) == []
    group = await group_store.get_group_by_chat(bot.services.db, kicked.id)
    assert group is not None and not group.bot_present


async def test_non_police_is_refused(bot):
    emu = bot.emu
    resident = emu.add_user("Rut", language_code="sv")
    await emu.send_text(resident, "/larm")
    answer = await emu.wait_for_message(resident.id)
    assert "behörighet" in answer.text
    assert answer.reply_markup is None


async def test_alert_in_group_is_private_only(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    chat = emu.add_group("G", members=[officer], bot_is_member=True)
    await make_police(bot, officer)
    await emu.send_text(officer, "/alert", chat=chat)
    answer = await emu.wait_for_message(chat.id)
    assert "private chat" in answer.text


async def test_cancel_at_text_step_then_old_buttons_are_stale(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    chats = [emu.add_group("G", bot_is_member=True)]
    await register_groups(bot, chats)
    await make_police(bot, officer)
    await emu.send_text(officer, "/alert")
    prompt = await emu.wait_for_message(officer.id)
    buttons = list(prompt.buttons())
    await emu.press_button(officer, prompt, data=AlertType("theft").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.ALL).pack())
    await text_of(emu, prompt, "Write the alert text")
    await emu.send_text(officer, "/cancel")
    assert "Cancelled" in (await emu.wait_for_message(officer.id)).text
    prompt.reply_markup = {
        "inline_keyboard": [[{"text": b, "callback_data": d}] for b, d in buttons]
    }
    await emu.press_button(officer, prompt, data=AlertType("theft").pack())
    answer = await emu.wait_for_callback_answer()
    assert "expired" in answer["text"]
    assert emu.sent_messages(chats[0].id) == []


async def test_forged_kommun_and_group_buttons_are_refused(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    mine = emu.add_group("Mine", bot_is_member=True)
    other = emu.add_group("Other", bot_is_member=True)
    await register_groups(bot, [mine], kommun="0180")
    (other_id,) = await register_groups(bot, [other], kommun="1480")
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/alert")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("fraud").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.KOMMUN).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.KOMMUN).pack())
    await emu.wait_until(lambda: any(d == AlertKommun("0180").pack() for _, d in prompt.buttons()))
    assert not any(d == AlertKommun("1480").pack() for _, d in prompt.buttons())
    prompt.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": AlertKommun("1480").pack()}]]
    }
    await emu.press_button(officer, prompt, data=AlertKommun("1480").pack())
    assert "not allowed" in (await emu.wait_for_callback_answer())["text"]
    # the dialogue goes on; a forged group in the group picker is refused too
    await emu.send_text(officer, "/alert")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("fraud").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.GROUPS).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.GROUPS).pack())
    await emu.wait_until(lambda: any(d == AlertGroup(None).pack() for _, d in prompt.buttons()))
    prompt.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": AlertGroup(other_id).pack()}]]
    }
    await emu.press_button(officer, prompt, data=AlertGroup(other_id).pack())
    assert "not allowed" in (await emu.wait_for_callback_answer())["text"]
    assert emu.sent_messages(other.id) == []


async def test_too_long_text_stays_in_step(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group("G", bot_is_member=True)]
    await register_groups(bot, chats)
    await make_police(bot, officer)
    await emu.send_text(officer, "/larm")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("other").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.ALL).pack())
    await text_of(emu, prompt, "Skriv larmtexten")
    await emu.send_text(officer, "x" * 3001)
    answer = await emu.wait_for_message(officer.id)
    assert "3001 tecken" in answer.text and "3000" in answer.text
    await emu.send_text(officer, "y" * 3000)
    photo_prompt = await emu.wait_for_message(officer.id)
    assert "bild" in photo_prompt.text


async def test_alert_with_photo_and_chosen_groups(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    chats = [emu.add_group(f"G{n}", bot_is_member=True) for n in range(3)]
    ids = await register_groups(bot, chats)
    await make_police(bot, officer)
    await emu.send_text(officer, "/alert")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("robbery").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.GROUPS).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.GROUPS).pack())
    for group_id in ids[:2]:
        wanted = AlertGroup(group_id).pack()
        await emu.wait_until(lambda w=wanted: any(d == w for _, d in prompt.buttons()))
        await emu.press_button(officer, prompt, data=AlertGroup(group_id).pack())
    await text_of(emu, prompt, "Chosen: 2")
    await emu.press_button(officer, prompt, data=AlertGroup(None).pack())
    await text_of(emu, prompt, "Write the alert text")
    await emu.send_text(officer, "Robbery near the station, suspect on a bike")
    await emu.wait_for_message(officer.id)
    before = len(emu.sent_messages(officer.id))
    await emu.send_photo(officer)
    confirm = await emu.wait_for_message(
        officer.id,
        lambda m: any(d == AlertConfirm(send=True).pack() for _, d in m.buttons()),
        after=before,
    )
    preview = emu.sent_messages(officer.id)[-2]
    assert preview.kind == "photo" and "Robbery near the station" in preview.caption
    await emu.press_button(officer, confirm, data=AlertConfirm(send=True).pack())
    await text_of(emu, confirm, "Delivered: 2 of 2")
    for chat in chats[:2]:
        message = emu.last_message(chat.id)
        assert message.kind == "photo" and "suspect on a bike" in message.caption
    assert emu.sent_messages(chats[2].id) == []


async def test_dialogue_button_works_after_restart(harness):
    emu = harness.emu
    await harness.start()
    try:
        officer = emu.add_user("Olle", language_code="en")
        await register_groups(harness, [emu.add_group("G", bot_is_member=True)])
        await make_police(harness, officer)
        await emu.send_text(officer, "/alert")
        prompt = await emu.wait_for_message(officer.id)
        await harness.restart()
        await emu.press_button(officer, prompt, data=AlertType("burglary").pack())
        await emu.wait_until(
            lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
        )
    finally:
        await harness.stop()


async def test_admin_may_target_every_group(emu, tmp_path):
    from tests.harness import BotHarness

    admin = emu.add_user("Ada", language_code="en")
    harness = BotHarness(emu, tmp_path / "a.db", admin_user_ids=frozenset({admin.id}))
    await harness.start()
    try:
        a, b = emu.add_group("A", bot_is_member=True), emu.add_group("B", bot_is_member=True)
        await register_groups(harness, [a], kommun="0180")
        await register_groups(harness, [b], kommun="1480")
        confirm = await compose_alert(
            emu, admin, "Fraud calls across the country", category="fraud"
        )
        await text_of(emu, confirm, "Delivered: 2 of 2")
        assert "Fraud calls" in emu.last_message(b.id).text
    finally:
        await harness.stop()
