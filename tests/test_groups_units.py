"""Units: area names, payloads, durations, membership tracker, group lifecycle in storage."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.services import group_input
from bot.services import groups as group_service
from bot.services import invitations as invitation_service
from bot.services.membership import MembershipTracker, groups_of, join_by_deep_link
from bot.services.refusals import Refused
from storage import groups as group_store
from storage import roles as role_store
from storage import users as user_store
from tests.actors import person, telegram_admin

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
BY_1 = {"actor": person(1), "is_chat_admin": telegram_admin}


@pytest.fixture
async def db(db):
    """The shared database (tests/conftest.py), seeded for this module."""
    for uid in (1, 2, 3):
        await user_store.upsert_user(
            db,
            uid,
            first_name=f"U{uid}",
            last_name=None,
            username=None,
            telegram_language_code="sv",
            now=NOW,
        )
    return db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Norra   Möllebacken ", "Norra Möllebacken"),
        ("Gata\x00n\u200b 1", "Gatan 1"),
        ("Rad\nett\ttvå", "Rad ett två"),
        ("x", None),
        ("  \x07 ", None),
        ("a" * 64, "a" * 64),
        ("a" * 65, None),
        (None, None),
    ],
)
def test_clean_area_name(raw, expected):
    assert group_input.clean_area_name(raw) == expected


def test_split_area_and_kommun():
    assert group_input.split_area_and_kommun("A, B, Lund") == ("A, B", "Lund")
    assert group_input.split_area_and_kommun("Torget") == ("Torget", None)
    assert group_input.split_area_and_kommun("Torget, ") == ("Torget", None)


def test_group_payload_shape_and_unguessable():
    payload = group_service.group_payload("1:secret", 123456789)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
    assert payload != group_service.group_payload("1:secret", 123456788)
    assert group_service.parse_group_payload("1:secret", payload) == 123456789
    assert group_service.parse_group_payload("1:secret", "inv_abc") is None
    assert group_service.parse_group_payload("1:secret", "") is None


@pytest.mark.parametrize(
    ("text", "delta"),
    [("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2))],
)
def test_parse_duration(text, delta):
    assert invitation_service.parse_duration(text) == delta


@pytest.mark.parametrize("text", ["", "7", "0d", "-1d", "91d", "7y", "abc"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError):
        invitation_service.parse_duration(text)


def test_invitation_payload_fits_start_parameter():
    code = "A" * 32
    assert invitation_service.code_from_payload("inv_" + code) == code
    assert invitation_service.code_from_payload("inv_short") is None
    assert invitation_service.code_from_payload("g1_x") is None
    assert len("inv_" + code) <= 64


async def test_register_unregister_and_reregister(db):
    reg = await group_service.register(
        db, NOW, chat_id=-5, title="T", area_name="A", kommun_code="1281", **BY_1
    )
    assert not reg.updated and reg.group.is_active
    assert await group_service.coordinators(db, reg.group.id) == [1]
    again = await group_service.register(
        db, NOW, chat_id=-5, title="T", area_name="B", kommun_code="1280", **BY_1
    )
    assert again.updated and again.group.id == reg.group.id and again.group.area_name == "B"
    gid = reg.group.id
    first, second = person(1, coordinates=[gid]), person(2, coordinates=[gid])
    await group_service.add_coordinator(db, NOW, first, telegram_admin, gid, 2)
    assert not await group_service.remove_coordinator(db, NOW, first, telegram_admin, gid, 3)
    assert await group_service.remove_coordinator(db, NOW, second, telegram_admin, gid, 1)
    with pytest.raises(Refused) as refused:  # the last one stays
        await group_service.remove_coordinator(db, NOW, second, telegram_admin, gid, 2)
    assert refused.value.key == "grp.coord.last"
    await group_service.unregister(db, NOW, second, telegram_admin, gid)
    assert await group_service.coordinators(db, reg.group.id) == []
    assert not (await group_store.get_group(db, reg.group.id)).is_registered
    actions = [e.action for e in reversed(await role_store.audit_entries(db))]
    assert actions[:3] == ["group.register", "role.grant", "group.update"]
    assert "group.unregister" in actions and "role.revoke" in actions


async def test_bot_left_and_joined_and_migrated(db):
    reg = await group_service.register(
        db, NOW, chat_id=-7, title="T", area_name="A", kommun_code="1281", **BY_1
    )
    await group_service.bot_left(db, NOW, -7)
    assert not (await group_store.get_group(db, reg.group.id)).is_active
    assert await group_service.bot_left(db, NOW, -999) is None
    await group_service.bot_joined(db, NOW, -7, "T")
    assert (await group_store.get_group(db, reg.group.id)).is_active
    await group_service.chat_migrated(db, NOW, -7, -1000000000007)
    await group_service.chat_migrated(db, NOW, -7, -1000000000007)  # idempotent
    moved = await group_store.get_group_by_chat(db, -7)
    assert moved.chat_id == -1000000000007 and moved.id == reg.group.id


async def test_membership_tracker_and_deep_link(db):
    tracker = MembershipTracker(db)
    assert await tracker.seen(NOW, -9, "T", 2, "message")
    assert not await tracker.seen(NOW, -9, "T", 2, "message")  # cached, no write
    group = await group_store.get_group_by_chat(db, -9)
    assert await groups_of(db, 2) == []  # not registered yet
    await group_service.register(
        db, NOW, chat_id=-9, title="T", area_name="A", kommun_code="1281", **BY_1
    )
    assert [g.id for g in await groups_of(db, 2)] == [group.id]
    await tracker.left(NOW, -9, 2)
    assert await groups_of(db, 2) == []
    joined = await join_by_deep_link(db, NOW, group.id, 2)
    assert joined is not None and joined.new
    assert not (await join_by_deep_link(db, NOW, group.id, 2)).new
    assert await join_by_deep_link(db, NOW, 9999, 2) is None
    await group_service.bot_left(db, NOW, -9)
    assert await join_by_deep_link(db, NOW, group.id, 3) is None
    assert await groups_of(db, 2) == []  # the bot is gone: nothing to show


def test_deep_link_is_ptbs_and_refuses_a_payload_telegram_would_drop():
    assert group_service.deep_link("grannvakt_bot", "g12_abc-DEF") == (
        "https://t.me/grannvakt_bot?start=g12_abc-DEF"
    )
    with pytest.raises(ValueError):
        group_service.deep_link("grannvakt_bot", "has space")
    with pytest.raises(ValueError):
        group_service.deep_link("grannvakt_bot", "x" * 65)
