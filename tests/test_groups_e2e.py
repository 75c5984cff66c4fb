"""End-to-end: registering a group, kommun choice, refusals, the explanation and deep link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from bot.services import groups as group_service
from storage import groups as group_store
from storage import roles as role_store


def _link(message) -> str:
    return next(url for _, url in message.buttons() if url and url.startswith("https://t.me/"))


async def _register(bot, admin, grp, text="/registrera Norra Möllebacken, Sölvesborg"):
    await bot.emu.send_text(admin, text, chat=grp)
    return await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())


async def test_admin_registers_group_with_kommun_and_gets_explanation(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("Möllebacken", admins=[anna], bot_is_member=True)
    explanation = await _register(bot, anna, grp)
    texts = [m.text for m in bot.emu.sent_messages(grp.id)]
    assert any("registrerad" in x and "Sölvesborg" in x and "Anna" in x for x in texts)
    assert "112" in explanation.text and "114 14" in explanation.text
    link = _link(explanation)
    assert link.startswith("https://t.me/grannvakt_test_bot?start=g")
    payload = parse_qs(urlparse(link).query)["start"][0]
    assert len(payload) <= 64
    db = bot.services.db
    group = await group_store.get_group_by_chat(db, grp.id)
    assert group is not None and group.is_active
    assert group.area_name == "Norra Möllebacken" and group.kommun_code == "1083"
    assert await role_store.holders(db, "coordinator", str(group.id)) == [anna.id]
    actions = [e.action for e in await role_store.audit_entries(db)]
    assert "group.register" in actions and "role.grant" in actions


async def test_command_with_bot_username_and_english(bot):
    ed = bot.emu.add_user("Ed", language_code="en")
    grp = bot.emu.add_group("Hill", creator=ed, bot_is_member=True)
    await bot.emu.send_text(ed, "/register@grannvakt_test_bot Hilltop, solvesborg", chat=grp)
    done = await bot.emu.wait_for_message(grp.id, lambda m: "registered" in m.text)
    assert "Hilltop" in done.text and "Sölvesborg" in done.text


async def test_non_admin_is_refused_politely(bot):
    bo = bot.emu.add_user("Bo")
    grp = bot.emu.add_group("G", members=[bo], bot_is_member=True)
    await bot.emu.send_text(bo, "/registrera Gatan, Lund", chat=grp)
    msg = await bot.emu.wait_for_message(grp.id)
    assert "administratörer" in msg.text
    assert (
        await group_store.get_group_by_chat(bot.services.db, grp.id) is None
        or not (await group_store.get_group_by_chat(bot.services.db, grp.id)).is_registered
    )


async def test_register_in_private_explains_where(bot):
    bo = bot.emu.add_user("Bo")
    await bot.emu.send_text(bo, "/registrera Gatan")
    msg = await bot.emu.wait_for_message(bo.id)
    assert "i gruppen" in msg.text


async def test_anonymous_admin_is_asked_to_post_as_themselves(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_anonymous_admin_command(grp, "/registrera Gatan, Lund")
    msg = await bot.emu.wait_for_message(grp.id)
    assert "anonym" in msg.text
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group is None or not group.is_registered


async def test_bad_area_names_are_refused(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera x, Lund", chat=grp)
    assert "2–64" in (await bot.emu.wait_for_message(grp.id)).text
    await bot.emu.send_text(anna, "/registrera " + "a" * 65 + ", Lund", chat=grp)
    assert "2–64" in (await bot.emu.wait_for_message(grp.id)).text
    await bot.emu.send_text(anna, "/registrera", chat=grp)
    assert "/registrera" in (await bot.emu.wait_for_message(grp.id)).text


async def test_area_name_html_is_escaped_and_control_chars_stripped(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    explanation = await _register(bot, anna, grp, "/registrera <b>Evil</b>\u200b & co, Lund")
    assert "<b>Evil</b> & co" in explanation.text  # shown literally
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group.area_name == "<b>Evil</b> & co"


async def test_kommun_disambiguation_with_buttons(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Centrum, habo", chat=grp)
    prompt = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    labels = prompt.button_texts()
    assert any(x.startswith("Habo") for x in labels) and any(x.startswith("Håbo") for x in labels)
    assert all(len(d.encode()) <= 64 for _, d in prompt.buttons())
    håbo = next(d for x, d in prompt.buttons() if x.startswith("Håbo"))
    await bot.emu.press_button(anna, prompt, data=håbo)
    explanation = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons() and _link(m))
    assert "Centrum" in explanation.text
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group.kommun_code == "0305"  # Håbo


async def test_kommun_asked_by_reply_when_missing(bot):
    anna = bot.emu.add_user("Anna", language_code="en")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/register Old Town", chat=grp)
    prompt = await bot.emu.wait_for_message(grp.id)
    assert "Which kommun" in prompt.text
    await bot.emu.send_text(anna, "Nowhereville", chat=grp, reply_to=prompt)
    again = await bot.emu.wait_for_message(grp.id)
    assert "can't find" in again.text
    await bot.emu.send_text(anna, "karlshamn", chat=grp, reply_to=again)
    await bot.emu.wait_for_message(grp.id, lambda m: "registered" in m.text)
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group.area_name == "Old Town" and group.kommun_code == "1082"


async def test_kommun_button_pressed_by_non_admin_is_refused(bot):
    anna = bot.emu.add_user("Anna")
    bo = bot.emu.add_user("Bo")
    grp = bot.emu.add_group("G", members=[bo], admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Centrum, habo", chat=grp)
    prompt = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    await bot.emu.press_button(bo, prompt, data=prompt.buttons()[0][1])
    answer = await bot.emu.wait_for_callback_answer()
    assert "behörighet" in answer["text"]
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert not group.is_registered


async def test_second_registration_updates_instead_of_duplicating(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await _register(bot, anna, grp, "/registrera Gamla namnet, Lund")
    await bot.emu.send_text(anna, "/registrera Nya namnet, Malmö", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: "uppdaterad" in m.text)
    db = bot.services.db
    count = await db.fetch_value("SELECT COUNT(*) FROM groups WHERE chat_id = ?", (grp.id,))
    assert count == 1
    group = await group_store.get_group_by_chat(db, grp.id)
    assert group.area_name == "Nya namnet" and group.kommun_code == "1280"


async def test_forged_payload_is_rejected():
    token = "123:abc"
    payload = group_service.group_payload(token, 7)
    assert group_service.parse_group_payload(token, payload) == 7
    assert group_service.parse_group_payload(token, payload.replace("g7_", "g8_")) is None
    assert group_service.parse_group_payload("123:other", payload) is None
    assert group_service.parse_group_payload(token, "g7_" + "A" * 16) is None


async def test_new_group_gets_its_registrants_language_not_the_bots_default(emu, tmp_path):
    from tests.harness import BotHarness

    harness = BotHarness(emu, tmp_path / "en.db", default_language="en")
    await harness.start()
    try:
        ed = emu.add_user("Ed", language_code="sv")
        grp = emu.add_group("Hill", creator=ed, bot_is_member=True)
        await emu.send_text(ed, "/register Hilltop, Lund", chat=grp)
        await emu.wait_for_message(grp.id, lambda m: m.buttons())
        group = await group_store.get_group_by_chat(harness.services.db, grp.id)
        assert group is not None and group.language == "sv"  # Ed writes Swedish
    finally:
        await harness.stop()


async def test_report_button_of_explanation_joins_group_and_starts_report(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("Möllebacken", admins=[anna], bot_is_member=True)
    explanation = await _register(bot, anna, grp)
    report_url = next(url for _, url in explanation.buttons() if url and "start=r" in url)
    payload = parse_qs(urlparse(report_url).query)["start"][0]
    assert len(payload) <= 64
    bo = bot.emu.add_user("Bo")  # never seen in the group by the bot
    await bot.emu.send_text(bo, f"/start {payload}")
    question = await bot.emu.wait_for_message(bo.id, lambda m: "Vad gäller det?" in m.text)
    assert "112" in question.text
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert await group_store.is_member(bot.services.db, group.id, bo.id)
    await bot.emu.send_text(bo, "/avbryt")
    await bot.emu.wait_for_message(bo.id)

    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    eve = bot.emu.add_user("Eve")
    await bot.emu.send_text(eve, f"/start {forged}")
    refusal = await bot.emu.wait_for_message(eve.id)
    assert "Vad gäller det?" not in refusal.text
    assert not await group_store.is_member(bot.services.db, group.id, eve.id)
