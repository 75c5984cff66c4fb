"""Tips storage and service: seeding, selection, due schedules, catch-up, no double sends."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from bot.services import tips as svc
from bot.services.tip_library import TipSeed, load_tip_seeds, seasons_for
from storage import groups as group_store
from storage import tips as store
from storage.db import Database
from tests.actors import CLI, telegram_nobody
from tests.scenario import Scenario

TZ = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
# Monday 30 November 2026, 18:00 CET = 17:00 UTC
MONDAY_1800 = dt.datetime(2026, 11, 30, 17, tzinfo=UTC)
WEDNESDAY = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
async def db(db):
    """The shared database (tests/conftest.py), seeded for this module."""
    await svc.sync_library(db, CLI, WEDNESDAY)
    return db


async def make_group(db: Database, chat_id: int, *, active: bool = True, lang: str = "sv") -> int:
    world = Scenario(db, WEDNESDAY)
    title = f"Group {chat_id}"
    return await world.group(chat_id, "Area", title=title, language=lang, present=active)


async def outbox(db: Database) -> list[dict]:
    rows = await db.fetch_all("SELECT * FROM outbox ORDER BY id")
    return [dict(row) | {"payload": json.loads(row["payload"])} for row in rows]


def record(tip_id: int, seasons: tuple[str, ...], focus: str = "burglary") -> store.TipRecord:
    return store.TipRecord(
        tip_id, f"k{tip_id}", focus, seasons, "sv", "en", True, "seed", WEDNESDAY
    )


# -- library -------------------------------------------------------------------------


async def test_seeding_inserts_every_shipped_tip_once(db):
    tips = await store.list_tips(db)
    assert len(tips) == len(load_tip_seeds()) >= 60
    assert await svc.sync_library(db, CLI, WEDNESDAY) == 0
    assert len(await store.list_tips(db)) == len(tips)


async def test_seeding_keeps_peoples_edits_and_disables(db):
    first, second = (await store.list_tips(db))[:2]
    await store.update_tip_text(db, first.id, "sv", "Egen text.", 42, WEDNESDAY)
    await store.set_tip_enabled(db, second.id, False, 42, WEDNESDAY)
    await svc.sync_library(db, CLI, WEDNESDAY)
    assert (await store.get_tip(db, first.id)).text_sv == "Egen text."
    assert not (await store.get_tip(db, second.id)).enabled
    enabled = await store.list_tips(db, enabled_only=True)
    assert second.id not in {tip.id for tip in enabled}


async def test_import_adds_and_replaces_by_key(db):
    existing = (await store.list_tips(db))[0]
    seeds = [
        TipSeed(existing.key, existing.focus, existing.seasons, "Ny.", "New."),
        TipSeed("neighbour-new-one", "neighbour", ("all_year",), "Hej.", "Hi."),
    ]
    assert await store.import_tips(db, seeds, None, WEDNESDAY) == (1, 1)
    assert (await store.get_tip(db, existing.id)).text_en == "New."


# -- selection -----------------------------------------------------------------------


def test_rotation_never_repeats_until_pool_exhausted():
    tips = [record(i, ("all_year",)) for i in range(1, 8)] + [record(99, ("summer",))]
    counts: dict[int, int] = {}
    chosen = []
    for _ in range(14):
        tip = svc.choose_tip(tips, counts, {"all_year", "dark"}, {}, group_id=5)
        chosen.append(tip.id)
        counts[tip.id] = counts.get(tip.id, 0) + 1
    assert sorted(chosen[:7]) == list(range(1, 8))  # out-of-season 99 never chosen
    assert sorted(chosen[7:]) == list(range(1, 8))


def test_new_tip_is_sent_before_any_repeat():
    tips = [record(i, ("all_year",)) for i in range(1, 4)]
    counts = {1: 1, 2: 1, 3: 1}
    tips.append(record(4, ("all_year",)))
    assert svc.choose_tip(tips, counts, {"all_year"}, {}, 1).id == 4


def test_seasonal_tips_come_first():
    tips = [record(i, ("all_year",)) for i in range(1, 6)]
    tips += [record(10, ("christmas",)), record(11, ("dark", "autumn")), record(12, ("summer",))]
    active = seasons_for(dt.date(2026, 12, 1))
    counts: dict[int, int] = {}
    order = []
    for _ in range(2):
        tip = svc.choose_tip(tips, counts, active, {}, 3)
        order.append(tip.id)
        counts[tip.id] = 1
    assert set(order) == {10, 11}


def test_observed_focus_is_preferred_among_equals():
    tips = [record(1, ("all_year",), "traffic"), record(2, ("all_year",), "vehicle")]
    weights = svc.focus_weights({"vehicle_crime": 3, "unknown": 9})
    assert weights == {"vehicle": 3}
    for group_id in range(1, 20):
        assert svc.choose_tip(tips, {}, {"all_year"}, weights, group_id).id == 2


def test_no_enabled_tips_gives_none():
    assert svc.choose_tip([], {}, {"all_year"}, {}, 1) is None


def test_shipped_library_picks_in_season_tip_in_december_and_july():
    tips = [
        store.TipRecord(i, s.key, s.focus, s.seasons, s.text_sv, s.text_en, True, "seed", WEDNESDAY)
        for i, s in enumerate(load_tip_seeds(), start=1)
    ]
    december = svc.choose_tip(tips, {}, seasons_for(dt.date(2026, 12, 7)), {}, 1)
    assert {"dark", "christmas", "autumn"} & set(december.seasons)
    july = svc.choose_tip(tips, {}, seasons_for(dt.date(2026, 7, 6)), {}, 1)
    assert "summer" in july.seasons


async def test_observation_categories_guard(db):
    async with db.transaction() as conn:
        exists = await store.recent_observation_categories(conn, 1, WEDNESDAY)
    tables = await db.fetch_value(
        "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='observations'"
    )
    if not tables:
        assert exists == {}


# -- schedules -----------------------------------------------------------------------


async def test_default_schedule_is_monday_1800_weekly(db):
    gid = await make_group(db, -100)
    assert await svc.ensure_schedules(db, CLI, TZ, WEDNESDAY) == 1
    assert await svc.ensure_schedules(db, CLI, TZ, WEDNESDAY) == 0
    schedule = await store.get_schedule(db, gid)
    assert (schedule.weekday, schedule.local_time, schedule.frequency) == (0, "18:00", "weekly")
    assert schedule.next_run_at == MONDAY_1800


async def test_due_groups_get_one_tip_each_and_inactive_none(db):
    active = [await make_group(db, -200 - i) for i in range(3)]
    english = await make_group(db, -300, lang="en")
    inactive = await make_group(db, -400, active=False)
    await svc.ensure_schedules(db, CLI, TZ, WEDNESDAY)
    assert await store.get_schedule(db, inactive) is None
    assert await svc.run_due(db, CLI, TZ, MONDAY_1800 - dt.timedelta(seconds=1)) == svc.TickResult()
    result = await svc.run_due(db, CLI, TZ, MONDAY_1800 + dt.timedelta(seconds=20))
    assert result.sent == 4
    rows = await outbox(db)
    assert sorted(r["group_id"] for r in rows) == sorted([*active, english])
    assert all(r["priority"] == 2 and r["kind"] == "tip" for r in rows)
    by_group = {r["group_id"]: r["payload"]["text"] for r in rows}
    assert by_group[english].startswith("💡 <b>Neighbourhood watch tip</b>")
    assert by_group[active[0]].startswith("💡 <b>Tips från grannsamverkan</b>")
    # the same minute again: nothing more
    assert (await svc.run_due(db, CLI, TZ, MONDAY_1800 + dt.timedelta(seconds=50))).sent == 0
    assert len(await outbox(db)) == 4
    assert (await store.get_schedule(db, active[0])).next_run_at == dt.datetime(
        2026, 12, 7, 17, tzinfo=UTC
    )


async def test_group_that_became_inactive_gets_nothing(db):
    gid = await make_group(db, -500)
    await svc.ensure_schedules(db, CLI, TZ, WEDNESDAY)
    await group_store.set_bot_present(db, gid, False, WEDNESDAY)
    assert (await svc.run_due(db, CLI, TZ, MONDAY_1800 + dt.timedelta(minutes=1))).sent == 0
    await group_store.set_bot_present(db, gid, True, WEDNESDAY)
    await group_store.unregister_group(db, gid, WEDNESDAY)
    assert (await svc.run_due(db, CLI, TZ, MONDAY_1800 + dt.timedelta(minutes=2))).sent == 0
    assert await outbox(db) == []


@pytest.mark.parametrize(
    ("late", "sent", "skipped"),
    [(dt.timedelta(hours=23, minutes=59), 1, 0), (dt.timedelta(hours=24, minutes=1), 0, 1)],
)
async def test_catch_up_after_downtime(db, late, sent, skipped):
    gid = await make_group(db, -600)
    await svc.ensure_schedules(db, CLI, TZ, WEDNESDAY)
    result = await svc.run_due(db, CLI, TZ, MONDAY_1800 + late)
    assert (result.sent, result.skipped) == (sent, skipped)
    sends = await store.sends_for_group(db, gid)
    assert len(sends) == sent
    if sent:
        assert sends[0].trigger == "catch_up"
    assert (await store.get_schedule(db, gid)).next_run_at == dt.datetime(
        2026, 12, 7, 17, tzinfo=UTC
    )
    # and running again never sends it twice
    assert (await svc.run_due(db, CLI, TZ, MONDAY_1800 + late)).sent == 0


async def test_slot_cannot_be_recorded_twice(db):
    gid = await make_group(db, -700)
    tip = (await store.list_tips(db))[0]
    async with db.transaction() as conn:
        first = await store.record_send(conn, gid, tip.id, "2026-11-30T17", "schedule", WEDNESDAY)
        again = await store.record_send(conn, gid, tip.id, "2026-11-30T17", "schedule", WEDNESDAY)
    assert first is not None and again is None


async def test_rotation_over_weeks_through_run_due(db):
    keep = [tip for tip in await store.list_tips(db) if tip.seasons == ("all_year",)][:3]
    for tip in await store.list_tips(db):
        if tip not in keep:
            await store.set_tip_enabled(db, tip.id, False, None, WEDNESDAY)
    gid = await make_group(db, -800)
    await svc.ensure_schedules(db, CLI, TZ, WEDNESDAY)
    for week in range(6):
        await svc.run_due(db, CLI, TZ, MONDAY_1800 + dt.timedelta(weeks=week, minutes=1))
    sent = [s.tip_id for s in await store.sends_for_group(db, gid)]
    assert len(sent) == 6
    assert sorted(sent[:3]) == sorted(sent[3:]) == sorted(t.id for t in keep)


async def test_change_schedule_recomputes_next_run(db):
    gid = await make_group(db, -900)
    changed = await svc.change_schedule(
        db, TZ, WEDNESDAY, CLI, telegram_nobody, gid,
        weekday=3, local_time="07:30", frequency="biweekly",
    )  # fmt: skip
    assert (changed.weekday, changed.local_time, changed.frequency) == (3, "07:30", "biweekly")
    assert changed.next_run_at == dt.datetime(2026, 11, 26, 6, 30, tzinfo=UTC)
    off = await svc.change_schedule(db, TZ, WEDNESDAY, CLI, telegram_nobody, gid, frequency="off")
    assert off.next_run_at is None
    assert (await svc.run_due(db, CLI, TZ, MONDAY_1800 + dt.timedelta(weeks=4))).sent == 0


async def test_send_now_and_preview(db):
    gid = await make_group(db, -1000, lang="en")
    preview = await svc.preview_next(db, TZ, gid, WEDNESDAY)
    tip = await svc.send_now(db, TZ, CLI, gid, "en", WEDNESDAY)
    assert tip == preview
    assert (await outbox(db))[0]["payload"]["text"].endswith(tip.text_en)
    assert await svc.preview_next(db, TZ, gid, WEDNESDAY) != tip
