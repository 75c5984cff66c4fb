"""Units: validation helpers, callback data, references per year, CSV export, the CLI."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cli import main as cli_main
from bot.services import observations as svc
from bot.services.observation_export import COLUMNS, neutralise
from bot.services.observations import ListFilter, WhenError
from handlers.observations_buttons import ObsListing
from storage import observation_lists, observation_status
from storage import observations as store
from storage.db import Database
from storage.observations import NewObservation
from tests.scenario import Scenario

TZ = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 13:00 in Stockholm


def test_time_parsing():
    assert svc.parse_time_today("10:15", NOW, TZ) == datetime(2026, 11, 25, 9, 15, tzinfo=UTC)
    assert svc.parse_time_today("9.05", NOW, TZ) == datetime(2026, 11, 25, 8, 5, tzinfo=UTC)
    assert svc.parse_time_today("14:00", NOW, TZ) is WhenError.FUTURE
    assert svc.parse_time_today("24:00", NOW, TZ) is WhenError.FORMAT
    assert svc.parse_time_today("noon", NOW, TZ) is WhenError.FORMAT
    assert svc.parse_day_time("2026-11-24 18:30", NOW, TZ) == datetime(
        2026, 11, 24, 17, 30, tzinfo=UTC
    )
    assert svc.parse_day_time("24/11 18:30", NOW, TZ) == datetime(2026, 11, 24, 17, 30, tzinfo=UTC)
    assert svc.parse_day_time("2026-02-30 10:00", NOW, TZ) is WhenError.FORMAT
    assert svc.parse_day_time("2027-01-01 10:00", NOW, TZ) is WhenError.FUTURE
    assert svc.parse_day_time("2024-01-01 10:00", NOW, TZ) is WhenError.TOO_OLD


def test_locations():
    assert svc.in_sweden(59.33, 18.07) and svc.in_sweden(69.0, 20.0) and svc.in_sweden(55.3, 13.0)
    assert not svc.in_sweden(40.7, -74.0) and not svc.in_sweden(48.85, 2.35)
    assert svc.stored_location(59.293456, 18.083789, exact=False) == (59.293, 18.084)
    assert svc.stored_location(59.293456, 18.083789, exact=True) == (59.293456, 18.083789)


def _listing(data: str) -> ListFilter | None:
    button = ObsListing.parse(data)
    return None if button is None else button.list_filter()


def test_list_filter_round_trip_and_forgery():
    flt = ListFilter("forwarded", "vehicle_crime", 365, 12)
    data = ObsListing.of(flt).pack()
    assert len(data.encode()) <= 64 and _listing(data) == flt
    assert _listing(ObsListing.of(ListFilter()).pack()) == ListFilter()
    for bad in (
        ObsListing("x", "a", 30, 0).pack(),
        ObsListing("a", "zz", 30, 0).pack(),
        ObsListing("a", "a", 31, 0).pack(),
        ObsListing("a", "a", 30, -1).pack(),
        ObsListing("a", "a", 30, 99999999).pack(),
        ObsListing.head() + ":a:a:30",
        ObsListing.head() + ":a:a:30:0:9",
    ):
        assert _listing(bad) is None, bad


def test_neutralise():
    assert [neutralise(v) for v in ("=1+1", "+46", "-5", "@SUM", "\tx", "ok", "")] == [
        "'=1+1",
        "'+46",
        "'-5",
        "'@SUM",
        "'\tx",
        "ok",
        "",
    ]


def _new(group_id: int, reporter: int, description: str = "x", identity: bool = False):
    return NewObservation(
        group_id,
        "0180",
        reporter,
        identity,
        "theft",
        NOW,
        "Gatan 1",
        None,
        None,
        False,
        description,
    )


async def _group(db: Database, chat_id: int = -1) -> int:
    return await Scenario(db, NOW).group(chat_id, "Område", title="G")


async def test_references_numbered_per_year_and_rate_limit(db):
    gid = await _group(db)
    since = NOW - timedelta(hours=1)
    first = await store.create_observation(db, _new(gid, 1), NOW, 2026, since, 2)
    second = await store.create_observation(db, _new(gid, 1), NOW, 2026, since, 2)
    assert first is not None and second is not None
    assert (first[1], second[1]) == ("O-2026-0001", "O-2026-0002")
    assert await store.create_observation(db, _new(gid, 1), NOW, 2026, since, 2) is None
    other = await store.create_observation(db, _new(gid, 2), NOW, 2027, since, 2)
    assert other is not None and other[1] == "O-2027-0001"
    assert await store.count_recent(db, 1, since) == 2


async def test_status_transitions_and_withdraw(db):
    gid = await _group(db)
    obs_id, _ = await store.create_observation(db, _new(gid, 1), NOW, 2026, NOW, 10)
    assert not await observation_status.withdraw(db, obs_id, 2, NOW)  # not the reporter
    assert await observation_status.set_status(db, obs_id, ("new",), "reviewed", NOW)
    assert not await observation_status.withdraw(db, obs_id, 1, NOW)  # no longer new
    assert await observation_status.forward(db, obs_id, "0180", 9, NOW)
    assert not await observation_status.forward(db, obs_id, "0180", 9, NOW)  # only once
    assert await observation_status.mark_handled(db, obs_id, 7, NOW)
    assert not await observation_status.mark_handled(db, obs_id, 7, NOW)
    inbox = await observation_lists.inbox(db, ["0180"], limit=5)
    assert [(i.id, i.handled) for i in inbox] == [(obs_id, True)]
    assert await observation_lists.inbox(db, ["1480"], limit=5) == []


async def _cli_data(path) -> None:
    db = Database(path)
    await db.open()
    gid = await _group(db)
    await store.create_observation(db, _new(gid, 1, "=cmd|' /C calc'!A0", True), NOW, 2026, NOW, 9)
    await store.create_observation(db, _new(gid, 2, "Åke såg – en bil"), NOW, 2026, NOW, 9)
    other = await _group(db, -2)
    await db.execute("UPDATE groups SET kommun_code = '1480' WHERE id = ?", (other,))
    new = NewObservation(other, "1480", 3, False, "drugs", NOW, "x", None, None, False, "y")
    await store.create_observation(db, new, NOW, 2026, NOW, 9)
    await db.close()


def test_cli_export_round_trip(tmp_path, monkeypatch, capsys):
    asyncio.run(_cli_data(tmp_path / "o.db"))
    monkeypatch.setenv("BOT_TOKEN", "1:cli")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "o.db"))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "obs.csv"
    args = ["export", "observations", "--since", "2026-11-01", "--kommun", "0180"]
    assert cli_main([*args, "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert [r[0] for r in rows[1:]] == ["O-2026-0001", "O-2026-0002"]
    assert rows[1][12] == "'=cmd|' /C calc'!A0" and rows[2][12] == "Åke såg – en bil"
    assert rows[1][14] == "1" and rows[2][14] == ""  # reporter only with consent
    capsys.readouterr()
    assert cli_main(["export", "observations", "--since", "2026-12-01"]) == 0
    assert capsys.readouterr().out.count("\n") == 1  # header only
    assert cli_main(["export", "observations", "--since", "2026-11-01", "--kommun", "x"]) == 2


async def test_viewer_rules(db):
    gid = await _group(db)
    obs_id, _ = await store.create_observation(db, _new(gid, 1), NOW, 2026, NOW, 9)
    obs = await store.get_observation(db, obs_id)
    assert obs is not None
    from bot.services.roles import Access

    coordinator = Access(5, False, frozenset({gid}), frozenset())
    other = Access(6, False, frozenset({gid + 1}), frozenset({"0180"}))
    resident = Access(1, False, frozenset(), frozenset())
    assert svc.may_view(coordinator, obs, svc.Viewer.COORDINATOR)
    assert not svc.may_view(other, obs, svc.Viewer.COORDINATOR)
    assert not svc.may_view(other, obs, svc.Viewer.POLICE)  # not forwarded yet
    assert svc.may_view(resident, obs, svc.Viewer.RESIDENT)
    assert not svc.may_view(coordinator, obs, svc.Viewer.RESIDENT)
    await observation_status.forward(db, obs_id, "0180", 5, NOW)
    obs = await store.get_observation(db, obs_id)
    assert obs is not None and svc.may_view(other, obs, svc.Viewer.POLICE)
