"""End-to-end: the command menu a person's app shows. Most people keep the menu set for all
private chats (no setMyCommands of their own); others get their own, and an erasure removes
it on Telegram (issue #19: one Bot API call fewer per new person)."""

from __future__ import annotations

import asyncio

from tests.alerts_helpers import make_police


def _menu(emu, user, lang=""):
    return [c["command"] for c in emu.commands.get((f"chat:{user.id}", lang), [])]


def _chat_menu_calls(emu, user):
    return [
        c
        for c in emu.calls
        if c.method in ("setMyCommands", "deleteMyCommands")
        and (c.params.get("scope") or {}).get("chat_id") == user.id
    ]


async def test_a_new_residents_start_leaves_the_shared_menu_in_place(bot):
    """A resident spoken to in their app's language already has the right menu (set for
    all private chats per language, and in English, the language the bot speaks to apps in
    other languages, without a language code): /start sets none of their own."""
    emu = bot.emu
    await emu.wait_until(lambda: ("all_private_chats", "en") in emu.commands)
    people = {
        "sv": emu.add_user("Siv", language_code="sv"),
        "en": emu.add_user("Ed", language_code="en"),
        "de": emu.add_user("Dora", language_code="de"),
    }
    for person in people.values():
        await emu.send_text(person, "/start")
        await emu.wait_for_message(person.id)
    for code, person in people.items():
        assert _chat_menu_calls(emu, person) == []
        shown = emu.commands.shown_in_private_chat(person.id, code)
        expected = "rapportera" if code == "sv" else "report"
        assert expected in shown and "larm" not in shown and "alert" not in shown
    # Dora's answers are in English too (the menu and the bot agree).
    answer = emu.sent_messages(people["de"].id)[-1]
    assert "/report" in answer.content or "/help" in answer.content


async def test_a_regional_app_language_or_a_chosen_language_gets_its_own_menu(bot):
    """Which list Telegram shows for "en-GB" is not documented, a person without an app
    language is spoken to in Swedish, and a person who chose another language than their
    app's needs their own: each gets a menu of their own."""
    emu = bot.emu
    noa = emu.add_user("Noa", language_code=None)
    await emu.send_text(noa, "/start")
    await emu.wait_for_message(noa.id)
    await emu.wait_until(lambda: "rapportera" in _menu(emu, noa))
    gwen = emu.add_user("Gwen", language_code="en-GB")
    await emu.send_text(gwen, "/start")
    await emu.wait_for_message(gwen.id)
    await emu.wait_until(lambda: _menu(emu, gwen))
    assert "report" in emu.commands.shown_in_private_chat(gwen.id, "en-GB")
    sam = emu.add_user("Sam", language_code="sv")
    await emu.send_text(sam, "/start")
    await emu.wait_for_message(sam.id)
    await emu.send_text(sam, "/sprak")
    prompt = await emu.wait_for_message(sam.id, lambda m: m.buttons())
    english = next(data for label, data in prompt.buttons() if "English" in label)
    await emu.press_button(sam, prompt, english)
    await emu.wait_until(lambda: "report" in _menu(emu, sam))
    assert "report" in emu.commands.shown_in_private_chat(sam.id, "sv")


async def test_erasure_removes_the_chats_own_menu_on_telegram_and_leaves_no_trace(bot):
    """An officer's own menu (larm, inkorg ...) goes with /glommig at once, not at some
    later /start; the outbox row that removed it goes too, so the chat id stays nowhere."""
    from handlers.privacy import ForgetMe
    from tests.privacy_helpers import settled, traces

    emu, db = bot.emu, bot.services.db
    olle = emu.add_user("Olle", language_code="sv")
    await make_police(bot, olle, "1083")
    await emu.send_text(olle, "/start")
    await emu.wait_for_message(olle.id)
    await emu.wait_until(lambda: "larm" in _menu(emu, olle))
    await emu.send_text(olle, "/glommig")
    ask = await emu.wait_for_message(olle.id, lambda m: m.buttons())
    await emu.press_button(olle, ask, ForgetMe(True).pack())
    await emu.wait_until(lambda: (f"chat:{olle.id}", "") not in emu.commands, what="reset")
    assert "larm" not in emu.commands.shown_in_private_chat(olle.id, "sv")
    await settled(emu, db)
    for _ in range(100):
        if not await traces(db, olle.id, []):
            break
        await asyncio.sleep(0.02)
    assert await traces(db, olle.id, []) == []
    # Back as a new resident: the shared menu is theirs, nothing is set for the chat.
    calls = len(_chat_menu_calls(emu, olle))
    await emu.send_text(olle, "/start")
    await emu.wait_for_message(olle.id)
    assert len(_chat_menu_calls(emu, olle)) == calls
    assert "rapportera" in emu.commands.shown_in_private_chat(olle.id, "sv")


async def test_an_erasure_outside_the_bot_resets_the_menu_through_the_outbox(bot):
    """The command line and the retention job erase without talking to Telegram: the row
    they leave is carried out by the running bot's delivery worker, then forgotten."""
    from bot.services import privacy

    emu, services = bot.emu, bot.services
    eva = emu.add_user("Eva", language_code="en")
    await make_police(bot, eva, "1083")
    await emu.send_text(eva, "/start")
    await emu.wait_for_message(eva.id)
    await emu.wait_until(lambda: "alert" in _menu(emu, eva))
    await privacy.erase(services.db, services.clock, services.people, eva.id)
    services.delivery.wake()
    await emu.wait_until(lambda: (f"chat:{eva.id}", "") not in emu.commands, what="reset")
    assert await _menu_resets_left_after_waiting(services) == 0
    # A person who never had a menu of their own leaves no reset behind.
    await privacy.erase(services.db, services.clock, services.people, eva.id)
    left = await services.db.fetch_value("SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (eva.id,))
    assert left == 0


async def test_a_reset_that_waited_past_a_new_own_menu_leaves_that_menu(bot):
    """An erasure made while the bot was stopped leaves its reset waiting; if the person's
    /start then gave them a menu of their own first, the late reset must not remove it."""
    from bot.services import privacy
    from storage import menus as menu_store

    emu, services = bot.emu, bot.services
    gwen = emu.add_user("Gwen", language_code="en-GB")  # always gets a menu of her own
    await make_police(bot, gwen, "1083")
    await emu.send_text(gwen, "/start")
    await emu.wait_for_message(gwen.id)
    await emu.wait_until(lambda: "alert" in _menu(emu, gwen))
    # The erasure and, before its reset is carried out, the new menu of her next /start.
    await services.delivery.stop()
    await privacy.erase(services.db, services.clock, services.people, gwen.id)
    await emu.send_text(gwen, "/start")
    await emu.wait_until(lambda: "alert" not in _menu(emu, gwen) and _menu(emu, gwen))
    for _ in range(100):  # stored right after Telegram set it
        if await menu_store.menu_of(services.db, gwen.id) is not None:
            break
        await asyncio.sleep(0.02)
    assert await menu_store.menu_of(services.db, gwen.id) is not None
    await services.delivery.start()
    services.delivery.wake()
    assert await _menu_resets_left_after_waiting(services) == 0
    assert "report" in _menu(emu, gwen)  # her own menu stayed
    assert not any(c.method == "deleteMyCommands" for c in emu.calls)


async def _menu_resets_left_after_waiting(services) -> int:
    """Menu resets still in the outbox after waiting up to 2 s for them to be carried out."""
    from storage.menus import MENU_RESET_KIND

    for _ in range(100):
        left = await services.db.fetch_value(
            "SELECT COUNT(*) FROM outbox WHERE kind = ?", (MENU_RESET_KIND,)
        )
        if left == 0:
            break
        await asyncio.sleep(0.02)
    return left
