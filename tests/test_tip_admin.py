"""bot.services.tip_admin: every change from /tips is checked against the person's roles."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.services import digest_charts, onboarding, tip_admin
from bot.services import tips as tip_service
from bot.services.refusals import Refused
from bot.services.roles import Access
from storage import groups as group_store
from storage.db import Database
from storage.groups import GroupRecord
from tests.actors import CLI, telegram_admin, telegram_nobody
from tests.scenario import Scenario

TZ = ZoneInfo("Europe/Stockholm")
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def access(user_id: int, *, coordinates: int | None = None, police: str | None = None) -> Access:
    return Access(
        user_id=user_id,
        is_admin=False,
        coordinator_of=frozenset({coordinates} if coordinates is not None else ()),
        police_kommuner=frozenset({police} if police else ()),
    )


@pytest.fixture
async def db(db):
    """The shared database (tests/conftest.py), seeded for this module."""
    await tip_service.sync_library(db, CLI, NOW)
    return db


async def make_group(db: Database) -> int:
    return await Scenario(db, NOW).group(-100, "Area", title="Group")


async def test_group_language_only_by_its_coordinator_and_only_known_languages(db):
    gid = await make_group(db)
    coordinator = access(1, coordinates=gid)
    with pytest.raises(Refused):
        await onboarding.set_language(db, access(1), telegram_admin, gid, "en", NOW)
    with pytest.raises(Refused):  # Telegram no longer calls the coordinator an admin
        await onboarding.set_language(db, coordinator, telegram_nobody, gid, "en", NOW)
    assert not await onboarding.set_language(db, coordinator, telegram_admin, gid, "de", NOW)
    assert (await group_store.get_group(db, gid)).language == "sv"
    assert await onboarding.set_language(db, coordinator, telegram_admin, gid, "en", NOW)
    assert (await group_store.get_group(db, gid)).language == "en"


async def test_send_by_hand_checks_role_then_pauses(db):
    gid = await make_group(db)
    group = await group_store.get_group(db, gid)
    coordinator = access(1, coordinates=gid)
    outcome = tip_admin.HandSendOutcome

    async def send(who: Access, group: GroupRecord, at: dt.datetime) -> tip_admin.HandSendOutcome:
        return await tip_admin.send_by_hand(db, TZ, who, telegram_admin, group, at)

    with pytest.raises(Refused):
        await send(access(2), group, NOW)
    assert await send(coordinator, group, NOW) is outcome.SENT
    later = NOW + tip_admin.MANUAL_PAUSE - dt.timedelta(seconds=1)
    assert await send(coordinator, group, later) is outcome.TOO_SOON
    after = NOW + tip_admin.MANUAL_PAUSE
    assert await send(coordinator, group, after) is outcome.SENT
    await group_store.set_bot_present(db, gid, False, after)
    gone = await group_store.get_group(db, gid)
    assert await send(coordinator, gone, after) is outcome.INACTIVE
    assert await db.fetch_value("SELECT COUNT(*) FROM outbox") == 2


async def test_library_changes_only_by_police_or_admin(db):
    tip = (await tip_admin.library(db))[0]
    resident, officer = access(1), access(2, police="0180")
    with pytest.raises(Refused):
        await tip_admin.set_tip_enabled(db, resident, tip.id, False, NOW)
    with pytest.raises(Refused):
        await tip_admin.edit_tip_text(db, resident, tip.id, "sv", "Ny text.", NOW)
    assert await tip_admin.tip_by_id(db, tip.id) == tip
    assert await tip_admin.set_tip_enabled(db, officer, tip.id, False, NOW)
    assert not await tip_admin.edit_tip_text(db, officer, tip.id, "sv", "   ", NOW)
    assert await tip_admin.edit_tip_text(db, officer, tip.id, "en", "New text.", NOW)
    changed = await tip_admin.tip_by_id(db, tip.id)
    assert (changed.enabled, changed.text_en, changed.text_sv) == (False, "New text.", tip.text_sv)
    assert await db.fetch_value("SELECT updated_by FROM tips WHERE id = ?", (tip.id,)) == 2
    assert await tip_admin.tip_by_id(db, 10**9) is None
    assert not await tip_admin.set_tip_enabled(db, officer, 10**9, True, NOW)


async def test_group_digest_chart_only_by_a_coordinator_telegram_still_calls_admin(db):
    """The coordinators' digest chart, like the group's language: the stored coordinator
    role is not enough once Telegram no longer calls the person an admin of the chat."""
    gid = await make_group(db)
    coordinator = access(1, coordinates=gid)
    with pytest.raises(Refused):
        await digest_charts.set_group_chart(db, access(1), telegram_admin, gid, True, NOW)
    with pytest.raises(Refused):
        await digest_charts.set_group_chart(db, coordinator, telegram_nobody, gid, True, NOW)
    assert await digest_charts.set_group_chart(db, coordinator, telegram_admin, gid, True, NOW)
    assert await digest_charts.set_group_chart(db, CLI, telegram_nobody, gid, False, NOW)
