"""End-to-end (review finding): a resident's report reaches only coordinators whom
Telegram still calls admins of the group's chat — also what waited for them, and the
report's details. The bot is no admin of the group, so it never hears of the demotion."""

from __future__ import annotations

from handlers.observations_buttons import ObsDetail
from storage import groups, roles
from tests.test_observations_support import World, add_person, file_report


async def _co_coordinator(w: World, name: str = "Bengt"):
    """A second coordinator of group A, admin of its chat, who opened the private chat."""
    emu, db = w.emu, w.harness.services.db
    user = emu.add_user(name, "sv")
    user.started = True
    await add_person(w.harness, user)
    group = await groups.get_group(db, w.group_a)
    assert group is not None
    chat = emu.chats[group.chat_id]
    await emu.set_admin(chat, user, True)
    await roles.grant_role(
        db, user.id, "coordinator", str(w.group_a), None, w.harness.services.clock.now()
    )
    return user, chat


async def _demoted_and_gone(w: World, user, chat) -> None:
    await w.emu.set_admin(chat, user, False)
    await w.emu.user_leaves(chat, user)


async def test_a_demoted_coordinator_gets_no_new_report(world: World):
    w, emu = world, world.emu
    bengt, chat = await _co_coordinator(w)
    # While Bengt is an admin his answer is kept (a press within 60 s reuses it).
    await file_report(w, w.anna, "Första rapporten", show_identity=True)
    await emu.wait_for_message(bengt.id, lambda m: "Första rapporten" in m.content)
    await _demoted_and_gone(w, bengt, chat)
    await file_report(w, w.anna, "Någon bröt upp dörren på Storgatan 5", show_identity=True)
    await emu.wait_for_message(w.carl.id, lambda m: "Storgatan 5" in m.content)
    await w.harness.services.delivery.wait_idle()
    assert not any("Storgatan 5" in m.content for m in emu.sent_messages(bengt.id))


async def test_details_of_an_older_notice_refused_after_demotion(world: World):
    w, emu = world, world.emu
    bengt, chat = await _co_coordinator(w)
    await file_report(w, w.anna, "Cykel stulen", show_identity=True)
    notice = await emu.wait_for_message(bengt.id, lambda m: "Cykel stulen" in m.content)
    n = len(emu.sent_messages(bengt.id))
    await emu.press_button(bengt, notice, data=ObsDetail(1).pack())  # while still an admin
    await emu.wait_for_message(bengt.id, after=n)
    await _demoted_and_gone(w, bengt, chat)
    n = len(emu.sent_messages(bengt.id))
    query = await emu.press_button(bengt, notice, data=ObsDetail(1).pack())
    answer = await emu.wait_for_callback_answer(query["id"])
    assert "behörighet" in (answer.get("text") or "")
    assert len(emu.sent_messages(bengt.id)) == n


async def test_a_held_notice_is_not_released_to_a_demoted_coordinator(world: World):
    w, emu = world, world.emu
    bengt, chat = await _co_coordinator(w)
    bengt.started = False  # he has not opened the private chat: his notice is held
    await file_report(w, w.anna, "Inbrott på Storgatan 5", show_identity=True)
    await emu.wait_for_message(w.carl.id, lambda m: "Storgatan 5" in m.content)
    await w.harness.services.delivery.wait_idle()
    await _demoted_and_gone(w, bengt, chat)
    bengt.started = True
    await emu.send_text(bengt, "/start")
    await emu.wait_for_message(bengt.id)
    n = len(emu.sent_messages(bengt.id))
    await emu.send_text(bengt, "/hjalp")  # answered after the first message's hooks
    await emu.wait_for_message(bengt.id, after=n)
    await w.harness.services.delivery.wait_idle()
    assert not any("Storgatan 5" in m.content for m in emu.sent_messages(bengt.id))


async def test_resident_told_when_the_only_coordinator_was_demoted(world: World):
    w, emu = world, world.emu
    group = await groups.get_group(w.harness.services.db, w.group_a)
    assert group is not None
    await emu.set_admin(emu.chats[group.chat_id], w.carl, False)
    confirmation = await file_report(w, w.anna, "Misstänkt bil")
    assert "O-2026-0001" in confirmation and "114 14" in confirmation
    assert "har gått till" not in confirmation
    await w.harness.services.delivery.wait_idle()
    assert emu.sent_messages(w.carl.id) == []
