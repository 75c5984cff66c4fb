"""Every privileged command and button × every role: who is let in.

Roles: a stranger, a resident of the group, the coordinator of another group, the
group's coordinator (also its Telegram admin), a police officer and a bot admin
(ADMIN_USER_IDS). Buttons are pressed with data the person could forge; the bot must
decide from the stored roles (and Telegram admin status), never from the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.i18n import t_plain
from bot.services import groups as group_service
from bot.services.roles import access_of
from handlers.groups import RegisterKommun
from handlers.groups_manage_buttons import (
    CoordinatorList,
    CoordinatorToggle,
    Unregister,
    UnregisterStep,
)
from handlers.invitations import InviteKommuner
from storage import groups as group_store
from storage import roles as role_store
from tests.actors import telegram_admin
from tests.harness import BotHarness

# The coordinator goes last: an allowed action may send more than one message.
ROLES = ("stranger", "resident", "other_coordinator", "police", "admin", "coordinator")
NOT_ALLOWED = t_plain("sv", "core.not_allowed")
REFUSALS = (
    NOT_ALLOWED,
    t_plain("sv", "grp.register.not_admin"),
    t_plain("sv", "grp.group.not_coordinator"),
)


@dataclass
class World:
    harness: BotHarness
    people: dict
    grp: object  # emulator Chat of the group under test
    group_id: int
    anchor: object  # a bot message in the group to hang forged buttons on


@pytest.fixture
async def world(emu, tmp_path):
    people = {role: emu.add_user(role.replace("_", " ").title()) for role in ROLES}
    harness = BotHarness(emu, tmp_path / "p.db", admin_user_ids=frozenset({people["admin"].id}))
    await harness.start()
    try:
        db = harness.services.db
        now = harness.services.clock.now()
        members = [people[r] for r in ("resident", "other_coordinator", "police", "admin")]
        grp = emu.add_group(
            "G", members=members, admins=[people["coordinator"]], bot_is_member=True
        )
        other = emu.add_group("H", admins=[people["other_coordinator"]], bot_is_member=True)
        for person in people.values():  # users rows exist once they talked to the bot
            await emu.send_text(person, "/hjalp")
            await emu.wait_for_message(person.id)
        reg = await group_service.register(
            db,
            now,
            chat_id=grp.id,
            title="G",
            area_name="Torget",
            kommun_code="1281",
            actor=await access_of(db, harness.services.settings, people["coordinator"].id),
            is_chat_admin=telegram_admin,
        )
        await group_service.register(
            db,
            now,
            chat_id=other.id,
            title="H",
            area_name="Backen",
            kommun_code="1281",
            actor=await access_of(db, harness.services.settings, people["other_coordinator"].id),
            is_chat_admin=telegram_admin,
        )
        await group_store.add_member(db, reg.group.id, people["resident"].id, "deep_link", now)
        await role_store.grant_role(db, people["police"].id, "police", "1281", None, now)
        await emu.send_text(people["coordinator"], "/grupp", chat=grp)
        anchor = await emu.wait_for_message(grp.id)
        yield World(harness, people, grp, reg.group.id, anchor)
    finally:
        await harness.stop()


async def _command_outcome(world: World, role: str, text: str, private: bool) -> bool:
    emu = world.harness.emu
    person = world.people[role]
    chat_id = person.id if private else world.grp.id
    await emu.send_text(person, text, chat=None if private else world.grp)
    answer = await emu.wait_for_message(chat_id)
    return not any(refusal in answer.text for refusal in REFUSALS)


async def _button_outcome(world: World, role: str, data: str, message=None) -> bool:
    emu = world.harness.emu
    message = message or world.anchor
    message.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
    cq = await emu.press_button(world.people[role], message, data=data)
    answer = await emu.wait_for_callback_answer(cq["id"])
    return answer.get("text") not in (NOT_ALLOWED,)


async def _kommun_button_outcome(world: World, role: str) -> bool:
    """A pending registration by the coordinator; `role` presses a kommun button."""
    emu = world.harness.emu
    await emu.send_text(world.people["coordinator"], "/registrera Centrum, habo", chat=world.grp)
    prompt = await emu.wait_for_message(world.grp.id, lambda m: m.text.startswith("Vilken kommun"))
    return await _button_outcome(world, role, prompt.buttons()[0][1], prompt)


ACTIONS = {
    "/register": (lambda w, r: _command_outcome(w, r, "/registrera Torget, Lund", False)),
    "/group": (lambda w, r: _command_outcome(w, r, "/grupp", False)),
    "/group name": (lambda w, r: _command_outcome(w, r, "/grupp namn Nytt", False)),
    "/unregister": (lambda w, r: _command_outcome(w, r, "/avregistrera", False)),
    "/invite": (lambda w, r: _command_outcome(w, r, "/bjudin Lund", True)),
    "grp:k": _kommun_button_outcome,
    "grp:cl": (lambda w, r: _button_outcome(w, r, CoordinatorList(w.group_id).pack())),
    "grp:c": (
        lambda w, r: _button_outcome(
            w, r, CoordinatorToggle(w.group_id, w.people["coordinator"].id).pack()
        )
    ),
    "grp:u:n": (
        lambda w, r: _button_outcome(w, r, Unregister(w.group_id, UnregisterStep.NO).pack())
    ),
    "grp:u:ask": (
        lambda w, r: _button_outcome(w, r, Unregister(w.group_id, UnregisterStep.ASK).pack())
    ),
    "inv:k": (lambda w, r: _button_outcome(w, r, InviteKommuner("1281").pack())),
}

ALLOWED = {
    "/register": {"coordinator"},  # any Telegram admin of the group; here only the coordinator
    "/group": {"coordinator"},
    "/group name": {"coordinator"},
    "/unregister": {"coordinator"},
    "grp:k": {"coordinator"},
    "grp:cl": {"coordinator"},
    "grp:c": {"coordinator"},
    "grp:u:n": {"coordinator"},
    "grp:u:ask": {"coordinator"},
    "/invite": {"admin"},
    "inv:k": {"admin"},
}


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_who_is_let_in(world, action):
    outcome = {}
    for role in ROLES:
        outcome[role] = await ACTIONS[action](world, role)
    assert {role for role, allowed in outcome.items() if allowed} == ALLOWED[action], outcome


async def test_forged_group_id_in_button_is_stale(world):
    """A coordinator pressing a button naming another group (not this chat) gets nothing."""
    other = await world.harness.services.db.fetch_value(
        "SELECT id FROM groups WHERE id != ?", (world.group_id,)
    )
    for data in (
        Unregister(other, UnregisterStep.YES).pack(),
        CoordinatorList(other).pack(),
        CoordinatorToggle.head() + ":x:y",
        RegisterKommun(1, "9999").pack(),
        InviteKommuner("9999").pack(),
    ):
        role = "admin" if InviteKommuner.filter()(data) else "coordinator"
        world.anchor.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
        cq = await world.harness.emu.press_button(world.people[role], world.anchor, data=data)
        answer = await world.harness.emu.wait_for_callback_answer(cq["id"])
        assert answer["text"] == t_plain("sv", "core.stale_button"), data
    group = await group_store.get_group(world.harness.services.db, other)
    assert group.is_registered
