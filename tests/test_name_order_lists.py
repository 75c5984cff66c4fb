"""Lists of names shown to people besides /minagrupper, all in the one order of
storage/name_order.py: a survey's results per group, an alert's figures per group (by
kommun name, then group name), the weekly digest's groups, a lägesbild's title, the
kommuner of an invitation."""

from __future__ import annotations

import datetime as dt
from datetime import UTC
from zoneinfo import ZoneInfo

from bot.services import alert_figures
from bot.services import digests as digest_service
from bot.services.digests import Digest, GroupSummary
from bot.services.lagesbild import Scope
from bot.services.lagesbild_render import scope_title
from bot.services.roles import Access
from handlers.invitations import _kommuner_text
from storage import surveys as survey_store
from tests.scenario import Scenario

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=UTC)
TZ = ZoneInfo("Europe/Stockholm")
SHUFFLED = ["Område 10", "ängen", "Område 2", "Almvägen", "område 1"]
EXPECTED = ["Almvägen", "område 1", "Område 2", "Område 10", "ängen"]


async def test_survey_results_by_group_name(db):
    world = Scenario(db, NOW)
    ids = {name: await world.group(-100 - n, name, "1083") for n, name in enumerate(SHUFFLED)}
    async with db.transaction() as conn:
        survey_id = await survey_store.insert_survey(
            conn, 7, "sv", "Fika?", ["Ja", "Nej"], NOW, list(ids.values()), NOW
        )
    results = await survey_store.poll_results(db, survey_id)
    assert [r.group_name for r in results] == EXPECTED


async def test_alert_figures_by_kommun_name_then_group_name(db):
    world = Scenario(db, NOW)
    # (area, kommun): Sölvesborg 1083, Ale 1440, Åre 2321, Älmhult 0765
    groups = [
        ("Område 10", "1083"),
        ("Område 2", "1083"),
        ("Ängen", "2321"),
        ("almvägen", "1440"),
        ("Björk", "0765"),
    ]
    for n, (area, kommun) in enumerate(groups):
        await world.group(-200 - n, area, kommun)
    admin = Access(1, True, frozenset(), frozenset())
    alert_id = await world.alert(admin, "Inbrott")
    _, figures = await alert_figures.figures(db, admin, alert_id)
    assert [alert_figures.group_name(g) for g in figures] == [
        "almvägen",  # Ale
        "Område 2",  # Sölvesborg
        "Område 10",
        "Ängen",  # Åre
        "Björk",  # Älmhult
    ]


def test_digest_groups_equally_active_by_name():
    groups = [
        GroupSummary(n, area, {"theft": 1}, {"new": 1}, 0, None) for n, area in enumerate(SHUFFLED)
    ]
    week = digest_service.digest_week(dt.datetime(2026, 11, 30, 7, tzinfo=UTC), TZ)
    assert week is not None
    text = digest_service.render(Digest(1, groups, []), week, "sv")
    positions = [text.index(f"🏘 <b>{area}</b>") for area in EXPECTED]
    assert positions == sorted(positions)


def test_lagesbild_title_names_in_order():
    scope = Scope(group_ids=(1, 2, 3), group_names=("Område 10", "Ängen", "Område 2"))
    assert scope_title("sv", scope).startswith("Område 2, Område 10, Ängen")
    # Åre 2321, Ale 1440, Älmhult 0765
    assert scope_title("sv", Scope(kommun_codes=("0765", "1440", "2321"))).startswith(
        "Ale, Åre, Älmhult"
    )


def test_invitation_kommuner_by_name():
    assert _kommuner_text(["0765", "2321", "1440"]) == (
        "Ale (Västra Götalands län), Åre (Jämtlands län), Älmhult (Kronobergs län)"
    )
