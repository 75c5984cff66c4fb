"""End-to-end: a button's effect is complete even when Telegram refuses to answer the press
("query is too old"), outside the observation feature: alerts, group registration; and a
dialogue's state follows its screen when an edit's answer is lost. (The observation
buttons and the report dialogue are covered in test_observations_reach.py.)"""

from __future__ import annotations

from handlers.alerts_buttons import AlertTarget, AlertType, Target
from storage import groups as group_store
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of

TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def refuse_answers(emu) -> None:
    emu.faults.add("error", "answerCallbackQuery", description=TOO_OLD, count=None)


async def test_alert_dialogue_and_send_complete_when_answers_are_refused(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group(f"Grupp {n}", bot_is_member=True) for n in range(2)]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    refuse_answers(emu)
    confirm = await compose_alert(emu, officer, "Inbrott på Ekvägen")
    for chat in chats:
        message = await emu.wait_for_message(chat.id, after=0)
        assert "Ekvägen" in message.text
    await text_of(emu, confirm, "Levererat: 2 av 2")
    assert any("too old" in (c.description or "") for c in emu.errors)


async def test_kommun_button_registers_the_group_when_its_answer_is_refused(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Centrum, habo", chat=grp)
    prompt = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    håbo = next(d for x, d in prompt.buttons() if x.startswith("Håbo"))
    refuse_answers(bot.emu)
    await bot.emu.press_button(anna, prompt, data=håbo)
    await bot.emu.wait_for_message(grp.id, lambda m: "114 14" in m.text)
    await bot.emu.wait_until(lambda: not prompt.buttons())  # the choice is removed too
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group.is_registered and group.kommun_code == "0305"


async def test_alert_step_edit_carried_out_but_answer_lost(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    await register_groups(bot, [emu.add_group("Grupp", bot_is_member=True)])
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/larm")
    prompt = await emu.wait_for_message(officer.id)
    rule = emu.faults.add(
        "drop_after", "editMessageText", predicate=lambda p: "Vilka grupper" in str(p.get("text"))
    )
    await emu.press_button(officer, prompt, data=AlertType("burglary").pack())
    await emu.wait_until(lambda: rule.fired == 1)
    # The target step is on screen (maybe twice); its buttons work.
    await emu.wait_until(
        lambda: [m for m in emu.sent_messages(officer.id) if "Vilka grupper" in m.content]
    )
    target = [m for m in emu.sent_messages(officer.id) if "Vilka grupper" in m.content][-1]
    await emu.press_button(officer, target, data=AlertTarget(Target.ALL).pack())
    await emu.wait_until(
        lambda: any("Skriv larmtexten" in m.content for m in emu.sent_messages(officer.id))
    )


async def test_alert_status_shown_anew_when_the_send_edit_answer_is_lost(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group("Grupp", bot_is_member=True)]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    emu.faults.add("5xx", "editMessageText", predicate=lambda p: "skickas" in str(p.get("text")))
    confirm = await compose_alert(emu, officer, "Inbrott på Ekvägen")
    # Telegram did not apply the edit: the officer still sees that the alert is on its way.
    await emu.wait_for_message(officer.id, lambda m: "skickas" in m.content, after=confirm)
    await emu.wait_until(
        lambda: any("Levererat: 1 av 1" in m.content for m in emu.sent_messages(officer.id))
    )
    await emu.wait_for_message(chats[0].id, after=0)
