"""End-to-end: /group (show, rename), co-coordinators via buttons, /unregister."""

from __future__ import annotations

from handlers.groups_manage_buttons import CoordinatorToggle, Unregister, UnregisterStep
from storage import groups as group_store
from storage import roles as role_store


async def _setup(bot, lang="sv"):
    anna = bot.emu.add_user("Anna", language_code=lang)
    bert = bot.emu.add_user("Bert", language_code=lang)
    cia = bot.emu.add_user("Cia", language_code=lang)
    grp = bot.emu.add_group("G", members=[cia], admins=[anna, bert], bot_is_member=True)
    await bot.emu.send_text(anna, "/registrera Torget, Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    return anna, bert, cia, grp, group


async def test_group_shows_registration_and_renames(bot):
    anna, _, cia, grp, group = await _setup(bot)
    await bot.emu.send_text(anna, "/grupp", chat=grp)
    info = await bot.emu.wait_for_message(grp.id)
    assert "Torget" in info.text and "Lund" in info.text and "Anna" in info.text
    assert "https://t.me/grannvakt_test_bot?start=g" in info.text
    await bot.emu.send_text(anna, "/grupp namn Stora <Torget>", chat=grp)
    done = await bot.emu.wait_for_message(grp.id)
    assert "Stora <Torget>" in done.text
    assert (await group_store.get_group(bot.services.db, group.id)).area_name == "Stora <Torget>"
    await bot.emu.send_text(cia, "/grupp namn Hijack", chat=grp)
    assert "kontaktombud" in (await bot.emu.wait_for_message(grp.id)).text
    assert (await group_store.get_group(bot.services.db, group.id)).area_name == "Stora <Torget>"
    await bot.emu.send_text(anna, "/grupp")
    assert "Stora <Torget>" in (await bot.emu.wait_for_message(anna.id)).text


async def test_add_and_remove_co_coordinator(bot):
    anna, bert, cia, grp, group = await _setup(bot, "en")
    db = bot.services.db
    await bot.emu.send_text(anna, "/group", chat=grp)
    info = await bot.emu.wait_for_message(grp.id)
    await bot.emu.press_button(anna, info, text="👥 Coordinators")
    await bot.emu.wait_until(lambda: info.edited and "Bert" in " ".join(info.button_texts()))
    assert not any("Cia" in x for x in info.button_texts())  # not an admin: not offered
    await bot.emu.press_button(anna, info, text="➕ Bert")
    answer = await bot.emu.wait_for_callback_answer()
    assert "Bert is now a coordinator" in answer["text"]
    holders = await role_store.holders(db, "coordinator", str(group.id))
    assert sorted(holders) == sorted([anna.id, bert.id])
    await bot.emu.wait_until(lambda: "✅ Bert" in info.button_texts())
    # Forged: toggling a non-admin is refused.
    info.reply_markup["inline_keyboard"].append(
        [{"text": "x", "callback_data": CoordinatorToggle(group.id, cia.id).pack()}]
    )
    await bot.emu.press_button(anna, info, data=CoordinatorToggle(group.id, cia.id).pack())
    assert "Only the group's admins" in (await bot.emu.wait_for_callback_answer())["text"]
    # Anna steps down; then Bert cannot remove himself as the last one.
    await bot.emu.press_button(anna, info, data=CoordinatorToggle(group.id, anna.id).pack())
    assert "no longer" in (await bot.emu.wait_for_callback_answer())["text"]
    holders = await role_store.holders(db, "coordinator", str(group.id))
    assert holders == [bert.id]
    await bot.emu.press_button(bert, info, data=CoordinatorToggle(group.id, bert.id).pack())
    assert "at least one" in (await bot.emu.wait_for_callback_answer())["text"]
    # Anna is no longer a coordinator: her presses are refused.
    await bot.emu.press_button(anna, info, data=CoordinatorToggle(group.id, bert.id).pack())
    assert "not allowed" in (await bot.emu.wait_for_callback_answer())["text"]


async def test_coordinator_who_lost_telegram_admin_is_refused(bot):
    anna, _, _, grp, _ = await _setup(bot)
    await bot.emu.set_admin(grp, anna, is_admin=False)
    await bot.emu.send_text(anna, "/grupp", chat=grp)
    assert "administratörer" in (await bot.emu.wait_for_message(grp.id)).text


async def test_unregister_with_confirmation(bot):
    anna, _, _, grp, group = await _setup(bot)
    db = bot.services.db
    await bot.emu.send_text(anna, "/avregistrera", chat=grp)
    confirm = await bot.emu.wait_for_message(grp.id)
    assert "Torget" in confirm.text
    await bot.emu.press_button(anna, confirm, text="Nej, behåll")
    await bot.emu.wait_until(lambda: confirm.edited)
    assert (await group_store.get_group(db, group.id)).is_active
    await bot.emu.send_text(anna, "/avregistrera", chat=grp)
    confirm = await bot.emu.wait_for_message(grp.id)
    await bot.emu.press_button(anna, confirm, text="Ja, avregistrera")
    await bot.emu.wait_until(lambda: confirm.edited and "avregistrerad" in confirm.text)
    after = await group_store.get_group(db, group.id)
    assert not after.is_registered and not after.is_active
    assert group.id not in [g.id for g in await group_store.active_groups(db)]
    assert await role_store.holders(db, "coordinator", str(group.id)) == []
    actions = [e.action for e in await role_store.audit_entries(db)]
    assert "group.unregister" in actions
    # A stale confirmation pressed again does nothing.
    confirm.reply_markup = {
        "inline_keyboard": [
            [{"text": "y", "callback_data": Unregister(group.id, UnregisterStep.YES).pack()}]
        ]
    }
    await bot.emu.press_button(anna, confirm, data=Unregister(group.id, UnregisterStep.YES).pack())
    assert "gått ut" in (await bot.emu.wait_for_callback_answer())["text"]
