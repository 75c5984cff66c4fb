"""The lägesbild in ISO calendar weeks (#17): periods of whole weeks ending with the last
complete one, a hand count across a year boundary (2026 has a week 53) and across the end
of summer time, and the chart, the CSV, the text and the command line naming the same
weeks; the police's events by the police's own type (the chart's top types and "Övriga
typer", the CSV every type), named in the reader's language; charts drawn in worker
processes equal those drawn in a thread."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

import bot.lagesbild_chart as chart_module
from bot.lagesbild_chart import FEED_TOP, render_chart
from bot.services import lagesbild as svc
from bot.services import lagesbild_render as render
from bot.services.lagesbild import PeriodKind, Scope, period_ending, weeks_covering
from storage.db import Database
from tests.lagesbild_helpers import KOMMUN, feed_event, make_group, observe, png_size

TZ = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
SCOPE = Scope(kommun_codes=(KOMMUN,))


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "weeks.db")
    await database.open()
    yield database
    await database.close()


def test_periods_are_whole_weeks_ending_with_the_last_complete_one():
    # Wednesday of week 49 (2026): the current week is left out.
    now = dt.datetime(2026, 12, 2, 15, tzinfo=UTC)
    four = period_ending(PeriodKind.WEEKS4, now, TZ)
    assert four.start == local(2026, 11, 2) and four.end == local(2026, 11, 30)
    assert [w.week for w in four.iso_weeks()] == [45, 46, 47, 48]
    quarter = period_ending(PeriodKind.QUARTER, now, TZ)
    year = period_ending(PeriodKind.YEAR, now, TZ)
    assert (quarter.weeks, year.weeks) == (13, 52)
    assert quarter.end == year.end == four.end
    assert quarter.iso_weeks()[0].key == "2026-W36" and year.iso_weeks()[0].key == "2025-W49"
    # Sunday 23:30 local is still the week before; Monday 00:00 local starts the next.
    assert period_ending(PeriodKind.WEEKS4, local(2026, 11, 29, 23, 30), TZ).end == local(
        2026, 11, 23
    )
    assert period_ending(PeriodKind.WEEKS4, local(2026, 11, 30), TZ).end == local(2026, 11, 30)
    # The previous period is the same number of weeks right before.
    assert four.previous.end == four.start and four.previous.weeks == 4
    # By dates (the command line): the whole weeks holding them.
    chosen = weeks_covering(dt.date(2026, 1, 1), dt.date(2026, 1, 14), TZ)
    assert [w.key for w in chosen.iso_weeks()] == ["2026-W01", "2026-W02", "2026-W03"]
    assert chosen.first_day == dt.date(2025, 12, 29) and chosen.last_day == dt.date(2026, 1, 18)


async def seed_new_year(db: Database) -> dict[str, int]:
    """Weeks 51, 52, 53 of 2026 and week 1 of 2027, by hand (local times):

    week 51: —                        week 53: Mon 28 Dec 00:10, Sun 3 Jan 23:59
    week 52: Sun 27 Dec 23:30         week 1:  Mon 4 Jan 00:00, Sun 10 Jan 23:00
    not counted: Sun 13 Dec 23:59 (week 50), Mon 11 Jan 00:00 (week 2, not over).
    Police: Inbrott week 52, Brand week 53 ×2, Inbrott week 1.
    """
    g = await make_group(db, -300, "Nyår")
    for at in (
        local(2026, 12, 13, 23, 59),
        local(2026, 12, 27, 23, 30),
        local(2026, 12, 28, 0, 10),
        local(2027, 1, 3, 23, 59),
        local(2027, 1, 4, 0, 0),
        local(2027, 1, 10, 23, 0),
        local(2027, 1, 11, 0, 0),
    ):
        await observe(db, g, "theft", at.astimezone(UTC))
    await feed_event(db, 1, "burglary", local(2026, 12, 22, 9).astimezone(UTC), "Inbrott")
    await feed_event(db, 2, None, local(2026, 12, 29, 9).astimezone(UTC), "Brand")
    await feed_event(db, 3, None, local(2027, 1, 2, 9).astimezone(UTC), "Brand")
    await feed_event(db, 4, "burglary", local(2027, 1, 10, 22).astimezone(UTC), "Inbrott")
    return {"group": g}


NEW_YEAR_NOW = dt.datetime(2027, 1, 13, 12, tzinfo=UTC)  # Wednesday of week 2, 2027


async def test_a_year_boundary_by_hand_in_chart_csv_and_text(db):
    await seed_new_year(db)
    period = period_ending(PeriodKind.WEEKS4, NEW_YEAR_NOW, TZ)
    picture = await svc.collect(db, SCOPE, period)
    assert [w.key for w in period.iso_weeks()] == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert picture.observations == {"theft": [0, 1, 2, 2]}
    assert picture.feed == {"Inbrott": [0, 1, 0, 1], "Brand": [0, 0, 2, 0]}
    assert picture.previous == {"theft": 1}  # Sunday 13 Dec, week 50

    # The chart's x labels, as drawn, are the CSV's weeks.
    render_chart(picture, "sv", "Lägesbild\nx")
    drawn = [
        label.get_text()
        for label in chart_module._templates["sv"].panels["obs"].ax.get_xticklabels()
    ]
    assert drawn == ["v. 51", "v. 52", "v. 53", "v. 1"]
    rows = list(csv.DictReader(io.StringIO(render.to_csv(picture, "sv").decode("utf-8-sig"))))
    theft = [r for r in rows if r["section"] == "observations"]
    assert [(r["week"], r["week_start"], int(r["count"])) for r in theft] == [
        ("2026-W51", "2026-12-14", 0),
        ("2026-W52", "2026-12-21", 1),
        ("2026-W53", "2026-12-28", 2),
        ("2027-W01", "2027-01-04", 2),
    ]
    csv_weeks = [int(r["week"].split("-W")[1]) for r in theft]
    assert drawn == [f"v. {n}" for n in csv_weeks]
    english = render.week_labels(period, "en")
    assert english == ["wk 51", "wk 52", "wk 53", "wk 1"]

    text = str(render.summary(picture, "sv", SCOPE))
    assert "v. 51 2026 – v. 1 2027 (14 dec 2026 – 10 jan 2027)" in text
    assert "Hela kalenderveckor (måndag–söndag) till och med förra veckan." in text
    assert "wk 51 2026 – wk 1 2027 (14 Dec 2026 – 10 Jan 2027)" in str(
        render.summary(picture, "en", SCOPE)
    )
    title = render.title_lines("sv", SCOPE, period)
    assert title == "Lägesbild för Sölvesborg\nv. 51 2026 – v. 1 2027 (14 dec 2026 – 10 jan 2027)"


async def test_weeks_follow_local_midnight_across_the_end_of_summer_time(db):
    """Summer time ends on Sunday 25 October 2026: week 43 is 169 hours long. Sunday
    23:30 local (22:30 UTC) still belongs to week 43, Monday 00:30 to week 44."""
    g = await make_group(db, -400, "Höst")
    for at in (local(2026, 10, 19, 0, 30), local(2026, 10, 25, 23, 30), local(2026, 10, 26, 0, 30)):
        await observe(db, g, "drugs", at.astimezone(UTC))
    period = weeks_covering(dt.date(2026, 10, 19), dt.date(2026, 10, 26), TZ)
    picture = await svc.collect(db, SCOPE, period)
    assert [w.week for w in period.iso_weeks()] == [43, 44]
    assert picture.observations == {"drugs": [2, 1]}


async def test_police_events_by_their_own_type_top_types_and_other(db):
    """The chart names the FEED_TOP most frequent types and sums the rest as "Övriga typer";
    the CSV has every type; the focus areas still count by our category."""
    period = period_ending(PeriodKind.WEEKS4, dt.datetime(2026, 11, 30, 7, tzinfo=UTC), TZ)
    types = {
        "Inbrott": 7, "Stöld": 6, "Trafikolycka": 5, "Rattfylleri": 4, "Brand": 3,
        "Misshandel": 2, "Bedrägeri": 1,
    }  # fmt: skip
    categories = {"Inbrott": "burglary", "Trafikolycka": "traffic", "Rattfylleri": "traffic"}
    event_id = 0
    for name, count in types.items():
        for i in range(count):
            event_id += 1
            at = period.week_start(i % 4) + dt.timedelta(hours=30)
            await feed_event(db, event_id, categories.get(name), at.astimezone(UTC), name)
    picture = await svc.collect(db, SCOPE, period)
    assert picture.feed_types() == list(types.items())
    drawn = chart_module._feed_series(picture, "sv")
    assert [label for _, label, _ in drawn] == [*list(types)[:FEED_TOP], "Övriga typer"]
    assert sum(drawn[-1][2]) == 3  # Misshandel 2 + Bedrägeri 1
    # In English the legend names the police's types in English, in the same order.
    english = ["Burglary", "Theft", "Traffic accident", "Drunk driving", "Fire", "Other types"]
    drawn_en = chart_module._feed_series(picture, "en")
    assert [label for _, label, _ in drawn_en] == english
    assert [values for *_, values in drawn_en] == [values for *_, values in drawn]
    rows = list(csv.DictReader(io.StringIO(render.to_csv(picture, "en").decode("utf-8-sig"))))
    by_type: dict[str, int] = {}
    labels: dict[str, str] = {}
    for row in rows:
        if row["section"] == "police_events":
            by_type[row["series"]] = by_type.get(row["series"], 0) + int(row["count"])
            labels[row["series"]] = row["label"]
    assert by_type == types  # counted by the police's own names, as stored
    assert labels["Inbrott"] == "Burglary" and labels["Misshandel"] == "Assault"
    assert labels["Bedrägeri"] == "Fraud"  # every type, also those the chart sums up
    assert picture.focus("theft")[1] == [2, 2, 2, 1] and picture.focus("traffic")[1] == [3, 2, 2, 2]
    png = render_chart(picture, "sv", "Lägesbild\nx")
    assert png_size(png) == (1080, 1350)


async def test_charts_drawn_in_worker_processes_equal_those_drawn_in_a_thread(db):
    await seed_new_year(db)
    period = period_ending(PeriodKind.WEEKS4, NEW_YEAR_NOW, TZ)
    picture = await svc.collect(db, SCOPE, period)
    jobs = [(picture, "sv", "Lägesbild\nett"), (picture, "en", "Situation\ntwo")]
    in_thread = await render.draw_charts(jobs, processes_from=99)
    in_processes = await render.draw_charts(jobs, processes_from=0)
    assert in_processes == in_thread
    assert all(png_size(png) == (1080, 1350) for png in in_processes)


async def test_many_scopes_at_once_equal_one_by_one_with_one_query_each(db):
    """The Monday round reads every kommun's chart with one query per aggregate: the same
    pictures as asking per kommun (and per group), in a number of queries that does not
    grow with the number of scopes."""
    await seed_new_year(db)
    other = await make_group(db, -301, "Annan", "0180")
    await observe(db, other, "traffic", local(2026, 12, 30, 12).astimezone(UTC), kommun="0180")
    await feed_event(db, 9, "traffic", local(2026, 12, 30, 13).astimezone(UTC), "Trafikolycka",
                     kommun="0180")  # fmt: skip
    period = period_ending(PeriodKind.WEEKS4, NEW_YEAR_NOW, TZ)
    scopes = [Scope(kommun_codes=(KOMMUN,)), Scope(kommun_codes=("0180",)),
              Scope(kommun_codes=("0180", KOMMUN)), Scope(kommun_codes=("0114",))]  # fmt: skip
    one_by_one = [await svc.collect(db, s, period) for s in scopes]
    queries = 0
    fetch_all = db.fetch_all

    async def counted(*args, **kwargs):
        nonlocal queries
        queries += 1
        return await fetch_all(*args, **kwargs)

    db.fetch_all = counted  # type: ignore[method-assign]
    try:
        at_once = await svc.collect_each(db, scopes, period)
        few = queries
        queries = 0
        await svc.collect_each(db, scopes[:1], period)
    finally:
        db.fetch_all = fetch_all  # type: ignore[method-assign]
    assert at_once == one_by_one
    assert few == queries  # as many queries for four scopes as for one
    both = at_once[2]
    assert both.observations == {"theft": [0, 1, 2, 2], "traffic": [0, 0, 1, 0]}
    assert both.feed == {
        "Inbrott": [0, 1, 0, 1],
        "Brand": [0, 0, 2, 0],
        "Trafikolycka": [0, 0, 1, 0],
    }
    groups = [Scope(group_ids=(1,)), Scope(group_ids=(other,))]
    assert await svc.collect_each(db, groups, period) == [
        await svc.collect(db, s, period) for s in groups
    ]
    with pytest.raises(ValueError):
        await svc.collect_each(db, [scopes[0], groups[0]], period)
