"""Weekly lägesbild digest: week arithmetic, aggregates, rendering, once-per-week sending,
query plans, and end-to-end delivery through the emulator."""

from __future__ import annotations

import base64
import datetime as dt
import json
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.digest_scheduler import digest_scheduler_of
from bot.services import digests as svc
from bot.services.digests import Digest, GroupSummary, KommunSummary
from storage import alerts as alert_store
from storage import digests as store
from storage import observation_status, outbox_worker
from storage import observations as obs_store
from storage import outbox as outbox_store
from storage import roles as role_store
from storage import users as user_store
from storage.alerts import NewAlert
from storage.db import Database
from storage.digests import AlertCounts, ForwardCounts, Recipient
from storage.observations import NewObservation
from storage.outbox import OutgoingMessage, SendText
from tests.actors import CLI
from tests.harness import BotHarness
from tests.scenario import Scenario

TZ = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
# Monday 30 November 2026 (ISO week 49); 08:00 CET = 07:00 UTC.
MONDAY_0800 = dt.datetime(2026, 11, 30, 7, tzinfo=UTC)
PERIOD_START = MONDAY_0800 - dt.timedelta(days=7)
IN_PERIOD = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)  # Wednesday before
COORD, POLICE, QUIET, BOTH = 101, 202, 303, 404


async def make_group(db: Database, chat_id: int, area: str, kommun: str = "0180") -> int:
    return await Scenario(db, PERIOD_START).group(chat_id, area, kommun, title=f"Chat {chat_id}")


async def observe(
    db: Database, group_id: int, category: str, at: dt.datetime, kommun: str = "0180"
) -> int:
    new = NewObservation(
        group_id=group_id,
        kommun_code=kommun,
        reporter_id=999,
        show_identity=False,
        category=category,
        observed_at=at,
        place_text="Torget",
        latitude=None,
        longitude=None,
        location_exact=False,
        description="Något",
    )
    created = await obs_store.create_observation(db, new, at, at.year, at, 1000)
    assert created is not None
    return created[0]


async def send_alert(
    db: Database, group_ids: list[int], at: dt.datetime, delivered: int
) -> tuple[int, list[int]]:
    """An alert with one outbox row per group; the first `delivered` rows marked sent."""
    new = NewAlert(POLICE, "sv", "burglary", "Inbrott", None, "all", [])
    async with db.transaction() as conn:
        alert_id = await alert_store.insert_alert(conn, new, at)
        await outbox_store.enqueue_many(
            conn,
            [
                OutgoingMessage(1, "alert", SendText("x"), group_id=g, ref_id=alert_id)
                for g in group_ids
            ],
            at,
        )
    rows = await outbox_store.rows_for(db, "alert", alert_id)
    for row in rows[:delivered]:
        await outbox_worker.mark_sent(db, row.id, 1, at)
    return alert_id, [r.id for r in rows]


async def seed(db: Database) -> dict[str, int]:
    """Two groups in Stockholm (0180), one in Sölvesborg (1083); a coordinator of the first,
    police for 0180, a quiet coordinator, and one person who is both."""
    a = await make_group(db, -1, "Ekbacken")
    b = await make_group(db, -2, "Björkvägen")
    c = await make_group(db, -3, "Hamnen", "1083")
    quiet = await make_group(db, -4, "Tystlandet", "1083")
    world = Scenario(db, PERIOD_START)
    await world.coordinator(COORD, a)
    await world.police(POLICE, "0180")
    await world.coordinator(QUIET, quiet)
    await world.coordinator(BOTH, c)
    await world.police(BOTH, "1083")
    # Group a: 2 burglaries (one reviewed, one forwarded then handled), 1 theft (new),
    # one withdrawn (not counted), one before and one after the period (not counted).
    o1 = await observe(db, a, "burglary", IN_PERIOD)
    o2 = await observe(db, a, "burglary", IN_PERIOD + dt.timedelta(hours=1))
    await observe(db, a, "theft", IN_PERIOD + dt.timedelta(hours=2))
    o4 = await observe(db, a, "other", IN_PERIOD + dt.timedelta(hours=3))
    old = await observe(db, a, "other", PERIOD_START - dt.timedelta(minutes=1))
    await observe(db, a, "vandalism", MONDAY_0800)
    await observation_status.set_status(db, o1, ["new"], "reviewed", IN_PERIOD)
    assert await observation_status.forward(db, o2, "0180", COORD, IN_PERIOD)
    assert await observation_status.mark_handled(db, o2, POLICE, IN_PERIOD)
    assert await observation_status.withdraw(db, o4, 999, IN_PERIOD)
    del old  # still 'new': counts as waiting for review, not in the period's numbers
    # Group b: one drugs observation forwarded, still waiting.
    o5 = await observe(db, b, "drugs", IN_PERIOD)
    assert await observation_status.forward(db, o5, "0180", COORD, IN_PERIOD)
    # Group c (1083): one traffic observation.
    await observe(db, c, "traffic", IN_PERIOD, kommun="1083")
    # Alert 1 to a and b (both delivered), acked by 3 in a and 1 in b; alert 2 (to a)
    # before the period: not counted.
    alert_id, _ = await send_alert(db, [a, b], IN_PERIOD, delivered=2)
    for user, group in [(1, a), (2, a), (3, a), (4, b)]:
        await alert_store.add_ack(db, alert_id, user, group, IN_PERIOD)
    await send_alert(db, [a], PERIOD_START - dt.timedelta(hours=1), delivered=1)
    # Alert 3 to a and c: c's copy not delivered.
    await send_alert(db, [a, c], IN_PERIOD, delivered=1)
    return {"a": a, "b": b, "c": c, "quiet": quiet}


# -- the week --------------------------------------------------------------------------


def test_digest_week_starts_monday_0800_local():
    assert svc.digest_week(MONDAY_0800 - dt.timedelta(seconds=1), TZ) is None
    week = svc.digest_week(MONDAY_0800, TZ)
    assert week is not None and week.key == "2026-W49"
    assert (week.start, week.end) == (PERIOD_START, MONDAY_0800)
    sunday_night = svc.digest_week(dt.datetime(2026, 12, 6, 22, 59, tzinfo=UTC), TZ)
    assert sunday_night is not None and sunday_night.key == "2026-W49"
    # Sunday 23:00 UTC is already Monday 00:00 in Stockholm, but before 08:00.
    assert svc.digest_week(dt.datetime(2026, 12, 6, 23, 0, tzinfo=UTC), TZ) is None


def test_digest_week_across_daylight_saving():
    # Summer time began on Sunday 29 March 2026: Monday 30 March 08:00 CEST = 06:00 UTC.
    week = svc.digest_week(dt.datetime(2026, 3, 30, 6, 0, tzinfo=UTC), TZ)
    assert week is not None and week.key == "2026-W14"
    assert week.start == dt.datetime(2026, 3, 23, 7, 0, tzinfo=UTC)  # 08:00 CET
    assert week.end - week.start == dt.timedelta(days=7, hours=-1)
    assert svc.digest_week(dt.datetime(2026, 3, 30, 5, 59, tzinfo=UTC), TZ) is None


# -- aggregates ------------------------------------------------------------------------


async def test_collect_counts_groups_and_kommuner(db):
    ids = await seed(db)
    recipients = {r.user_id: r for r in await store.pending_recipients(db, "2026-W49")}
    assert set(recipients) == {COORD, POLICE, QUIET, BOTH}
    assert recipients[BOTH] == Recipient(BOTH, (ids["c"],), ("1083",))
    digests = {
        d.user_id: d
        for d in await svc.collect(db, list(recipients.values()), PERIOD_START, MONDAY_0800)
    }
    (a,) = digests[COORD].groups
    assert a.categories == {"burglary": 2, "theft": 1}
    assert a.statuses == {"reviewed": 1, "forwarded": 1, "new": 1}
    assert a.unreviewed == 3  # the theft, the one before the period, the one after it
    assert a.alerts == AlertCounts(alerts=2, targeted=1, delivered=1, seen=3)  # ONE group
    (k,) = digests[POLICE].kommuner
    assert k.name == "Stockholm"
    assert k.forwards == ForwardCounts(forwarded=2, handled=1) and k.forwards.waiting == 1
    assert k.categories == {"burglary": 2, "theft": 1, "drugs": 1}
    assert k.alerts == AlertCounts(alerts=2, targeted=2, delivered=2, seen=4)  # groups a, b
    both = digests[BOTH]
    assert both.groups[0].alerts == AlertCounts(alerts=1, targeted=1, delivered=0, seen=0)
    assert both.kommuner[0].categories == {"traffic": 1}
    assert both.kommuner[0].forwards is None
    assert digests[QUIET].groups[0].activity == 0 and not digests[QUIET].has_content


# -- rendering -------------------------------------------------------------------------


def week49() -> svc.DigestWeek:
    week = svc.digest_week(MONDAY_0800, TZ)
    assert week is not None
    return week


def test_render_in_both_languages_and_escapes_area_names():
    group = GroupSummary(
        1, "<b>Ek</b> & co", {"burglary": 2}, {"new": 1, "closed": 1}, 4, AlertCounts(1, 1, 1, 5)
    )
    kommun = KommunSummary("0180", "Stockholm", ForwardCounts(3, 1), {"theft": 1}, None)
    digest = Digest(7, [group], [kommun])
    sv = svc.render(digest, week49(), "sv")
    assert "&lt;b&gt;Ek&lt;/b&gt; &amp; co" in sv and "<b>Ek</b>" not in sv
    assert "Veckans lägesbild" in sv and "23 nov kl. 08.00 – 30 nov kl. 08.00" in sv
    assert "Inbrott eller försök 2" in sv and "Status: ny 1, avslutad 1" in sv
    assert "Väntar på granskning: 4" in sv and "Larm: 1, lästa av 5 personer" in sv
    assert "Skickade till polisen: 3 (hanterade 1, väntar 2)" in sv and "/inkorg" in sv
    en = svc.render(digest, week49(), "en")
    assert "Weekly situation report" in en and "Burglary or attempt 2" in en
    assert "Forwarded to the police: 3 (handled 1, waiting 2)" in en and "/inbox" in en


def test_render_caps_many_groups_below_telegram_limit():
    categories = {c: 3 for c in ("burglary", "theft", "suspicious_person", "vandalism", "other")}
    statuses = {"new": 5, "reviewed": 5, "forwarded": 3, "closed": 2}
    groups = [
        GroupSummary(
            n, f"Område {n} " + "🏠" * 50, categories, statuses, 9, AlertCounts(3, 3, 3, 40)
        )
        for n in range(60)
    ]
    groups.append(GroupSummary(99, "Lugnet", {}, {}, 0, None))
    kommuner = [
        KommunSummary(
            str(n), f"Kommun {n}", ForwardCounts(5, 2), categories, AlertCounts(4, 40, 38, 100)
        )
        for n in range(40)
    ]
    for lang in ("sv", "en"):
        text = svc.render(Digest(1, groups, kommuner), week49(), lang)
        assert len(text.encode("utf-16-le")) // 2 <= 4096  # Telegram counts UTF-16 units
        assert ("…och" if lang == "sv" else "…and") in text
        assert text.count("🏘") <= svc.MAX_BLOCKS and text.count("🚓") <= svc.MAX_BLOCKS
        assert ("1 grupp till" if lang == "sv" else "1 more group.") in text
    # One part only (the whole length for it), long categories and 64-character area
    # names of emoji (two UTF-16 units each): still within the limit.
    every = {c: 3 for c in ("suspicious_vehicle", "vehicle_crime", "drugs", "traffic")}
    wide = [
        GroupSummary(n, "x" + "🏠" * 63, categories | every, statuses, 9, None) for n in range(30)
    ]
    text = svc.render(Digest(1, wide, []), week49(), "sv")
    assert len(text.encode("utf-16-le")) // 2 <= 4096 and "…och" in text
    few = svc.render(Digest(1, groups[:3], []), week49(), "sv")
    assert few.count("🏘") == 3 and "…och" not in few


# -- sending ---------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n"


async def all_digest_rows(db: Database) -> list[dict]:
    rows = await db.fetch_all("SELECT * FROM outbox WHERE kind = 'digest' ORDER BY id")
    return [dict(r) | {"payload": json.loads(r["payload"])} for r in rows]


async def digest_rows(db: Database) -> list[dict]:
    """The text digests (the police's lägesbild chart photos are left out)."""
    return [r for r in await all_digest_rows(db) if "photo_png" not in r["payload"]]


async def chart_rows(db: Database) -> list[dict]:
    return [r for r in await all_digest_rows(db) if "photo_png" in r["payload"]]


async def test_send_due_once_per_week_and_nothing_for_the_quiet(db):
    await seed(db)
    await user_store.upsert_user(
        db, POLICE, first_name="P", last_name=None, username=None,
        telegram_language_code="en", now=PERIOD_START,
    )  # fmt: skip
    people = {}

    async def language_of(user_id: int) -> str:
        people[user_id] = True
        return "en" if user_id == POLICE else "sv"

    before = await svc.send_due(db, CLI, TZ, MONDAY_0800 - dt.timedelta(minutes=1), language_of)
    assert before.week is None and await digest_rows(db) == []
    result = await svc.send_due(db, CLI, TZ, MONDAY_0800 + dt.timedelta(hours=5), language_of, 2)
    assert (result.week, result.enqueued, result.empty) == ("2026-W49", 3, 1)
    rows = await digest_rows(db)
    assert sorted(r["chat_id"] for r in rows) == [COORD, POLICE, BOTH]
    assert {r["priority"] for r in rows} == {2} and all(r["group_id"] is None for r in rows)
    police_text = next(r["payload"]["text"] for r in rows if r["chat_id"] == POLICE)
    assert "Weekly situation report" in police_text
    # The police (POLICE, BOTH) also get the lägesbild chart as a photo; coordinators not.
    charts = await chart_rows(db)
    assert sorted(r["chat_id"] for r in charts) == [POLICE, BOTH]
    assert all(base64.b64decode(r["payload"]["photo_png"])[:8] == PNG for r in charts)
    assert await store.sends_for_week(db, "2026-W49") == {
        COORD: "enqueued",
        POLICE: "enqueued",
        BOTH: "enqueued",
        QUIET: "empty",
    }
    again = await svc.send_due(db, CLI, TZ, MONDAY_0800 + dt.timedelta(days=2), language_of)
    assert (again.enqueued, again.empty) == (0, 0) and len(await digest_rows(db)) == 3
    # The next week is a new round: only the vandalism reported at 08:00 sharp is in it;
    # BOTH has no text digest but still the chart of the last 4 weeks (not quiet).
    later = await svc.send_due(db, CLI, TZ, MONDAY_0800 + dt.timedelta(days=7), language_of)
    assert (later.week, later.enqueued, later.empty) == ("2026-W50", 3, 1)
    assert sorted(r["chat_id"] for r in (await digest_rows(db))[3:]) == [COORD, POLICE]


async def test_record_sends_never_enqueues_twice(db):
    message = OutgoingMessage(2, "digest", SendText("x"), chat_id=5)
    assert await store.record_sends(db, "2026-W49", [(5, message)], MONDAY_0800) == 1
    assert await store.record_sends(db, "2026-W49", [(5, message)], MONDAY_0800) == 0
    assert len(await digest_rows(db)) == 1


async def test_queries_use_indexes(db):
    """No full scan of the big tables (observations, outbox, forwards, acks, digest_sends)."""
    await seed(db)
    await db.execute("ANALYZE")
    captured: list[tuple[str, tuple]] = []
    original = db.fetch_all

    async def spy(sql, params=()):
        captured.append((sql, tuple(params)))
        return await original(sql, params)

    db.fetch_all = spy  # type: ignore[method-assign]
    recipients = await store.pending_recipients(db, "2026-W49")
    await svc.collect(db, recipients, PERIOD_START, MONDAY_0800)
    db.fetch_all = original  # type: ignore[method-assign]
    # 9 + the police feed's counts (kommun types, län-level) + surveys and presences
    assert len(captured) == 13
    big = ("observations", "outbox", "observation_forwards", "alert_acks", "digest_sends",
           "feed_events", "surveys", "presences")  # fmt: skip
    for sql, params in captured:
        plan = [r[3] for r in await db.fetch_all("EXPLAIN QUERY PLAN " + sql, params)]
        for table in big:
            assert not any(
                step.startswith(f"SCAN {table}") and "INDEX" not in step for step in plan
            ), (sql, plan)
        if "FROM observations" in sql or "FROM observation_forwards" in sql:
            assert any("USING" in step and "INDEX" in step for step in plan), (sql, plan)


# -- end to end ------------------------------------------------------------------------


def photo_bytes(emu, message) -> bytes:
    """The bytes of the largest size of a photo the bot sent."""
    return emu.files[message.raw["photo"][-1]["file_id"]]["content"]


def digests_in(emu, chat_id: int) -> list:
    return [
        m
        for m in emu.sent_messages(chat_id)
        if "lägesbild" in (m.text or "") or "situation report" in (m.text or "")
    ]


async def test_e2e_digest_on_monday_once_across_restart(emu, tmp_path):
    clock = FixedClock(MONDAY_0800 - dt.timedelta(minutes=5))
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    anna, olle, quiet = emu.add_user("Anna"), emu.add_user("Olle", "en"), emu.add_user("Q")
    for user in (anna, olle, quiet):
        user.started = True
    await harness.start()
    try:
        db = harness.services.db
        a = await make_group(db, -10, "<b>Ek</b>backen")
        q = await make_group(db, -11, "Tyst", "1083")
        world = Scenario(db, PERIOD_START)
        await world.coordinator(anna, a)
        await world.coordinator(quiet, q)
        await world.police(olle, "0180")
        await world.person(olle, "Olle", "en")
        o = await observe(db, a, "burglary", IN_PERIOD)
        await observe(db, a, "theft", IN_PERIOD)
        assert await observation_status.forward(db, o, "0180", anna.id, IN_PERIOD)
        scheduler = digest_scheduler_of(harness.app)
        assert (await scheduler.tick()).week is None  # 07:55 local: not yet

        clock.set(MONDAY_0800 + dt.timedelta(minutes=1))
        assert (await scheduler.tick()).enqueued == 2
        sv = await emu.wait_for_message(anna.id, lambda m: "lägesbild" in m.text)
        # The area's "<b>" arrives as text, not as bold: escaped in the HTML sent.
        assert "<b>Ek</b>backen" in sv.text and "&lt;b&gt;Ek&lt;/b&gt;backen" in sv.html
        assert "Inbrott eller försök 1" in sv.content and "Stöld 1" in sv.content
        en = await emu.wait_for_message(olle.id, lambda m: "situation report" in m.text)
        assert "Forwarded to the police: 1 (handled 0, waiting 1)" in en.content
        assert "Stockholm" in en.content
        # The police officer also gets the lägesbild chart as a photo; the coordinator not.
        chart = await emu.wait_for_message(olle.id, lambda m: m.kind == "photo")
        assert "Situation picture for Stockholm" in (chart.caption or "")
        assert photo_bytes(emu, chart)[:8] == PNG
        assert not [m for m in emu.sent_messages(anna.id) if m.kind == "photo"]

        clock.set(MONDAY_0800 + dt.timedelta(hours=6))  # Monday afternoon: a restart
        await harness.restart()
        assert (await digest_scheduler_of(harness.app).tick()).enqueued == 0
        await harness.services.delivery.wait_idle()
        assert len(digests_in(emu, anna.id)) == 1 and len(digests_in(emu, olle.id)) == 1
        # Once sent, the outbox keeps the chart's caption but not its PNG.
        rows = await all_digest_rows(harness.services.db)
        photos = [
            r for r in rows if r["chat_id"] == olle.id and "Situation" in r["payload"]["text"]
        ]
        assert len(photos) == 1 and photos[0]["status"] == "sent"
        assert "photo_png" not in photos[0]["payload"]
        assert digests_in(emu, quiet.id) == []
    finally:
        await harness.stop()


async def test_e2e_restart_monday_afternoon_sends_once_and_skips_missed_weeks(emu, tmp_path):
    clock = FixedClock(MONDAY_0800 + dt.timedelta(hours=7))  # down all morning
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    anna = emu.add_user("Anna")
    anna.started = True
    await harness.start()  # nobody has a role yet: nothing to do
    try:
        db = harness.services.db
        a = await make_group(db, -10, "Ekbacken")
        await role_store.grant_role(db, anna.id, "coordinator", str(a), None, PERIOD_START)
        await observe(db, a, "vandalism", IN_PERIOD)
        await harness.stop()

        # Back on Monday afternoon: the start-up pass sends the digest at once.
        await harness.start()
        message = await emu.wait_for_message(anna.id, lambda m: "lägesbild" in m.text)
        assert "Skadegörelse 1" in message.content
        await harness.restart()
        await harness.services.delivery.wait_idle()
        assert len(digests_in(emu, anna.id)) == 1

        # Down for two weeks (W50 missed); back on Tuesday of W51 with nothing new.
        await harness.stop()
        clock.set(MONDAY_0800 + dt.timedelta(days=15))
        await harness.start()
        await harness.services.delivery.wait_idle()
        assert len(digests_in(emu, anna.id)) == 1
        digest_db = harness.services.db
        assert await store.sends_for_week(digest_db, "2026-W50") == {}
        assert await store.sends_for_week(digest_db, "2026-W51") == {anna.id: "empty"}
    finally:
        await harness.stop()
