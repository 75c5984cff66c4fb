"""The lägesbild chart's colours mean one thing across its panels: a focus area's line has
the colour of its own categories' bars, never the colour of another category (review of #17:
"Stöld och inbrott" was drawn in Trafikfara's colour, "Trafik" in Narkotika's)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.lagesbild_chart import FOCUS_COLOURS, _observation_series
from bot.services.lagesbild import (
    FOCUS_AREAS,
    OBS_CATEGORIES,
    Lagesbild,
    PeriodKind,
    period_ending,
)
from bot.services.lagesbild_render import obs_label
from storage.digests import AlertCounts
from tests.lagesbild_helpers import NOW


def test_each_focus_line_has_its_own_categories_colour_and_no_other():
    period = period_ending(PeriodKind.WEEKS4, NOW, ZoneInfo("Europe/Stockholm"))
    picture = Lagesbild(
        period=period,
        kommun_codes=("1083",),
        group_count=1,
        observations={c: [1] * period.weeks for c in OBS_CATEGORIES},
        feed={},
        previous={},
        alerts=AlertCounts(0, 0, 0, 0, 0),
    )
    label_of = {obs_label("sv", c): c for c in OBS_CATEGORIES}
    bar_colour = {
        label_of[label]: colour for colour, label, _ in _observation_series(picture, "sv")
    }
    assert len(set(bar_colour.values())) == len(OBS_CATEGORIES)  # every category its own
    for area, (categories, _) in FOCUS_AREAS.items():
        own = {bar_colour[c] for c in categories}
        others = {bar_colour[c] for c in OBS_CATEGORIES if c not in categories}
        assert FOCUS_COLOURS[area] in own, area
        assert FOCUS_COLOURS[area] not in others, area
