"""End-to-end: /start shows what storage holds at that moment. A role revoked (also by
another process, as `grannvakt roles revoke` does), a group left, a language chosen or
the person's data erased is seen by the very next /start, and the person's command menu
follows the revoked role. (/start reads roles, groups and menu in one round trip,
storage/users.py::standing_of; nothing of it may be kept between updates.)"""

from __future__ import annotations

from handlers.core import LanguageChoice
from handlers.privacy import ForgetMe
from storage import groups as group_store
from storage import roles as role_store
from storage.db import Database
from tests.alerts_helpers import make_police


def _menu(emu, user):
    return [c["command"] for c in emu.commands.get((f"chat:{user.id}", ""), [])]


async def _start(emu, user) -> str:
    await emu.send_text(user, "/start")
    return (await emu.wait_for_message(user.id)).text


async def _registered(bot, admin, *members):
    grp = bot.emu.add_group(
        "Möllebacken", admins=[admin], members=list(members), bot_is_member=True
    )
    await bot.emu.send_text(admin, "/registrera Möllebacken, Sölvesborg", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    return grp


async def test_a_role_revoked_by_another_process_is_gone_at_the_next_start(bot, tmp_path):
    emu = bot.emu
    olle = emu.add_user("Olle", language_code="sv")
    await make_police(bot, olle, "1083")
    assert "Du är polis för" in await _start(emu, olle)
    await emu.wait_until(lambda: "larm" in _menu(emu, olle), what="the police menu")
    # The command line opens its own connection to the same file (another process).
    cli = Database(bot.services.db.path)
    await cli.open()
    try:
        await role_store.revoke_roles(cli, olle.id, "police", None, None, bot.services.clock.now())
    finally:
        await cli.close()
    text = await _start(emu, olle)
    assert "Du är polis för" not in text and text.startswith("Hej Olle")
    await emu.wait_until(lambda: "larm" not in _menu(emu, olle), what="the resident menu")


async def test_a_group_left_is_gone_at_the_next_start(bot):
    emu, db = bot.emu, bot.services.db
    anna = emu.add_user("Anna")
    grp = await _registered(bot, anna)
    assert "Dina grupper" in await _start(emu, anna)
    group = await group_store.get_group_by_chat(db, grp.id)
    await group_store.remove_member(db, group.id, anna.id, bot.services.clock.now())
    assert "Dina grupper" not in await _start(emu, anna)


async def test_a_chosen_language_is_used_by_the_next_start(bot):
    emu = bot.emu
    ulla = emu.add_user("Ulla", language_code="sv")
    assert (await _start(emu, ulla)).startswith("Hej Ulla")
    await emu.send_text(ulla, "/sprak")
    prompt = await emu.wait_for_message(ulla.id)
    await emu.press_button(ulla, prompt, data=LanguageChoice("en").pack())
    await emu.wait_for_callback_answer()
    assert (await _start(emu, ulla)).startswith("Hi Ulla")


async def test_after_erasure_the_next_start_knows_nothing_of_the_person(bot):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    await _registered(bot, anna)
    text = await _start(emu, anna)
    assert "Dina grupper" in text and "Du är kontaktombud" in text
    await emu.send_text(anna, "/glommig")
    ask = await emu.wait_for_message(anna.id, lambda m: "raderar dina uppgifter" in m.content)
    edits = len(ask.history)
    await emu.press_button(anna, ask, data=ForgetMe(True).pack())
    await emu.wait_until(lambda: len(ask.history) > edits, what="the erasure's answer")
    text = await _start(emu, anna)
    assert "Dina grupper" not in text and "Jag är Grannvakt" in text  # the long welcome


async def test_start_names_a_persons_kommuner_in_the_order_people_read_them(bot):
    """Kommun codes sort Älmhult (0765) before Ale (1440); names put å, ä, ö after z."""
    emu, db, now = bot.emu, bot.services.db, bot.services.clock.now()
    olle = emu.add_user("Olle", language_code="sv")
    for code in ("1440", "0765", "1083"):
        await role_store.grant_role(db, olle.id, "police", code, None, now)
        await role_store.grant_role(db, olle.id, "kommun", code, None, now)
    text = await _start(emu, olle)
    police = next(line for line in text.splitlines() if "Du är polis för" in line)
    kommun = next(line for line in text.splitlines() if "lägesbilden för" in line)
    for line in (police, kommun):
        assert line.index("Ale") < line.index("Sölvesborg") < line.index("Älmhult"), line
