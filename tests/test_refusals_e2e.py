"""End-to-end: a refusal a service raises (`Refused`) reaches the person in their own
language, as a toast for a button and as a message for a command, through the one error
handler (handlers/errors.py::answer_refusal)."""

from __future__ import annotations

import pytest

from bot.i18n import t_plain
from storage import groups as group_store
from storage import roles as role_store


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_a_refused_button_is_a_toast_in_the_pressers_language(bot, lang):
    """The only coordinator presses "remove me": groups.remove_coordinator refuses."""
    anna = bot.emu.add_user("Anna", language_code=lang)
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Torget, Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group is not None
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(anna, "/grupp", chat=grp)
    info = await bot.emu.wait_for_message(grp.id, after=before)
    await bot.emu.press_button(anna, info, text=t_plain(lang, "grp.group.button.coordinators"))
    mine = t_plain(lang, "grp.coord.on", name="Anna")
    await bot.emu.wait_until(lambda: mine in info.button_texts())
    await bot.emu.press_button(anna, info, text=mine)
    answer = await bot.emu.wait_for_callback_answer()
    assert answer["text"] == t_plain(lang, "grp.coord.last")
    assert answer["show_alert"] is True
    assert await role_store.holders(bot.services.db, "coordinator", str(group.id)) == [anna.id]


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_a_refused_command_is_a_message_in_the_senders_language(bot, lang):
    """A Telegram admin who is no coordinator moves the forum topic: group_topics refuses,
    and the answer goes to them privately (they started the bot), in their language."""
    anna = bot.emu.add_user("Anna", language_code="sv")
    bertil = bot.emu.add_user("Bertil", language_code=lang)
    grp = bot.emu.add_group("Forum", admins=[anna, bertil], bot_is_member=True, forum=True)
    bot.emu.add_topic(grp, "Grannvakt", thread_id=7)
    bot.emu.add_topic(grp, "Annat", thread_id=3)
    await bot.emu.send_text(anna, "/registrera Torget, Lund", chat=grp, thread=7)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    await bot.emu.send_text(bertil, "/start")
    await bot.emu.wait_for_message(bertil.id)
    before = len(bot.emu.sent_messages(bertil.id))
    await bot.emu.send_text(bertil, "/registrera", chat=grp, thread=3)
    answer = await bot.emu.wait_for_message(bertil.id, after=before)
    assert answer.text == t_plain(lang, "grp.group.not_coordinator")
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group is not None and group.message_thread_id == 7
