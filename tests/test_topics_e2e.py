"""End-to-end: forum supergroups. Commands are answered in their topic, alerts and tips go
to the topic the group was registered in, and a topic that refuses posts is told to the
coordinators once (issue 9 §6)."""

from __future__ import annotations

from bot.services import tips as tip_service
from storage import groups as group_store
from tests.actors import CLI
from tests.alerts_helpers import compose_alert, make_police

REGISTER = "/registrera Norra Möllebacken, Sölvesborg"
SOLVESBORG = "1083"


async def _forum(bot, *, topic: int | None = 7):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("Möllebacken", admins=[anna], bot_is_member=True, forum=True)
    bot.emu.add_topic(grp, "Annat", thread_id=3)
    if topic is not None:
        bot.emu.add_topic(grp, "Grannvakt", thread_id=topic)
    await bot.emu.send_text(anna, "/start")  # so the bot may write to her privately
    await bot.emu.wait_for_message(anna.id)
    return anna, grp


async def _register(bot, anna, grp, thread: int | None):
    await bot.emu.send_text(anna, REGISTER, chat=grp, thread=thread)
    explanation = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group is not None and group.is_registered
    return explanation, group


async def _tip(bot, group_id: int) -> None:
    services = bot.services
    tip = await tip_service.send_now(
        services.db, services.settings.tzinfo, CLI, group_id, "sv", services.clock.now()
    )
    assert tip is not None
    services.delivery.wake()


async def test_command_in_a_topic_is_answered_in_that_topic_with_the_explanation(bot):
    anna, grp = await _forum(bot)
    explanation, group = await _register(bot, anna, grp, thread=7)
    assert group.message_thread_id == 7
    assert explanation.message_thread_id == 7  # the Open-privately/Report buttons too
    assert len(explanation.buttons()) == 2
    done = next(m for m in bot.emu.sent_messages(grp.id) if "registrerad" in m.text)
    assert done.message_thread_id == 7 and "det här ämnet" in done.text
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(anna, "/grupp", chat=grp, thread=7)
    info = await bot.emu.wait_for_message(grp.id, after=before)
    assert "Norra Möllebacken" in info.text and info.message_thread_id == 7
    assert "Larm och tips: här, i det här ämnet." in info.text
    # Nothing the bot said landed in General or another topic.
    assert {m.message_thread_id for m in bot.emu.sent_messages(grp.id)} == {7}


async def test_alert_and_tip_go_to_the_registered_topic(bot):
    anna, grp = await _forum(bot)
    _, group = await _register(bot, anna, grp, thread=7)
    officer = bot.emu.add_user("Olle")
    await make_police(bot, officer, SOLVESBORG)
    await compose_alert(bot.emu, officer, "Inbrott på Storgatan i natt")
    alert = await bot.emu.wait_for_message(grp.id, lambda m: "Storgatan" in m.content)
    assert alert.message_thread_id == 7
    before = len(bot.emu.sent_messages(grp.id))
    await _tip(bot, group.id)
    tip = await bot.emu.wait_for_message(grp.id, after=before)
    assert tip.message_thread_id == 7


async def test_general_closed_tells_the_coordinator_once_then_recovers(bot):
    anna, grp = await _forum(bot)
    _, group = await _register(bot, anna, grp, thread=None)  # registered in General
    assert group.message_thread_id is None
    bot.emu.close_topic(grp, None)
    private_before = len(bot.emu.sent_messages(anna.id))
    group_before = len(bot.emu.sent_messages(grp.id))
    await _tip(bot, group.id)
    notice = await bot.emu.wait_for_message(anna.id, after=private_before)
    assert (
        "General" in notice.text and "stängt" in notice.text and "Norra Möllebacken" in notice.text
    )
    await _tip(bot, group.id)  # fails again, but the coordinator is not told again
    await bot.services.delivery.wait_idle()
    notices = [m for m in bot.emu.sent_messages(anna.id)[private_before:] if "⚠️" in m.text]
    assert len(notices) == 1
    assert len(bot.emu.sent_messages(grp.id)) == group_before
    failed = await bot.services.db.fetch_all(
        "SELECT error FROM outbox WHERE kind = 'tip' AND status = 'failed'"
    )
    assert [r["error"].upper() for r in failed] == ["TOPIC_CLOSED", "TOPIC_CLOSED"]
    stored = await group_store.get_group(bot.services.db, group.id)
    assert stored is not None and stored.is_active and stored.topic_error.upper() == "TOPIC_CLOSED"
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(anna, "/grupp", chat=grp, thread=3)  # /grupp says where and why
    info = await bot.emu.wait_for_message(grp.id, after=before)
    assert info.message_thread_id == 3
    assert "i ämnet General" in info.text and "gick det inte att skriva där" in info.text

    # The coordinator picks a topic with /registrera (no arguments) in it: posts go there.
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(anna, "/registrera", chat=grp, thread=7)
    moved = await bot.emu.wait_for_message(grp.id, after=before)
    assert moved.message_thread_id == 7 and "det här ämnet" in moved.text
    await _tip(bot, group.id)
    tip = await bot.emu.wait_for_message(grp.id, after=moved)
    assert tip.message_thread_id == 7
    stored = await group_store.get_group(bot.services.db, group.id)
    assert stored is not None and stored.message_thread_id == 7 and stored.topic_error is None

    # A new problem later is told again.
    bot.emu.close_topic(grp, 7)
    private_before = len(bot.emu.sent_messages(anna.id))
    await _tip(bot, group.id)
    again = await bot.emu.wait_for_message(anna.id, after=private_before)
    assert "ämnet där jag lägger larm och tips är stängt" in again.text


async def test_deleted_topic_is_told_and_the_alert_report_names_the_reason(bot):
    anna, grp = await _forum(bot)
    await _register(bot, anna, grp, thread=7)
    bot.emu.delete_topic(grp, 7)
    officer = bot.emu.add_user("Olle")
    await make_police(bot, officer, SOLVESBORG)
    private_before = len(bot.emu.sent_messages(anna.id))
    await compose_alert(bot.emu, officer, "Stöld av cyklar vid stationen")
    notice = await bot.emu.wait_for_message(anna.id, after=private_before)
    assert "finns inte längre" in notice.text
    await bot.services.delivery.wait_idle()
    rows = await bot.services.db.fetch_all("SELECT status, error FROM outbox WHERE kind='alert'")
    assert [(r["status"], r["error"].lower()) for r in rows] == [
        ("failed", "message thread not found")
    ]
    assert not [m for m in bot.emu.sent_messages(grp.id) if "cyklar" in m.content]


async def test_only_a_coordinator_moves_the_topic(bot):
    anna, grp = await _forum(bot)
    await _register(bot, anna, grp, thread=7)
    bertil = bot.emu.add_user("Bertil")
    grp.members[bertil.id] = "administrator"
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(bertil, "/registrera", chat=grp, thread=3)
    answer = await bot.emu.wait_for_message(grp.id, after=before)
    assert "kontaktombud" in answer.text and answer.message_thread_id == 3
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group is not None and group.message_thread_id == 7


async def test_plain_group_is_unchanged(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("Vanlig", admins=[anna], bot_is_member=True)
    explanation, group = await _register(bot, anna, grp, thread=None)
    assert group.message_thread_id is None and explanation.message_thread_id is None
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(anna, "/registrera", chat=grp)
    usage = await bot.emu.wait_for_message(grp.id, after=before)
    assert "/registrera områdets namn, kommun" in usage.text


async def test_apology_after_an_error_lands_in_the_topic(bot):
    anna, grp = await _forum(bot)
    await _register(bot, anna, grp, thread=7)
    # The answer to /grupp fails with an unexpected Telegram error. Anna has blocked the
    # bot, so the apology cannot go to her privately: it is a reply in the same topic.
    bot.emu.block_bot(anna)
    bot.emu.faults.add(
        "error",
        "sendMessage",
        description="Bad Request: injected",
        predicate=lambda p: "Norra Möllebacken" in str(p.get("text")),
    )
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(anna, "/grupp", chat=grp, thread=7)
    apology = await bot.emu.wait_for_message(grp.id, lambda m: "gick fel" in m.text, after=before)
    assert apology.message_thread_id == 7


async def test_kommun_buttons_and_reply_in_a_topic_stay_in_that_topic(bot):
    anna, grp = await _forum(bot)
    await bot.emu.send_text(anna, "/registrera Centrum, habo", chat=grp, thread=7)
    prompt = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert prompt.message_thread_id == 7
    håbo = next(d for x, d in prompt.buttons() if x.startswith("Håbo"))
    await bot.emu.press_button(anna, prompt, data=håbo)
    explanation = await bot.emu.wait_for_message(grp.id, lambda m: "112" in m.text)
    assert explanation.message_thread_id == 7
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group is not None and group.message_thread_id == 7

    # Re-registering by answering the kommun question in topic 3 moves alerts and tips there.
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(anna, "/registrera Centrum", chat=grp, thread=3)
    ask = await bot.emu.wait_for_message(grp.id, after=before)
    assert ask.message_thread_id == 3
    await bot.emu.send_text(anna, "Håbo", chat=grp, reply_to=ask, thread=3)
    again = await bot.emu.wait_for_message(grp.id, lambda m: "uppdaterad" in m.text, after=ask)
    assert again.message_thread_id == 3  # the confirmation; the welcome is not posted twice
    assert {m.message_thread_id for m in bot.emu.sent_messages(grp.id)} == {3, 7}
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group is not None and group.message_thread_id == 3
