"""End-to-end: deep-link membership, /start lists groups, kick/re-add, migration, joins/leaves."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import parse_qs, urlparse

from storage import groups as group_store
from storage import roles as role_store


async def _registered_group(bot, title="Möllebacken", area="Norra Möllebacken, Sölvesborg"):
    admin = bot.emu.add_user("Anna")
    grp = bot.emu.add_group(title, admins=[admin], bot_is_member=True)
    await bot.emu.send_text(admin, f"/registrera {area}", chat=grp)
    explanation = await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    link = next(url for _, url in explanation.buttons() if url)
    payload = parse_qs(urlparse(link).query)["start"][0]
    return admin, grp, payload


async def _group(bot, chat_id):
    return await group_store.get_group_by_chat(bot.services.db, chat_id)


async def test_deep_link_makes_member_and_start_lists_groups(bot):
    _, grp, payload = await _registered_group(bot)
    _, grp2, payload2 = await _registered_group(bot, "Hill", "Hilltop, Karlshamn")
    eva = bot.emu.add_user("Eva")
    await bot.emu.send_text(eva, f"/start {payload}")
    welcome = await bot.emu.wait_for_message(eva.id)
    assert "Norra Möllebacken" in welcome.text and "Välkommen" in welcome.text
    await bot.emu.send_text(eva, f"/start {payload}")
    assert "redan" in (await bot.emu.wait_for_message(eva.id)).text
    await bot.emu.send_text(eva, f"/start {payload2}")
    await bot.emu.wait_for_message(eva.id)
    group = await _group(bot, grp.id)
    assert await group_store.is_member(bot.services.db, group.id, eva.id)
    await bot.emu.send_text(eva, "/start")
    start = await bot.emu.wait_for_message(eva.id)
    assert "Dina grupper" in start.text
    assert "Norra Möllebacken – Sölvesborg" in start.text and "Hilltop – Karlshamn" in start.text
    assert grp2.id  # both listed


async def test_forged_deep_link_is_refused(bot):
    _, grp, payload = await _registered_group(bot)
    mallory = bot.emu.add_user("Mallory", language_code="en")
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    await bot.emu.send_text(mallory, f"/start {forged}")
    assert "does not work" in (await bot.emu.wait_for_message(mallory.id)).text
    group = await _group(bot, grp.id)
    assert not await group_store.is_member(bot.services.db, group.id, mallory.id)


async def test_kick_makes_group_inactive_and_re_add_restores_it(bot):
    admin, grp, payload = await _registered_group(bot)
    await bot.emu.remove_bot_from_group(grp, admin)
    group = await _wait_db(bot, lambda g: not g.bot_present, grp.id)
    assert not group.is_active and group.is_registered
    assert group.id not in [g.id for g in await group_store.active_groups(bot.services.db)]
    eva = bot.emu.add_user("Eva")
    await bot.emu.send_text(eva, f"/start {payload}")
    assert "fungerar inte" in (await bot.emu.wait_for_message(eva.id)).text
    await bot.emu.add_bot_to_group(grp, admin)
    await _wait_db(bot, lambda g: g.bot_present, grp.id)
    group = await _group(bot, grp.id)
    assert group.is_active and group.area_name == "Norra Möllebacken"
    assert await role_store.holders(bot.services.db, "coordinator", str(group.id)) == [admin.id]


async def _wait_db(bot, predicate, chat_id):
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        group = await _group(bot, chat_id)
        if group is not None and predicate(group):
            return group
        await asyncio.sleep(0.02)
    raise AssertionError("database condition not reached")


async def test_supergroup_migration_keeps_registration_and_members(bot):
    admin, grp, payload = await _registered_group(bot)
    eva = bot.emu.add_user("Eva")
    await bot.emu.send_text(eva, f"/start {payload}")
    await bot.emu.wait_for_message(eva.id)
    old = await _group(bot, grp.id)
    new_id = await bot.emu.upgrade_group(grp)
    group = await _wait_db(bot, lambda g: g.chat_id == new_id, grp.id)
    assert group.id == old.id and group.area_name == old.area_name and group.is_active
    assert (await _group(bot, new_id)).id == old.id
    assert await group_store.is_member(bot.services.db, old.id, eva.id)
    assert await bot.services.db.fetch_value("SELECT COUNT(*) FROM groups") == 1
    # Commands in the supergroup find the same registration.
    await bot.emu.send_text(admin, "/registrera Södra, Sölvesborg", chat=new_id)
    await bot.emu.wait_for_message(new_id, lambda m: "uppdaterad" in m.text)
    assert await bot.services.db.fetch_value("SELECT COUNT(*) FROM groups") == 1


async def test_joins_leaves_and_messages_record_membership(bot):
    admin, grp, _ = await _registered_group(bot)
    bo = bot.emu.add_user("Bo")
    cia = bot.emu.add_user("Cia")
    await bot.emu.user_joins(grp, bo)
    group = await _group(bot, grp.id)
    db = bot.services.db

    async def member(user):
        return await group_store.is_member(db, group.id, user.id)

    await _until(lambda: member(bo))
    await bot.emu.send_text(cia, "/hjalp", chat=grp)
    await _until(lambda: member(cia))
    await bot.emu.user_leaves(grp, bo)
    await _until(lambda: _not(member(bo)))
    assert await member(cia) and await member(admin)


async def test_chat_member_updates_when_bot_is_admin(bot):
    admin = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("Admins", admins=[admin], bot_is_admin=True)
    await bot.emu.send_text(admin, "/registrera Torget, Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    dan = bot.emu.add_user("Dan")
    await bot.emu.user_joins(grp, dan, by=admin)
    group = await _group(bot, grp.id)
    db = bot.services.db
    await _until(lambda: group_store.is_member(db, group.id, dan.id))
    source = await db.fetch_value(
        "SELECT source FROM memberships WHERE user_id = ? AND group_id = ?", (dan.id, group.id)
    )
    assert source in ("joined", "chat_member")
    await bot.emu.user_leaves(grp, dan, by=admin)
    await _until(lambda: _not(group_store.is_member(db, group.id, dan.id)))


async def _not(awaitable):
    return not await awaitable


async def _until(make):
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        if await make():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def test_start_lists_many_groups_within_telegrams_text_limit(bot):
    from storage import groups as group_store
    from tests.harness import fixed_clock

    now = fixed_clock().now()
    hanna = bot.emu.add_user("Hanna", language_code="sv")
    await bot.emu.send_text(hanna, "/start")  # the bot meets her first
    await bot.emu.wait_for_message(hanna.id)
    db = bot.services.db
    for n in range(60):
        group = await group_store.ensure_group(db, -5000 - n, f"G{n}", now)
        area = f"Ett ganska långt områdesnamn för grupp nummer {n:02d}"
        await group_store.register_group(db, group.id, area, "1083", now)
        await group_store.add_member(db, group.id, hanna.id, "deep_link", now)
    await bot.emu.send_text(hanna, "/start")
    reply = await bot.emu.wait_for_message(hanna.id)
    assert len(reply.text) <= 4096
    assert "nummer 00" in reply.text and "… och 35 till" in reply.text
