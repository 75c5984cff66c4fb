"""Every mutating service operation (and every read of personal data) refuses exactly the
people its rule leaves out, whoever calls it: a table of operation × role, called directly
(no handler in between), each case in a fresh database.

The roles: a stranger, a resident member of group A, the coordinator of A, the coordinator
of group B, police of A's kommun, police of B's kommun, a bot admin, and the command line
(a system actor). Roles are read from storage (`access_of`); Telegram calls each
coordinator an admin of their own group's chat. A cell is True (allowed), False (must raise
`Refused`) or absent (the operation takes a person only, e.g. an alert has a sender).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.services import (
    alert_changes,
    alerts,
    digest_charts,
    digests,
    feed_settings,
    group_topics,
    invitations,
    onboarding,
    tip_admin,
)
from bot.services import groups as group_service
from bot.services import observation_export as export
from bot.services import observations as obs_service
from bot.services import roles as role_service
from bot.services import tips as tip_service
from bot.services.people import PeopleService
from bot.services.refusals import Refused
from bot.services.roles import Actor, SystemActor, access_of, system
from config import Settings
from storage import groups as group_store
from storage import observation_status
from storage import observations as obs_store
from storage import roles as role_store
from storage import users as user_store
from storage.db import Database
from storage.feed import GroupFeedSettings
from storage.observations import NewObservation
from tests.db_template import seed_fresh_database
from tests.scenario import Scenario
from tests.test_observations_reach_units import FakeRenderer

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
KOMMUN_A, KOMMUN_B = "1281", "0180"  # Lund, Stockholm
CHAT_A, CHAT_B = -100_1, -100_2
STRANGER, RESIDENT, COORD_A, COORD_A2, CHAT_ADMIN_A, COORD_B = 41, 31, 11, 12, 18, 21
POLICE_A, POLICE_B, ADMIN = 51, 61, 71

USERS = {
    "stranger": STRANGER,
    "resident": RESIDENT,
    "coordinator": COORD_A,
    "other_coordinator": COORD_B,
    "police": POLICE_A,
    "other_police": POLICE_B,
    "admin": ADMIN,
}
ROLES = [*USERS, "cli"]
TELEGRAM_ADMINS = {CHAT_A: {COORD_A, COORD_A2, CHAT_ADMIN_A}, CHAT_B: {COORD_B}}


async def telegram(chat_id: int, user_id: int) -> bool:
    return user_id in TELEGRAM_ADMINS.get(chat_id, set())


@dataclass
class World:
    db: Database
    settings: Settings
    clock: FixedClock
    group_a: int
    group_b: int
    observation: int  # new, in A, by the resident
    forwarded: int  # in A, forwarded to A's kommun
    alert: int  # sent by A's police to group A
    tip: int

    @property
    def notifier(self) -> obs_service.Notifier:
        return obs_service.Notifier(PeopleService(self.db, self.clock, "sv"), FakeRenderer())


@pytest.fixture
async def world(tmp_path):
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token="1:x",
        database_path=str(tmp_path / "p.db"),
        admin_user_ids=frozenset({ADMIN}),
    )
    await seed_fresh_database(tmp_path / "p.db")
    db = Database(tmp_path / "p.db")
    await db.open()
    clock = FixedClock(NOW)
    for uid in {*USERS.values(), COORD_A2, CHAT_ADMIN_A}:
        await user_store.upsert_user(
            db,
            uid,
            first_name=f"U{uid}",
            last_name=None,
            username=None,
            telegram_language_code="sv",
            now=NOW,
        )
    ids = []
    scenario = Scenario(db, NOW)
    for chat, kommun, coordinators in (
        (CHAT_A, KOMMUN_A, (COORD_A, COORD_A2)),
        (CHAT_B, KOMMUN_B, (COORD_B,)),
    ):
        group_id = await scenario.group(chat, f"Area {kommun}", kommun, title="G")
        for uid in coordinators:
            await scenario.coordinator(uid, group_id)
            await scenario.residents(group_id, uid, source="message")
        ids.append(group_id)
    group_a, group_b = ids
    await scenario.residents(group_a, RESIDENT)
    await scenario.police(POLICE_A, KOMMUN_A)
    await scenario.police(POLICE_B, KOMMUN_B)
    observation, forwarded = [
        (
            await obs_store.create_observation(
                db,
                NewObservation(
                    group_a,
                    KOMMUN_A,
                    RESIDENT,
                    False,
                    "theft",
                    NOW,
                    "Gatan",
                    None,
                    None,
                    False,
                    "Någon provade dörrar",
                ),
                NOW,
                2026,
                NOW - timedelta(hours=1),
                10,
            )
        )[0]
        for _ in range(2)
    ]
    assert await observation_status.forward(db, forwarded, KOMMUN_A, COORD_A, NOW)
    police_a = await access_of(db, settings, POLICE_A)
    draft = alerts.Draft(category="theft", target_kind="groups", group_ids=[group_a], body="B")
    alert = await alerts.create_alert(db, clock, settings.tzinfo, police_a, draft, "sv")
    await tip_service.sync_library(db, system("cli"), NOW)
    tip = (await tip_admin.library(db))[0].id
    yield World(db, settings, clock, group_a, group_b, observation, forwarded, alert.alert_id, tip)
    await db.close()


Operation = Callable[[World, Actor], Awaitable[object]]


def _person(actor: Actor) -> role_service.Access:
    assert not isinstance(actor, SystemActor)
    return actor


# Each operation's call, and the roles it allows (every other role listed must be refused).
OPERATIONS: dict[str, tuple[Operation, set[str], bool]] = {
    # name: (call, allowed roles, whether a system actor may call it at all)
    "groups.register": (
        lambda w, a: group_service.register(
            w.db,
            NOW,
            chat_id=CHAT_A,
            title="G",
            area_name="Nytt",
            kommun_code=KOMMUN_A,
            actor=_person(a),
            is_chat_admin=telegram,
        ),
        {"coordinator"},
        False,
    ),
    "groups.rename": (
        lambda w, a: group_service.rename(w.db, NOW, a, telegram, w.group_a, "Nytt namn"),
        {"coordinator", "cli"},
        True,
    ),
    "groups.unregister": (
        lambda w, a: group_service.unregister(w.db, NOW, a, telegram, w.group_a),
        {"coordinator", "cli"},
        True,
    ),
    "groups.add_coordinator": (
        lambda w, a: group_service.add_coordinator(w.db, NOW, a, telegram, w.group_a, CHAT_ADMIN_A),
        {"coordinator", "cli"},
        True,
    ),
    "groups.remove_coordinator": (
        lambda w, a: group_service.remove_coordinator(w.db, NOW, a, telegram, w.group_a, COORD_A2),
        {"coordinator", "cli"},
        True,
    ),
    "group_topics.choose_topic": (
        lambda w, a: group_topics.choose_topic(w.db, NOW, a, telegram, w.group_a, 7),
        {"coordinator", "cli"},
        True,
    ),
    "tips.change_schedule": (
        lambda w, a: tip_service.change_schedule(
            w.db, w.settings.tzinfo, NOW, a, telegram, w.group_a, weekday=3
        ),
        {"coordinator", "admin", "cli"},
        True,
    ),
    "tips.send_now": (
        lambda w, a: tip_service.send_now(w.db, w.settings.tzinfo, a, w.group_a, "sv", NOW),
        {"cli"},
        True,
    ),
    "tips.add_manual_tip": (
        lambda w, a: tip_service.add_manual_tip(
            w.db, a, "theft", "all_year", "Lås cykeln.", "Lock the bike.", NOW
        ),
        {"police", "other_police", "admin", "cli"},
        True,
    ),
    "onboarding.set_language": (
        lambda w, a: onboarding.set_language(w.db, a, telegram, w.group_a, "en", NOW),
        {"coordinator", "admin", "cli"},
        True,
    ),
    "tip_admin.send_by_hand": (
        lambda w, a: _send_by_hand(w, a),
        {"coordinator", "admin", "cli"},
        True,
    ),
    "tip_admin.set_tip_enabled": (
        lambda w, a: tip_admin.set_tip_enabled(w.db, a, w.tip, False, NOW),
        {"police", "other_police", "admin", "cli"},
        True,
    ),
    "tip_admin.edit_tip_text": (
        lambda w, a: tip_admin.edit_tip_text(w.db, a, w.tip, "sv", "Ny text.", NOW),
        {"police", "other_police", "admin", "cli"},
        True,
    ),
    "digest_charts.set_group_chart": (
        lambda w, a: digest_charts.set_group_chart(w.db, a, telegram, w.group_a, True, NOW),
        {"coordinator", "cli"},
        True,
    ),
    "feed_settings.save_group_settings": (
        lambda w, a: feed_settings.save_group_settings(
            w.db, NOW, a, telegram, GroupFeedSettings(w.group_a, lan_mode="off")
        ),
        {"coordinator", "admin", "cli"},
        True,
    ),
    "invitations.create_police_invitation": (
        lambda w, a: invitations.create_police_invitation(w.db, NOW, [KOMMUN_A], actor=a),
        {"admin", "cli"},
        True,
    ),
    "roles.revoke": (
        lambda w, a: role_service.revoke(w.db, NOW, a, POLICE_B, "police"),
        {"admin", "cli"},
        True,
    ),
    "alerts.create_alert": (
        lambda w, a: alerts.create_alert(
            w.db,
            w.clock,
            w.settings.tzinfo,
            _person(a),
            alerts.Draft(category="theft", target_kind="groups", group_ids=[w.group_a], body="X"),
            "sv",
        ),
        {"police", "admin"},
        False,
    ),
    "alert_changes.recent": (
        lambda w, a: alert_changes.recent(w.db, _person(a)),
        {"police", "other_police", "admin"},
        False,
    ),
    "alert_changes.send_update": (
        lambda w, a: alert_changes.send_update(
            w.db, w.clock, w.settings.tzinfo, _person(a), w.alert, "Gripen."
        ),
        {"police", "admin"},
        False,
    ),
    "alert_changes.withdraw": (
        lambda w, a: alert_changes.withdraw(w.db, w.clock, w.settings.tzinfo, _person(a), w.alert),
        {"police", "admin"},
        False,
    ),
    "observations.coordinator_action": (
        lambda w, a: obs_service.coordinator_action(
            w.db,
            w.settings,
            w.clock,
            _person(a).user_id,
            w.observation,
            "reviewed",
            w.notifier,
            telegram,
        ),
        {"coordinator"},
        False,
    ),
    "observations.add_note": (
        lambda w, a: obs_service.add_note(
            w.db, w.settings, w.clock, _person(a).user_id, w.observation, "Sett.", telegram
        ),
        {"coordinator"},
        False,
    ),
    "observations.mark_handled": (
        lambda w, a: obs_service.mark_handled(
            w.db, w.settings, w.clock, _person(a).user_id, w.forwarded
        ),
        {"police"},
        False,
    ),
    "observations.withdraw": (
        lambda w, a: obs_service.withdraw(
            w.db, w.clock, _person(a).user_id, w.observation, w.notifier
        ),
        {"resident"},
        False,
    ),
    "observation_export.export_for": (
        lambda w, a: export.export_for(w.db, w.settings, w.clock, _person(a).user_id, 30, telegram),
        {"coordinator", "other_coordinator", "police", "other_police"},
        False,
    ),
    "tips.sync_library": (
        lambda w, a: tip_service.sync_library(w.db, a, NOW),
        {"cli"},
        True,
    ),
    "tips.ensure_schedules": (
        lambda w, a: tip_service.ensure_schedules(w.db, a, w.settings.tzinfo, NOW),
        {"cli"},
        True,
    ),
    "tips.run_due": (
        lambda w, a: tip_service.run_due(w.db, a, w.settings.tzinfo, NOW),
        {"cli"},
        True,
    ),
    "digests.send_due": (
        lambda w, a: digests.send_due(w.db, a, w.settings.tzinfo, NOW, _swedish),
        {"cli"},
        True,
    ),
    "observation_export.export_all": (
        lambda w, a: export.export_all(w.db, w.settings, a, NOW - timedelta(days=30), None),
        {"cli"},
        True,
    ),
}


async def _swedish(user_id: int) -> str:
    return "sv"


async def _send_by_hand(w: World, actor: Actor) -> object:
    group = await group_store.get_group(w.db, w.group_a)
    assert group is not None
    return await tip_admin.send_by_hand(w.db, w.settings.tzinfo, actor, telegram, group, NOW)


CASES = [
    (name, role)
    for name, (_, _, system_too) in OPERATIONS.items()
    for role in ROLES
    if role != "cli" or system_too
]


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_operation_allows_exactly_its_roles(world, operation, role):
    call, allowed, _ = OPERATIONS[operation]
    if role == "cli":
        actor: Actor = system("cli")
    else:
        actor = await access_of(world.db, world.settings, USERS[role])
    if role in allowed:
        await call(world, actor)
    else:
        with pytest.raises(Refused):
            await call(world, actor)


async def test_a_refused_operation_writes_nothing(world):
    """Refused before any write: the stranger's rename leaves the name and the audit log."""
    stranger = await access_of(world.db, world.settings, STRANGER)
    audit_before = await role_store.audit_entries(world.db)
    with pytest.raises(Refused) as refused:
        await group_service.rename(world.db, NOW, stranger, telegram, world.group_a, "Kapat")
    assert refused.value.key == "core.not_allowed"
    group = await group_store.get_group(world.db, world.group_a)
    assert group is not None and group.area_name == f"Area {KOMMUN_A}"
    assert await role_store.audit_entries(world.db) == audit_before


async def test_a_demoted_telegram_admin_is_refused_although_storage_still_says_coordinator(
    world,
):
    """Storage alone is not enough for a coordinator: Telegram is asked again in the service."""
    coordinator = await access_of(world.db, world.settings, COORD_A)

    async def nobody(chat_id: int, user_id: int) -> bool:
        return False

    for call in (
        group_service.rename(world.db, NOW, coordinator, nobody, world.group_a, "Nytt"),
        tip_service.change_schedule(
            world.db, world.settings.tzinfo, NOW, coordinator, nobody, world.group_a, weekday=1
        ),
        obs_service.add_note(
            world.db, world.settings, world.clock, COORD_A, world.observation, "x", nobody
        ),
    ):
        with pytest.raises(Refused):
            await call


def test_every_role_and_operation_is_in_the_table():
    assert len(CASES) == sum(len(ROLES) if s else len(USERS) for _, _, s in OPERATIONS.values())
    for name, (_, allowed, _) in OPERATIONS.items():
        assert allowed <= set(ROLES), name


async def test_an_invitation_is_refused_once_used_and_when_unknown(world):
    """The code is the credential: anyone holding it may redeem it, once."""
    created = await invitations.create_police_invitation(
        world.db, NOW, [KOMMUN_A], actor=system("cli")
    )
    invitation = await invitations.redeem(world.db, NOW, created.code, STRANGER)
    assert invitation.scopes == (KOMMUN_A,)
    for code, key in ((created.code, "inv.used"), ("x" * 32, "inv.unknown")):
        with pytest.raises(Refused) as refused:
            await invitations.redeem(world.db, NOW, code, RESIDENT)
        assert refused.value.key == key
