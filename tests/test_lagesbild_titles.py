"""The lägesbild's headings read as sentences in both languages, for a kommun and for a
coordinator's groups (review of #17: "Lägesbild 1 grupp", "Karta 1 grupp", "Map 1 group",
the medborgarlöfte left unexplained in English, and a map caption that kept quiet about
observations without a place)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.services import lagesbild as svc
from bot.services import lagesbild_render as render
from bot.services.lagesbild import Lagesbild, PeriodKind, Scope, period_ending
from bot.services.lagesbild_map import HeatGrid
from storage.digests import AlertCounts
from tests.lagesbild_helpers import NOW

PERIOD = period_ending(PeriodKind.WEEKS4, NOW, ZoneInfo("Europe/Stockholm"))
GROUPS = Scope(group_ids=(7,))
KOMMUN = Scope(kommun_codes=("1083",))
NAMED = Scope(group_ids=(7,), group_names=("Norra Möllebacken",))
CASES = [
    ("sv", NAMED, "Lägesbild för Norra Möllebacken", "Karta för Norra Möllebacken"),
    ("en", NAMED, "Situation picture for Norra Möllebacken", "Map for Norra Möllebacken"),
    ("sv", GROUPS, "Lägesbild för 1 grupp", "Karta för 1 grupp"),
    ("sv", KOMMUN, "Lägesbild för Sölvesborg", "Karta för Sölvesborg"),
    ("en", GROUPS, "Situation picture for 1 group", "Map for 1 group"),
    ("en", KOMMUN, "Situation picture for Sölvesborg", "Map for Sölvesborg"),
]


def picture() -> Lagesbild:
    return Lagesbild(
        period=PERIOD,
        kommun_codes=(),
        group_count=1,
        observations={"theft": [1, 0, 0, 0]},
        feed={},
        previous={},
        alerts=AlertCounts(0, 0, 0, 0),
    )


@pytest.mark.parametrize(("lang", "scope", "heading", "map_heading"), CASES)
async def test_headings_say_whose_picture_it_is(lang, scope, heading, map_heading):
    assert f"<b>{heading}</b>" in str(render.summary(picture(), lang, scope))
    assert render.title_lines(lang, scope, PERIOD).split("\n")[0] == heading
    grid = HeatGrid(PERIOD, 0.0, 0.0, 0.01, 0.01, {}, 0, (), None, True)
    _, caption = await render.map_png(grid, lang, scope, ZoneInfo("Europe/Stockholm"))
    assert f"<b>{map_heading}</b>" in str(caption)


def test_english_explains_the_medborgarlofte():
    text = str(render.summary(picture(), "en", KOMMUN))
    assert "Focus areas of the citizen promise (medborgarlöfte)" in text


@pytest.mark.parametrize(
    ("lang", "unlocated", "said"),
    [
        ("sv", 1, "1 iakttagelse saknar plats och finns inte på kartan."),
        ("en", 1, "1 observation has no place and is not on the map."),
        ("en", 4, "4 observations have no place and are not on the map."),
        ("sv", 0, None),
    ],
)
async def test_the_map_caption_counts_observations_without_a_place(lang, unlocated, said):
    grid = HeatGrid(PERIOD, 0.0, 0.0, 0.01, 0.01, {}, 0, (), None, True, unlocated)
    _, caption = await render.map_png(grid, lang, KOMMUN, ZoneInfo("Europe/Stockholm"))
    lines = str(caption).split("\n")
    if said is None:
        assert len(lines) == 3 and "plats" not in lines[-1]
    else:
        assert lines[-1] == said


async def test_a_coordinators_scope_carries_the_groups_names(db):
    """/lagesbild and /karta name a coordinator's picture after the group ("Lägesbild för
    Norra Möllebacken"), not "1 grupp"; the names do not change what the scope is."""
    from config import Settings
    from tests.actors import telegram_admin
    from tests.scenario import Scenario

    world = Scenario(db, NOW)
    gid = await world.group(-100, "Norra Möllebacken", "1083")
    await world.coordinator(11, gid)
    settings = Settings(_env_file=None, bot_token="1:x")  # type: ignore[call-arg]
    scope = await svc.scope_of(db, settings, telegram_admin, 11)
    assert scope.group_ids == (gid,) and scope.group_names == ("Norra Möllebacken",)
    assert scope == Scope(group_ids=(gid,))
    assert render.scope_title("sv", scope) == "Norra Möllebacken"
