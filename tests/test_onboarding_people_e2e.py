"""End-to-end (issue 13): per-person command menus, the short /start, /help by role, the
next step after an invitation, the two kinds of link, /group invite and language, and the
registrant who cannot be demoted by a co-coordinator."""

from __future__ import annotations

import asyncio

from bot.services import invitations as invitation_service
from bot.services import onboarding
from storage import groups as group_store
from tests.actors import CLI
from tests.alerts_helpers import make_police

STAMP = "2026-11-29T10:00:00.000000Z"


def _menu(emu, user, lang=""):
    return [c["command"] for c in emu.commands.get((f"chat:{user.id}", lang), [])]


async def _registered(bot, admin, *members, title="Möllebacken", kommun="Sölvesborg"):
    grp = bot.emu.add_group(title, admins=[admin], members=list(members), bot_is_member=True)
    await bot.emu.send_text(admin, f"/registrera {title}, {kommun}", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    return grp


async def _stored_member(bot, chat_id, user_id):
    """Wait (up to ~5 s) until the bot has stored the person as a member of the group."""
    db = bot.services.db
    for _ in range(250):
        group = await group_store.get_group_by_chat(db, chat_id)
        if group is not None and await group_store.is_member(db, group.id, user_id):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{user_id} never stored as a member of {chat_id}")


async def _add_observation(db, group_id, status="new", forwarded=False, handled=False):
    number = int(await db.fetch_value("SELECT COUNT(*) FROM observations") or 0) + 1
    await db.execute(
        "INSERT INTO observations (ref_year, ref_number, group_id, kommun_code, reporter_id,"
        " category, observed_at, description, status, created_at, updated_at)"
        " VALUES (2026, ?, ?, '1083', 1, 'other', ?, 'x', ?, ?, ?)",
        (number, group_id, STAMP, status, STAMP, STAMP),
    )
    obs_id = await db.fetch_value("SELECT MAX(id) FROM observations")
    if forwarded:
        await db.execute(
            "INSERT INTO observation_forwards (observation_id, kommun_code, forwarded_by,"
            " forwarded_at, handled_at) VALUES (?, '1083', 1, ?, ?)",
            (obs_id, STAMP, STAMP if handled else None),
        )


# --------------------------------------------------------------------------- menus


async def test_menus_follow_roles_granted_and_revoked(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    bo = emu.add_user("Bo", language_code="en")
    grp = await _registered(bot, anna)
    await emu.wait_until(lambda: _menu(emu, anna))
    coordinator_menu = _menu(emu, anna)
    assert {"observationer", "export", "tips", "grupp", "rapportera", "minarapporter"} <= set(
        coordinator_menu
    )
    assert "hjalp" in coordinator_menu and "larm" not in coordinator_menu
    # Bo becomes co-coordinator through /grupp (an admin of the group): English menu.
    grp.members[bo.id] = "administrator"
    await emu.send_text(anna, "/grupp", chat=grp)
    panel = await emu.wait_for_message(grp.id, lambda m: m.buttons())
    await emu.press_button(anna, panel, text="👥 Kontaktombud")
    listing = await emu.wait_until(lambda: any("Bo" in x for x in panel.button_texts()) and panel)
    await emu.press_button(anna, listing, text="➕ Bo")
    await emu.wait_until(lambda: "grupp" in _menu(emu, bo))  # Bo never wrote: default language
    assert {"observationer", "export", "tips", "grupp"} <= set(_menu(emu, bo))
    # Unregistering ends both coordinator roles: their menus drop those commands.
    await emu.send_text(anna, "/avregistrera", chat=grp)
    confirm = await emu.wait_for_message(grp.id, lambda m: "Vill du avregistrera" in m.text)
    await emu.press_button(anna, confirm, text="Ja, avregistrera")
    await emu.wait_until(lambda: "grupp" not in _menu(emu, anna))
    await emu.wait_until(lambda: "grupp" not in _menu(emu, bo))
    assert set(_menu(emu, anna)) >= {"rapportera", "minarapporter", "hjalp", "start"}


async def test_officer_menu_after_invitation_and_next_step(bot):
    emu, db = bot.emu, bot.services.db
    anna = emu.add_user("Anna")
    await _registered(bot, anna, title="Norr", kommun="Sölvesborg")
    await _registered(bot, anna, title="Söder", kommun="Sölvesborg")
    created = await invitation_service.create_police_invitation(
        db, bot.services.clock.now(), ["1083"], actor=CLI
    )
    olle = emu.add_user("Olle")
    await emu.send_text(olle, f"/start {created.payload}")
    welcome = await emu.wait_for_message(olle.id)
    assert "/larm skickar ett larm till 2 grupper" in welcome.text and "/inkorg" in welcome.text
    await emu.wait_until(lambda: "larm" in _menu(emu, olle))
    assert {"larm", "larmlista", "inkorg", "export"} <= set(_menu(emu, olle))
    assert "observationer" not in _menu(emu, olle)


async def test_start_sets_a_menu_never_set_and_a_stale_one(bot):
    emu, db = bot.emu, bot.services.db
    eva = emu.add_user("Eva", language_code="en")
    await make_police(bot, eva, "1083")  # granted outside the bot (like the CLI)
    await emu.send_text(eva, "/start")
    await emu.wait_for_message(eva.id)
    assert "alert" in _menu(emu, eva)
    calls = sum(1 for c in emu.calls if c.method == "setMyCommands")
    await emu.send_text(eva, "/start")
    await emu.wait_for_message(eva.id)
    assert sum(1 for c in emu.calls if c.method == "setMyCommands") == calls  # unchanged
    await db.execute("DELETE FROM roles WHERE user_id = ?", (eva.id,))  # revoked by the CLI
    await emu.send_text(eva, "/start")
    await emu.wait_for_message(eva.id)
    assert "alert" not in _menu(emu, eva) and "report" in _menu(emu, eva)


# --------------------------------------------------------------------------- /start, /help


async def test_start_for_a_newcomer_is_the_long_welcome(bot):
    eva = bot.emu.add_user("Eva")
    await bot.emu.send_text(eva, "/start")
    text = (await bot.emu.wait_for_message(eva.id)).text
    assert "Kontaktombud" in text and "Poliser" in text


async def test_start_for_a_coordinator_is_short_and_about_them(bot):
    emu, db = bot.emu, bot.services.db
    anna = emu.add_user("Anna")
    grp = await _registered(bot, anna)
    group = await group_store.get_group_by_chat(db, grp.id)
    for _ in range(3):
        await _add_observation(db, group.id)
    await _add_observation(db, group.id, status="reviewed")
    await emu.send_text(anna, "/start")
    text = (await emu.wait_for_message(anna.id)).text
    assert "Poliser" not in text  # not the three-role welcome
    assert "3 nya iakttagelser väntar" in text and "kontaktombud för 1 grupp." in text
    assert "Möllebacken" in text and "Nästa steg" in text and "/observationer" in text


async def test_start_for_an_officer_names_the_inbox(bot):
    emu, db = bot.emu, bot.services.db
    anna = emu.add_user("Anna")
    grp = await _registered(bot, anna)
    group = await group_store.get_group_by_chat(db, grp.id)
    olle = emu.add_user("Olle", language_code="en")
    await make_police(bot, olle, "1083")
    await _add_observation(db, group.id, "forwarded", forwarded=True)
    await _add_observation(db, group.id, "forwarded", forwarded=True)
    await _add_observation(db, group.id, "forwarded", forwarded=True, handled=True)
    await emu.send_text(olle, "/start")
    text = (await emu.wait_for_message(olle.id)).text
    assert "2 in your inbox" in text and "/alert reaches 1 group." in text
    assert "Sölvesborg" in text and "Next step" in text


async def test_start_for_a_resident_with_a_group(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    eva = emu.add_user("Eva")
    grp = await _registered(bot, anna, eva)
    await emu.send_text(eva, "hej", chat=grp)  # seen in the group: a member
    # The group's updates and Eva's private ones run concurrently (bot/updates.py):
    # /start must come after the membership is stored.
    await _stored_member(bot, grp.id, eva.id)
    await emu.send_text(eva, "/start")
    text = (await emu.wait_for_message(eva.id)).text
    assert "Dina grupper" in text and "/rapportera" in text and "Poliser" not in text


async def test_help_is_grouped_by_role_and_lists_only_what_they_can_use(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    await _registered(bot, anna)
    await emu.send_text(anna, "/hjalp")
    text = (await emu.wait_for_message(anna.id)).text
    assert "Som boende" in text and "Som kontaktombud" in text and "Som polis" not in text
    assert text.index("Som boende") < text.index("/rapportera") < text.index("Som kontaktombud")
    assert "/observationer" in text and "/larm " not in text and "/bjudin" not in text
    eva = emu.add_user("Eva", language_code="en")
    await emu.send_text(eva, "/help")
    text = (await emu.wait_for_message(eva.id)).text
    assert (
        "As a resident" in text and "As a coordinator" not in text and "/observations" not in text
    )


async def test_help_in_a_group_says_what_a_resident_does_there_with_the_private_button(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    bo = emu.add_user("Bo")
    grp = await _registered(bot, anna, bo)
    welcome = next(m for m in emu.sent_messages(grp.id) if m.buttons())
    report_url = welcome.buttons()[1][1]
    await emu.send_text(bo, "/hjalp", chat=grp)
    answer = await emu.wait_for_message(grp.id, lambda m: "Som boende" in m.text)
    assert "rapporterar du privat till mig" in answer.text
    assert "/minadata" in answer.text and "/minagrupper" in answer.text
    assert "larm och förebyggande tips skickar jag här i gruppen" in answer.text
    assert "Som kontaktombud" not in answer.text
    assert answer.buttons() == [("📝 Rapportera privat", report_url)]  # the group's report link
    # a coordinator sees the resident's part and their own commands in the group
    await emu.send_text(anna, "/hjalp", chat=grp)
    answer = await emu.wait_for_message(grp.id, lambda m: "Som kontaktombud" in m.text)
    assert "/minadata" in answer.text and "/grupp" in answer.text
    assert answer.text.index("Som boende") < answer.text.index("Som kontaktombud")
    # an unregistered group: the plain private chat, and when alerts will come
    eva = emu.add_user("Eva", language_code="en")
    other = emu.add_group("Other", members=[eva], bot_is_member=True)
    await emu.send_text(eva, "/help", chat=other)
    answer = await emu.wait_for_message(other.id, lambda m: "As a resident" in m.text)
    assert "/mydata" in answer.text and "/mygroups" in answer.text
    assert "once a coordinator has registered the group" in answer.text
    assert answer.buttons() == [
        ("💬 Open a private chat with me", "https://t.me/grannvakt_test_bot?start=start")
    ]


# --------------------------------------------------------------------------- links


async def test_bot_link_without_being_in_the_telegram_group_says_join_it(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    grp = await _registered(bot, anna)
    welcome = next(m for m in emu.sent_messages(grp.id) if m.buttons())
    link = welcome.buttons()[0][1]
    payload = link.split("start=")[1]
    outsider = emu.add_user("Sven")
    await emu.send_text(outsider, f"/start {payload}")
    answer = await emu.wait_for_message(outsider.id)
    assert "inte med i Telegram-gruppen" in answer.text and "Be ert kontaktombud" in answer.text
    await emu.send_text(anna, "/grupp inbjudan t.me/+AbCdEfGhIjKl12", chat=grp)
    saved = await emu.wait_for_message(grp.id)
    assert "https://t.me/+AbCdEfGhIjKl12" in saved.text
    newcomer = emu.add_user("Nils", language_code="en")
    await emu.send_text(newcomer, f"/start {payload}")
    answer = await emu.wait_for_message(newcomer.id)
    assert "not in the Telegram group" in answer.text
    assert answer.buttons() == [("👥 Join the group", "https://t.me/+AbCdEfGhIjKl12")]
    member = emu.add_user("Maja")
    grp.members[member.id] = "member"
    await emu.send_text(member, f"/start {payload}")
    answer = await emu.wait_for_message(member.id)
    assert "kopplad till" in answer.text and "Telegram-gruppen, så stanna" in answer.text
    assert "inte med i" not in answer.text


async def test_report_link_without_being_in_the_telegram_group_says_join_it_first(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    grp = await _registered(bot, anna)
    welcome = next(m for m in emu.sent_messages(grp.id) if m.buttons())
    payload = welcome.buttons()[1][1].split("start=")[1]
    assert payload.startswith("r")
    outsider = emu.add_user("Sven")
    await emu.send_text(outsider, f"/start {payload}")
    question = await emu.wait_for_message(outsider.id, lambda m: "Vad gäller det?" in m.text)
    advice = emu.sent_messages(outsider.id)[0]
    assert advice is not question
    assert "inte med i Telegram-gruppen" in advice.text and "Be ert kontaktombud" in advice.text
    assert "Din rapport kan du skriva här nedanför" in advice.text

    await emu.send_text(anna, "/grupp inbjudan t.me/+AbCdEfGhIjKl12", chat=grp)
    await emu.wait_for_message(grp.id)
    newcomer = emu.add_user("Nils", language_code="en")
    await emu.send_text(newcomer, f"/start {payload}")
    await emu.wait_for_message(newcomer.id, lambda m: "What is it about?" in m.text)
    advice = emu.sent_messages(newcomer.id)[0]
    assert "not in the Telegram group" in advice.text and "write your report below" in advice.text
    assert advice.buttons() == [("👥 Join the group", "https://t.me/+AbCdEfGhIjKl12")]

    member = emu.add_user("Maja")
    grp.members[member.id] = "member"
    await emu.send_text(member, f"/start {payload}")
    await emu.wait_for_message(member.id, lambda m: "Vad gäller det?" in m.text)
    assert not any("inte med i" in m.text for m in emu.sent_messages(member.id))


async def test_group_invite_link_is_validated_and_shown(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    grp = await _registered(bot, anna)
    for bad in ("https://example.com/+abcdefghijk", "t.me/grannvakt", "hej"):
        await emu.send_text(anna, f"/grupp inbjudan {bad}", chat=grp)
        assert "ser inte ut som en hel inbjudningslänk" in (await emu.wait_for_message(grp.id)).text
    await emu.send_text(anna, "/grupp inbjudan", chat=grp)
    assert "/grupp inbjudan https://t.me/+" in (await emu.wait_for_message(grp.id)).text
    await emu.send_text(anna, "/grupp inbjudan https://t.me/joinchat/AAAAAEkk2WdoDo", chat=grp)
    await emu.wait_for_message(grp.id)
    await emu.send_text(anna, "/grupp", chat=grp)
    panel = await emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert "https://t.me/joinchat/AAAAAEkk2WdoDo" in panel.text
    bo = emu.add_user("Bo")
    grp.members[bo.id] = "member"
    await emu.send_text(bo, "/grupp inbjudan https://t.me/+evilevilevil1", chat=grp)
    assert "kontaktombud" in (await emu.wait_for_message(grp.id)).text
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group.invite_link == "https://t.me/joinchat/AAAAAEkk2WdoDo"
    await emu.send_text(anna, "/grupp inbjudan bort", chat=grp)
    await emu.wait_for_message(grp.id)
    assert (await group_store.get_group_by_chat(bot.services.db, grp.id)).invite_link is None


def test_invite_links_are_cleaned():
    clean = onboarding.clean_invite_link
    assert clean("https://t.me/+AbCdEfGhIjKl") == "https://t.me/+AbCdEfGhIjKl"
    assert clean("t.me/joinchat/AbCdEfGhIjKl") == "https://t.me/joinchat/AbCdEfGhIjKl"
    assert clean("https://t.me/+short") is None
    assert clean("https://t.me/+AbCdEfGhIjKl<script>") is None
    assert clean("https://t.me/somegroup") is None


async def test_group_language_is_its_own_setting_in_group(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    bo = emu.add_user("Bo")
    grp = await _registered(bot, anna, bo)
    await emu.send_text(anna, "/grupp", chat=grp)
    panel = await emu.wait_for_message(grp.id, lambda m: m.buttons())
    assert "Gruppens språk" in panel.text and "✅ Svenska" in panel.button_texts()
    await emu.press_button(bo, panel, text="English")  # not a coordinator
    assert "behörighet" in (await emu.wait_for_callback_answer())["text"]
    await emu.press_button(anna, panel, text="English")
    assert "engelska" in (await emu.wait_for_callback_answer())["text"]
    await emu.wait_until(lambda: "✅ English" in panel.button_texts())
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    assert group.language == "en"


# --------------------------------------------------------------------------- registrant


async def test_co_coordinator_cannot_demote_the_registrant(bot):
    emu, db = bot.emu, bot.services.db
    anna = emu.add_user("Anna")
    bo = emu.add_user("Bo")
    grp = await _registered(bot, anna)
    grp.members[bo.id] = "administrator"
    group = await group_store.get_group_by_chat(db, grp.id)
    assert group.registered_by == anna.id
    await emu.send_text(anna, "/grupp", chat=grp)
    panel = await emu.wait_for_message(grp.id, lambda m: m.buttons())
    await emu.press_button(anna, panel, text="👥 Kontaktombud")
    await emu.wait_until(lambda: "➕ Bo" in panel.button_texts())
    await emu.press_button(anna, panel, text="➕ Bo")
    await emu.wait_until(lambda: "✅ Bo" in panel.button_texts())
    await emu.press_button(bo, panel, text="✅ Anna")
    refusal = await emu.wait_for_callback_answer()
    assert "Anna registrerade gruppen" in refusal["text"] and refusal.get("show_alert")
    assert anna.id in await _coordinators(db, group.id)
    # Anna may step down herself; Bo stays.
    await emu.press_button(anna, panel, text="✅ Anna")
    await emu.wait_until(lambda: "➕ Anna" in panel.button_texts())
    assert await _coordinators(db, group.id) == [bo.id]


async def test_registrant_who_left_the_admins_can_be_removed(bot):
    emu, db = bot.emu, bot.services.db
    anna = emu.add_user("Anna")
    bo = emu.add_user("Bo")
    grp = await _registered(bot, anna)
    grp.members[bo.id] = "administrator"
    group = await group_store.get_group_by_chat(db, grp.id)
    await db.execute(
        "INSERT INTO roles (user_id, role, scope, granted_by, granted_at) "
        "VALUES (?, 'coordinator', ?, ?, ?)",
        (bo.id, str(group.id), anna.id, STAMP),
    )
    grp.members[anna.id] = "member"  # no longer an admin in Telegram
    await emu.send_text(bo, "/grupp", chat=grp)
    panel = await emu.wait_for_message(grp.id, lambda m: m.buttons())
    await emu.press_button(bo, panel, text="👥 Kontaktombud")
    await emu.wait_until(lambda: any("Bo" in x for x in panel.button_texts()))
    assert anna.id in await _coordinators(db, group.id)


async def _coordinators(db, group_id):
    rows = await db.fetch_all(
        "SELECT user_id FROM roles WHERE role = 'coordinator' AND scope = ?", (str(group_id),)
    )
    return [row["user_id"] for row in rows]
