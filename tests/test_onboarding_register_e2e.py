"""End-to-end (issue 13, onboarding): /register as people type it, "did you mean" buttons,
the ForceReply question and a plain answer, the welcome post (language, pin, once)."""

from __future__ import annotations

import pytest

from bot.services import group_input
from storage import groups as group_store


async def _group_of(bot, grp):
    return await group_store.get_group_by_chat(bot.services.db, grp.id)


@pytest.mark.parametrize(
    ("text", "area", "code"),
    [
        ("/registrera Norra Möllebacken Sölvesborg", "Norra Möllebacken", "1083"),
        ("/registrera Ljungvägen i Sölvesborg", "Ljungvägen", "1083"),
        ("/registrera Centrum Upplands Väsby", "Centrum", "0114"),
        ("/registrera Torget Lilla Edet", "Torget", "1462"),
        ("/registrera Storgatan Sölvesborgs kommun", "Storgatan", "1083"),
        ("/registrera Norra Möllebacken, Sölvesborg", "Norra Möllebacken", "1083"),
        # a län after the kommun is left out when the kommun lies in it
        ("/registrera Norra Möllebacken Sölvesborg Blekinge län", "Norra Möllebacken", "1083"),
        ("/registrera Norra Möllebacken Sölvesborg, Blekinge län", "Norra Möllebacken", "1083"),
        ("/registrera Norra Möllebacken, Sölvesborg, Blekinge", "Norra Möllebacken", "1083"),
        ("/registrera Gamla stan Stockholm, Stockholms län", "Gamla stan", "0180"),
        ("/registrera Torget Lilla Edet Västra Götaland", "Torget", "1462"),
        ("/register Old Town Karlshamn, Blekinge County", "Old Town", "1082"),
        # a län that is also a kommun's name stays the kommun
        ("/registrera Gamla stan Stockholm", "Gamla stan", "0180"),
        ("/registrera Hamnen, Gotland", "Hamnen", "0980"),
    ],
)
async def test_trailing_kommun_is_recognised(bot, text, area, code):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, text, chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: "registre" in (m.text or ""))
    group = await _group_of(bot, grp)
    assert (group.area_name, group.kommun_code) == (area, code)


def test_reading_registrations_as_typed():
    read = group_input.read_registration
    assert read("Storgatan").kommun.query is None
    assert read("Storgatan").area == "Storgatan"
    guess = read("Norra Möllebacken Solvesbrg")
    assert guess.area == "Norra Möllebacken" and guess.kommun.guessed
    assert [k.name for k in guess.kommun.kommuner] == ["Sölvesborg"]
    assert read("Gatan, Solvesbrg").kommun.guessed
    assert not read("Gatan, kung").kommun.guessed
    # a misspelt kommun and its län: the suggestions of that län
    guess = read("Norra Möllebacken Solvesbrg Blekinge län")
    assert guess.area == "Norra Möllebacken" and guess.kommun.guessed
    assert [k.code for k in guess.kommun.kommuner] == ["1083"]
    # a län the kommun does not lie in is not dropped: the kommun is asked for
    assert read("Storgatan Sölvesborg Skåne län").kommun.kommuner == []


async def test_plain_answer_with_the_lan_after_the_kommun(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Gamla stan", chat=grp)
    await bot.emu.wait_for_message(grp.id)
    await bot.emu.send_text(anna, "Karlshamn, Blekinge län", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: "registrerad" in (m.text or ""))
    group = await _group_of(bot, grp)
    assert (group.area_name, group.kommun_code) == ("Gamla stan", "1082")


async def test_misspelt_kommun_gets_did_you_mean_buttons(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Norra Möllebacken, Solvesbrg", chat=grp)
    prompt = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert "Menade du" in prompt.text and "Solvesbrg" in prompt.text
    assert [label for label in prompt.button_texts()] == ["Sölvesborg (Blekinge län)"]
    assert not (await _group_of(bot, grp)).is_registered
    await bot.emu.press_button(anna, prompt, data=prompt.buttons()[0][1])
    await bot.emu.wait_for_message(grp.id, lambda m: "registrerad" in (m.text or ""))
    group = await _group_of(bot, grp)
    assert (group.area_name, group.kommun_code) == ("Norra Möllebacken", "1083")


async def test_misspelt_kommun_without_comma_in_english(bot):
    ed = bot.emu.add_user("Ed", language_code="en")
    grp = bot.emu.add_group("G", admins=[ed], bot_is_member=True)
    await bot.emu.send_text(ed, "/register Old Town Karlshman", chat=grp)
    prompt = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert "Did you mean" in prompt.text and "Old Town" in prompt.text
    assert prompt.button_texts() == ["Karlshamn (Blekinge län)"]


async def test_which_kommun_uses_force_reply_and_takes_a_plain_answer(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Gamla stan", chat=grp)
    question = await bot.emu.wait_for_message(grp.id)
    assert "Vilken kommun" in question.text
    assert question.reply_markup["force_reply"] is True
    assert question.reply_markup["selective"] is True
    await bot.emu.send_text(anna, "Karlshamn", chat=grp)  # not a reply: a plain answer
    await bot.emu.wait_for_message(grp.id, lambda m: "registrerad" in (m.text or ""))
    group = await _group_of(bot, grp)
    assert (group.area_name, group.kommun_code) == ("Gamla stan", "1082")


async def test_plain_message_of_someone_else_is_no_answer(bot):
    anna = bot.emu.add_user("Anna")
    bo = bot.emu.add_user("Bo")
    grp = bot.emu.add_group("G", admins=[anna, bo], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Gamla stan", chat=grp)
    await bot.emu.wait_for_message(grp.id)
    count = len(bot.emu.sent_messages(grp.id))
    await bot.emu.send_text(bo, "Karlshamn", chat=grp)  # chatting, not answering
    await bot.emu.send_text(anna, "Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: "registrerad" in (m.text or ""))
    group = await _group_of(bot, grp)
    assert group.kommun_code == "1281"  # Lund, Anna's answer
    assert not any("Karlshamn" in (m.text or "") for m in bot.emu.sent_messages(grp.id)[count:])


async def test_plain_misspelt_answer_gets_suggestions(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Gamla stan", chat=grp)
    await bot.emu.wait_for_message(grp.id)
    await bot.emu.send_text(anna, "Stokholm", chat=grp)
    prompt = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert prompt.button_texts() == ["Stockholm (Stockholms län)"]


async def test_welcome_in_registrants_language_pinned_and_posted_once(bot):
    ed = bot.emu.add_user("Ed", language_code="en")
    grp = bot.emu.add_group("G", admins=[ed], bot_is_member=True)
    await bot.emu.set_admin(grp, bot.emu.bot_user)  # the bot may pin
    await bot.emu.send_text(ed, "/register Hilltop, Lund", chat=grp)
    welcome = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert "Here in the group" in welcome.text and "connects you to the group" in welcome.text
    await bot.emu.wait_until(lambda: bot.emu.pinned.get(grp.id) == welcome.message_id)
    assert "I write here in English. The coordinators can change the language with /group." in (
        welcome.text
    )
    group = await _group_of(bot, grp)
    assert group.language == "en"  # a new group speaks its registrant's language
    assert group.welcome_message_id == welcome.message_id
    await bot.emu.send_text(ed, "/register Hilltop East, Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: "updated" in (m.text or ""))
    await bot.emu.send_text(ed, "/help", chat=grp)  # anything after: the bot has caught up
    await bot.emu.wait_for_message(grp.id, lambda m: "/" in (m.text or ""))
    assert sum(1 for m in bot.emu.sent_messages(grp.id) if m.buttons() and "Hello" in m.text) == 1


async def test_welcome_not_pinned_without_the_right(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)  # bot: plain member
    await bot.emu.send_text(anna, "/registrera Gatan, Lund", chat=grp)
    welcome = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert "Här i gruppen" in welcome.text
    assert "Jag skriver här på svenska. Kontaktombuden kan byta språk med /grupp." in welcome.text
    await bot.emu.wait_until(lambda: any(c.method == "pinChatMessage" for c in bot.emu.calls))
    assert grp.id not in bot.emu.pinned


async def test_a_registered_group_keeps_its_language_when_re_registered(bot):
    anna = bot.emu.add_user("Anna")  # Swedish
    ed = bot.emu.add_user("Ed", language_code="en")
    grp = bot.emu.add_group("G", admins=[anna, ed], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Gatan, Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    await bot.emu.send_text(ed, "/register Gatan Norra, Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: "updated" in (m.text or ""))
    group = await _group_of(bot, grp)
    assert (group.area_name, group.language) == ("Gatan Norra", "sv")
