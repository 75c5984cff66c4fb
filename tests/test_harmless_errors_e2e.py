"""End-to-end: harmless Telegram answers are not errors; apologies reach the right person.

A double-tapped button makes the second edit identical, and Telegram answers "message is
not modified": the bot must stay quiet (no apology, no ERROR log) and answer the button.
A failure in a group apologises only to the person who asked, privately where possible.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, TypeHandler

from handlers.groups_manage_buttons import CoordinatorList, Unregister, UnregisterStep
from handlers.observations_buttons import ObsFilter, ReportButton, ReportStep, Withdraw
from handlers.tips_buttons import LibraryPage, PanelAction, TipsPanel
from storage import groups as group_store
from tests.harness import BotHarness
from tests.test_observations_support import build_world

APOLOGY_SV = "något gick fel"


def _apologies(emu, chat_id: int) -> list:
    return [m for m in emu.sent_messages(chat_id) if APOLOGY_SV in m.text or "went wrong" in m.text]


async def _double_tap(emu, user, message, **button) -> tuple[dict, dict]:
    """Press a button twice before the bot answers the first press (a double tap)."""
    first = await emu.press_button(user, message, **button)
    second = await emu.press_button(user, message, **button)
    await emu.wait_for_callback_answer(first["id"])
    await emu.wait_for_callback_answer(second["id"])
    return first, second


def _not_modified_seen(emu) -> bool:
    return any("not modified" in str(e) for e in emu.errors)


async def test_double_tapped_language_button_is_quiet(bot, caplog):
    """Private screen: /language → "English" twice."""
    emu = bot.emu
    sven = emu.add_user("Sven", language_code="sv")
    await emu.send_text(sven, "/language")
    prompt = await emu.wait_for_message(sven.id)
    with caplog.at_level(logging.DEBUG):
        await _double_tap(emu, sven, prompt, text="🇬🇧 English")
        await emu.wait_until(lambda: _not_modified_seen(emu), what="the identical edit")
        await emu.send_text(sven, "/start")
        await emu.wait_for_message(sven.id, lambda m: m.text.startswith("Hi Sven"))
    assert _apologies(emu, sven.id) == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_double_tapped_group_screens_are_quiet(bot):
    """Group screens: the /group coordinator list, the unregister question, the tips panel."""
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    grp = emu.add_group("G", members=[], admins=[anna], bot_is_member=True)
    await emu.send_text(anna, "/registrera Torget, Lund", chat=grp)
    await emu.wait_for_message(grp.id, lambda m: m.buttons())
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    await emu.send_text(anna, "/grupp", chat=grp)
    info = await emu.wait_for_message(grp.id, lambda m: "Torget" in m.text)
    await _double_tap(emu, anna, info, data=CoordinatorList(group.id).pack())
    await emu.send_text(anna, "/avregistrera", chat=grp)
    question = await emu.wait_for_message(grp.id, lambda m: m.buttons())
    question.reply_markup["inline_keyboard"].append(
        [{"text": "ask", "callback_data": Unregister(group.id, UnregisterStep.ASK).pack()}]
    )
    await _double_tap(emu, anna, question, data=Unregister(group.id, UnregisterStep.ASK).pack())
    await emu.send_text(anna, "/tips", chat=grp)
    panel = await emu.wait_for_message(grp.id, lambda m: m.buttons())
    await _double_tap(emu, anna, panel, data=TipsPanel(PanelAction.DAY, group.id).pack())
    await _double_tap(emu, anna, panel, data=TipsPanel(PanelAction.PANEL, group.id).pack())
    await emu.wait_until(lambda: _not_modified_seen(emu), what="an identical edit")
    await emu.send_text(anna, "/grupp", chat=grp)
    await emu.wait_for_message(grp.id, lambda m: "Torget" in m.text)
    assert _apologies(emu, grp.id) == [] and _apologies(emu, anna.id) == []


async def test_double_tapped_private_screens_are_quiet(emu, tmp_path):
    """Private screens: the report dialogue, /myreports withdraw, the coordinator listing."""
    from tests.harness import fixed_clock

    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock())
    w = await build_world(harness)
    try:
        await emu.send_text(w.carl, "/observationer")
        listing = await emu.wait_for_message(w.carl.id)
        data = next(d for _, d in listing.buttons() if ObsFilter.filter()(d))
        await _double_tap(emu, w.carl, listing, data=data)
        await emu.send_text(w.anna, "/minarapporter")
        mine = await emu.wait_for_message(w.anna.id)
        mine.reply_markup = {
            "inline_keyboard": [[{"text": "x", "callback_data": Withdraw(99).pack()}]]
        }
        await _double_tap(emu, w.anna, mine, data=Withdraw(99).pack())
        await emu.send_text(w.anna, "/rapportera")
        prompt = await emu.wait_for_message(w.anna.id, lambda m: m.buttons())
        await _double_tap(emu, w.anna, prompt, data=ReportButton(ReportStep.CATEGORY, "bu").pack())
        await emu.send_text(w.pia, "/tips")  # police: the tip library
        menu = await emu.wait_for_message(w.pia.id, lambda m: m.buttons())
        await _double_tap(emu, w.pia, menu, data=LibraryPage(0).pack())
        await emu.wait_until(lambda: _not_modified_seen(emu), what="an identical edit")
        await emu.send_text(w.anna, "/start")
        await emu.wait_for_message(w.anna.id, lambda m: "Hej Anna" in m.text)
        for person in (w.anna, w.carl, w.pia):
            assert _apologies(emu, person.id) == []
    finally:
        await harness.stop()


def _failing_join(app) -> None:
    async def fail(update: Update, context) -> None:
        message = update.message
        if message is not None and message.new_chat_members:
            raise RuntimeError("membership write failed")

    app.add_handler(TypeHandler(Update, fail), group=5)


async def test_failure_on_a_join_never_speaks_in_the_group(emu, tmp_path, caplog):
    harness = BotHarness(emu, tmp_path / "g.db", customize=_failing_join)
    await harness.start()
    try:
        anna = emu.add_user("Anna", language_code="sv")
        grp = emu.add_group("G", members=[anna], bot_is_member=True)
        newcomer = emu.add_user("Nils", language_code="sv")
        await emu.user_joins(grp, newcomer)
        await emu.wait_until(
            lambda: any("membership write failed" in str(r.exc_info) for r in caplog.records)
        )
        await emu.send_text(anna, "/hjalp", chat=grp)  # the bot is still working
        await emu.wait_for_message(grp.id)
        assert _apologies(emu, grp.id) == [] and _apologies(emu, newcomer.id) == []
    finally:
        await harness.stop()


def _exploding(app) -> None:
    async def explode(update, context):
        raise RuntimeError("kaboom")

    app.add_handler(CommandHandler("explode", explode))
    app.add_handler(CallbackQueryHandler(explode, pattern="^boom$"))


async def test_group_command_failure_apologises_privately(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "g.db", customize=_exploding)
    await harness.start()
    try:
        lisa = emu.add_user("Lisa", language_code="sv")
        grp = emu.add_group("G", members=[lisa], bot_is_member=True)
        await emu.send_text(lisa, "/start")  # she has a private chat with the bot
        await emu.wait_for_message(lisa.id)
        await emu.send_text(lisa, "/explode", chat=grp)
        await emu.wait_for_message(lisa.id, lambda m: APOLOGY_SV in m.text)
        await emu.send_text(lisa, "/hjalp", chat=grp)
        await emu.wait_for_message(grp.id)
        assert _apologies(emu, grp.id) == []
    finally:
        await harness.stop()


async def test_group_failure_of_someone_without_private_chat(emu, tmp_path):
    """Never started the bot: a short reply for a command, a toast for a button."""
    harness = BotHarness(emu, tmp_path / "g.db", customize=_exploding)
    await harness.start()
    try:
        mats = emu.add_user("Mats", language_code="sv")
        grp = emu.add_group("G", members=[mats], bot_is_member=True)
        command = await emu.send_text(mats, "/explode", chat=grp)
        apology = await emu.wait_for_message(grp.id, lambda m: APOLOGY_SV in m.text)
        assert apology.raw["reply_to_message"]["message_id"] == command["message_id"]
        await emu.send_text(mats, "/hjalp", chat=grp)
        helped = await emu.wait_for_message(grp.id, lambda m: "kan göra" in m.text)
        helped.reply_markup = {"inline_keyboard": [[{"text": "b", "callback_data": "boom"}]]}
        pressed = await emu.press_button(mats, helped, data="boom")
        toast = await emu.wait_for_callback_answer(pressed["id"])
        assert APOLOGY_SV in toast["text"] and toast.get("show_alert")
        assert len(_apologies(emu, grp.id)) == 1  # only the command's reply
    finally:
        await harness.stop()
