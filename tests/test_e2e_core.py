"""End-to-end: /start, /help, /language, /cancel, menus and the error handler."""

from __future__ import annotations

from telegram.ext import CommandHandler

from handlers.core import LanguageChoice
from tests.harness import BotHarness


async def test_start_greets_in_swedish_for_swedish_client(bot):
    anna = bot.emu.add_user("Anna", language_code="sv")
    await bot.emu.send_text(anna, "/start")
    reply = await bot.emu.wait_for_message(anna.id)
    assert "Hej Anna" in reply.text
    assert "Grannvakt" in reply.text and "112" in reply.text and "114 14" in reply.text
    assert reply.parse_mode == "HTML"


async def test_start_greets_in_english_for_other_languages(bot):
    jane = bot.emu.add_user("Jane", language_code="de")
    await bot.emu.send_text(jane, "/start")
    reply = await bot.emu.wait_for_message(jane.id)
    assert reply.text.startswith("Hi Jane")
    assert "Residents" in reply.text and "Coordinators" in reply.text and "Police" in reply.text


async def test_start_escapes_html_in_names(bot):
    eve = bot.emu.add_user("<b>Eve</b> & <script>", language_code="en")
    await bot.emu.send_text(eve, "/start")
    reply = await bot.emu.wait_for_message(eve.id)
    assert "Hi <b>Eve</b> & <script>" in reply.text  # shown literally, not parsed


async def test_help_lists_resident_commands_in_language(bot):
    bo = bot.emu.add_user("Bo", language_code="sv")
    await bot.emu.send_text(bo, "/help")
    reply = await bot.emu.wait_for_message(bo.id)
    assert "/sprak" in reply.text and "/avbryt" in reply.text
    en = bot.emu.add_user("Ed", language_code="en")
    await bot.emu.send_text(en, "/hjalp")
    reply = await bot.emu.wait_for_message(en.id)
    assert "/language" in reply.text and "/cancel" in reply.text


async def test_language_choice_persists_across_restart(harness):
    await harness.start()
    try:
        sven = harness.emu.add_user("Sven", language_code="sv")
        await harness.emu.send_text(sven, "/sprak")
        prompt = await harness.emu.wait_for_message(sven.id)
        assert set(prompt.button_texts()) == {"🇸🇪 Svenska", "🇬🇧 English"}
        await harness.emu.press_button(sven, prompt, text="🇬🇧 English")
        edited = await harness.emu.wait_until(
            lambda: prompt.edited and "English" in prompt.text and prompt
        )
        assert "from now on" in edited.text
        await harness.restart()
        await harness.emu.send_text(sven, "/start")
        reply = await harness.emu.wait_for_message(sven.id)
        assert reply.text.startswith("Hi Sven")  # English, although his client is Swedish
    finally:
        await harness.stop()


async def test_forged_language_button_is_refused(bot):
    ulla = bot.emu.add_user("Ulla", language_code="sv")
    await bot.emu.send_text(ulla, "/language")
    prompt = await bot.emu.wait_for_message(ulla.id)
    forged = dict(prompt.reply_markup)
    forged["inline_keyboard"] = [[{"text": "x", "callback_data": LanguageChoice("de").pack()}]]
    prompt.reply_markup = forged
    await bot.emu.press_button(ulla, prompt, data=LanguageChoice("de").pack())
    answer = await bot.emu.wait_for_callback_answer()
    assert "språket" in answer["text"]
    await bot.emu.send_text(ulla, "/start")
    assert (await bot.emu.wait_for_message(ulla.id)).text.startswith("Hej Ulla")


async def test_cancel_without_dialogue(bot):
    kim = bot.emu.add_user("Kim", language_code="en")
    await bot.emu.send_text(kim, "/cancel")
    reply = await bot.emu.wait_for_message(kim.id)
    assert reply.text == "There is nothing to cancel right now."


async def test_command_menus_set_in_both_languages(bot):
    await bot.emu.wait_until(lambda: len(bot.emu.commands) >= 7)
    sv_private = bot.emu.commands[("all_private_chats", "sv")]
    en_private = bot.emu.commands[("all_private_chats", "en")]
    assert {"start", "hjalp", "sprak", "avbryt"} <= {c["command"] for c in sv_private}
    assert {"start", "help", "language", "cancel"} <= {c["command"] for c in en_private}


async def test_error_in_handler_is_logged_and_apologised_and_bot_keeps_running(
    emu, tmp_path, caplog
):
    async def explode(update, context):
        raise RuntimeError("kaboom")

    harness = BotHarness(
        emu,
        tmp_path / "g.db",
        customize=lambda app: app.add_handler(CommandHandler("explode", explode)),
    )
    await harness.start()
    try:
        lisa = emu.add_user("Lisa", language_code="sv")
        await emu.send_text(lisa, "/explode")
        apology = await emu.wait_for_message(lisa.id)
        assert "något gick fel" in apology.text
        assert any("kaboom" in str(r.exc_info) for r in caplog.records if r.exc_info)
        assert emu.token.split(":")[1] not in caplog.text
        await emu.send_text(lisa, "/start")
        assert "Hej Lisa" in (await emu.wait_for_message(lisa.id)).text
    finally:
        await harness.stop()


async def test_edited_command_is_not_run_again(bot):
    vera = bot.emu.add_user("Vera", language_code="sv")
    original = await bot.emu.send_text(vera, "/start")
    await bot.emu.wait_for_message(vera.id)
    bot.emu.enqueue_update(
        "edited_message", {**original, "text": "/help", "edit_date": original["date"] + 5}
    )
    await bot.emu.send_text(vera, "/avbryt")
    after_edit = await bot.emu.wait_for_message(vera.id)
    assert after_edit.text == "Det finns inget att avbryta just nu."
    assert len(bot.emu.sent_messages(vera.id)) == 2  # the greeting and the /avbryt answer


async def test_a_start_link_nobody_knows_is_said_not_to_work(bot):
    """A link cut short in a forward (or mistyped) opened the ordinary /start without a word
    about the link; the plain start link (/hjalp in a group) says nothing of the kind."""
    emu = bot.emu
    for lang, expected in (("sv", "Den länken känner jag inte igen"), ("en", "I do not recognise")):
        person = emu.add_user(f"Linn {lang}", language_code=lang)
        await emu.send_text(person, "/start g12")  # a group link cut short before its key
        answer = await emu.wait_for_message(person.id)
        assert expected in answer.content and "112" in answer.content
        await emu.send_text(person, "/start start")
        plain = await emu.wait_for_message(person.id)
        assert expected not in plain.content
