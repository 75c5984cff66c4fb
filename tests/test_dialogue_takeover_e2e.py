"""A new dialogue replaces the one the person left (found by a reviewer: after /larm was
left at its text step, the answer to /narvaro's first question became the alert's text)."""

from __future__ import annotations

from handlers.alerts_buttons import AlertTarget, AlertType, Target
from tests.alerts_helpers import make_police, register_groups


async def test_a_new_command_ends_the_dialogue_left_open(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group("Norr", bot_is_member=True)]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    # /larm up to the text step, then left for /narvaro.
    await emu.send_text(officer, "/larm")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("burglary").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.ALL).pack())
    await emu.wait_until(lambda: not prompt.reply_markup and prompt.edited and prompt)
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "/narvaro")
    await emu.wait_for_message(officer.id, after=n)
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "Kaffe med polisen")
    answer = await emu.wait_for_message(officer.id, after=n)
    # The presence dialogue's next question (where), not the alert's photo step.
    assert "bild" not in answer.content.lower() and "foto" not in answer.content.lower()
    assert bot.app is not None
    assert bot.app.user_data[officer.id].alert_draft is None  # the alert draft is gone
    assert bot.app.user_data[officer.id].presence_draft is not None
