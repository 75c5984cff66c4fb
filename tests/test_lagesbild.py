"""The lägesbild's aggregates against a hand count, the map's small-cell suppression, the
PNGs and CSV, the scope rules, and migration 0018 keeping every role and invitation."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

import pytest

from bot.charts_map import render_map
from bot.lagesbild_chart import render_chart
from bot.services import lagesbild as svc
from bot.services import lagesbild_map as svc_map
from bot.services import lagesbild_render as render
from bot.services.lagesbild import PeriodKind, Scope, period_ending
from bot.services.refusals import Refused
from bot.services.roles import Access
from storage.db import Database
from tests.lagesbild_helpers import (
    BASE,
    CELL,
    KOMMUN,
    NOW,
    PNG,
    SECRET_PLACE,
    SECRET_TEXT,
    observe,
    png_size,
    seed,
    week,
)

TZ = ZoneInfo("Europe/Stockholm")
PERIOD = period_ending(PeriodKind.WEEKS4, NOW, TZ)
SCOPE = Scope(kommun_codes=(KOMMUN,))


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "lb.db")
    await database.open()
    yield database
    await database.close()


async def test_aggregates_match_the_hand_count(db):
    await seed(db)
    picture = await svc.collect(db, SCOPE, PERIOD)
    assert picture.observations == {
        "burglary": [2, 1, 0, 0],
        "theft": [1, 0, 0, 2],
        "drugs": [0, 0, 1, 0],
        "traffic": [0, 0, 3, 0],
    }
    assert picture.observation_total == 10
    assert picture.previous == {"theft": 1, "vandalism": 1}
    assert picture.feed == {  # by the police's own type
        "Inbrott": [2, 0, 0, 0],
        "Trafikolycka": [0, 0, 1, 0],
        "Brand": [0, 0, 0, 1],
    }
    assert picture.feed_categories == {  # by our category (the focus areas)
        "burglary": [2, 0, 0, 0],
        "traffic": [0, 0, 1, 0],
        "other": [0, 0, 0, 1],
    }
    # Rose most: burglary 0 → 3, traffic 0 → 3, theft 1 → 3 (vandalism fell).
    assert picture.rises() == [("burglary", 3), ("traffic", 3), ("theft", 2)]
    assert picture.focus("theft") == ([3, 1, 0, 2], [2, 0, 0, 0])
    assert picture.focus("drugs") == ([0, 0, 1, 0], [0, 0, 0, 0])
    assert picture.focus("traffic") == ([0, 0, 3, 0], [0, 0, 1, 0])
    # A coordinator's scope (the group) counts the same observations here.
    groups = await svc.collect(db, Scope(group_ids=(1,)), PERIOD)
    assert groups.observations == picture.observations and groups.feed == picture.feed


async def test_summary_and_csv_carry_the_same_numbers(db):
    await seed(db)
    picture = await svc.collect(db, SCOPE, PERIOD)
    text = str(render.summary(picture, "sv", SCOPE))
    assert "Iakttagelser: 10 (perioden före: 2)" in text
    assert "Ökat mest: Inbrott eller försök +3, Trafikfara +3, Stöld +2" in text
    assert "Stöld och inbrott: 6 iakttagelser, 2 polishändelser" in text
    assert "Trafik: 3 iakttagelser, 1 polishändelse" in text
    rows = list(csv.DictReader(io.StringIO(render.to_csv(picture, "en").decode("utf-8-sig"))))
    obs = {}
    for row in rows:
        if row["section"] == "observations":
            obs[row["series"]] = obs.get(row["series"], 0) + int(row["count"])
    assert obs == {"burglary": 3, "theft": 3, "drugs": 1, "traffic": 3}
    police: dict[str, int] = {}
    for row in rows:
        if row["section"] == "police_events":
            police[row["series"]] = police.get(row["series"], 0) + int(row["count"])
    assert police == {"Inbrott": 2, "Trafikolycka": 1, "Brand": 1}
    assert not any(SECRET_TEXT in v or SECRET_PLACE in v for r in rows for v in r.values())


async def test_small_cells_are_suppressed(db):
    ids = await seed(db)
    grid = await svc_map.heat_grid(db, SCOPE, PERIOD)
    # BASE has 4 located observations in the period (shown); one cell north has 2 (hidden).
    assert sorted(grid.cells.values()) == [4] and grid.suppressed == 2
    assert all(n >= svc_map.MIN_CELL for n in grid.cells.values())
    # A third observation in the northern cell makes it visible.
    await observe(db, ids["group"], "theft", week(3), where=(BASE[0] + CELL * 1.5, BASE[1]))
    grid = await svc_map.heat_grid(db, SCOPE, PERIOD)
    assert sorted(grid.cells.values()) == [3, 4] and grid.suppressed == 0
    assert grid.outline_exact and all(p.exterior[0] == p.exterior[-1] for p in grid.outline)


def test_cells_are_at_least_500_metres():
    for north in (55.3, 60.0, 69.06):
        lat_step, lon_step = svc_map.cell_steps(north)
        assert lat_step * 111_320 >= 499.9
        import math

        assert lon_step * 111_320 * math.cos(math.radians(north)) >= 499.9


async def test_pngs_are_valid_images_of_phone_size(db):
    await seed(db)
    picture = await svc.collect(db, SCOPE, period_ending(PeriodKind.YEAR, NOW, TZ))
    chart = render_chart(picture, "en", "Situation picture\nwk 49 2025 - wk 48 2026")
    grid = await svc_map.heat_grid(db, SCOPE, PERIOD)
    the_map = render_map(grid, "sv", "Karta")
    for png in (chart, the_map):
        assert png[:8] == PNG and 20_000 < len(png) < 2_000_000
        assert png_size(png) == (1080, 1350)
    empty = render_map(
        await svc_map.heat_grid(db, Scope(kommun_codes=("0114",)), PERIOD), "en", "x"
    )
    assert png_size(empty) == (1080, 1350)


def access(**roles) -> Access:
    base = {"coordinator_of": frozenset(), "police_kommuner": frozenset()}
    return Access(user_id=1, is_admin=False, **(base | roles))


def test_scope_follows_the_role():
    assert svc.scope_for(access(kommun_kommuner=frozenset({"1083"}))) == SCOPE
    assert svc.scope_for(access(police_kommuner=frozenset({"1083", "1082"}))).kommun_codes == (
        "1082",
        "1083",
    )
    assert svc.scope_for(access(coordinator_of=frozenset({7}))) == Scope(group_ids=(7,))
    with pytest.raises(Refused) as refused:
        svc.scope_for(access())
    assert refused.value.key == "lagesbild.not_allowed"


async def test_migration_0018_keeps_every_role_and_invitation(tmp_path):
    import aiosqlite

    from storage.migrations import discover_migrations

    path = tmp_path / "old.db"
    async with aiosqlite.connect(path) as conn:
        for m in discover_migrations():
            if m.version < 18:
                await conn.executescript(f"BEGIN;{m.sql};PRAGMA user_version={m.version};COMMIT;")
        await conn.execute(
            "INSERT INTO roles VALUES (1, 'police', '1083', NULL, 't'),"
            " (2, 'coordinator', '5', 1, 't')"
        )
        await conn.execute(
            "INSERT INTO invitations VALUES"
            " (9, 'h', 'police', '[\"1083\"]', NULL, 'a', 'b', 3, 'c')"
        )
        await conn.commit()
    db = Database(path)
    await db.open()
    try:
        roles = await db.fetch_all("SELECT * FROM roles ORDER BY user_id")
        assert [tuple(r) for r in roles] == [
            (1, "police", "1083", None, "t"),
            (2, "coordinator", "5", 1, "t"),
        ]
        invitation = await db.fetch_one("SELECT * FROM invitations")
        assert tuple(invitation) == (9, "h", "police", '["1083"]', None, "a", "b", 3, "c")
        await db.execute("INSERT INTO roles VALUES (4, 'kommun', '1083', NULL, 't')")
        await db.execute(
            "INSERT INTO invitations (code_hash, role, scopes, created_at, expires_at)"
            " VALUES ('k', 'kommun', '[]', 'a', 'b')"
        )
        with pytest.raises(Exception, match="CHECK"):
            await db.execute("INSERT INTO roles VALUES (5, 'mayor', '1083', NULL, 't')")
    finally:
        await db.close()


async def test_a_kept_chart_figure_carries_nothing_over(db):
    """The chart figure is reused between charts (speed): a chart drawn after another
    one is byte for byte the chart drawn on a fresh figure."""
    import bot.lagesbild_chart as charts

    await seed(db)
    busy = await svc.collect(db, SCOPE, period_ending(PeriodKind.YEAR, NOW, TZ))
    quiet = await svc.collect(db, Scope(kommun_codes=("0114",)), PERIOD)
    charts._templates.clear()
    fresh = render_chart(quiet, "sv", "Tyst")
    render_chart(busy, "sv", "Full")
    assert render_chart(quiet, "sv", "Tyst") == fresh
