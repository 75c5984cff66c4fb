"""The lägesbild as words and as CSV, and where its pictures are drawn (the chart is
bot/lagesbild_chart.py, the map bot/charts_map.py: in a worker thread, or for a round of
charts in worker processes, so the event loop keeps answering people).

All are drawn only from a :class:`~bot.services.lagesbild.Lagesbild` (counts), so they
are as safe for the kommun role as the aggregates themselves. Weeks and dates: the
period's ISO weeks (bot/services/lagesbild_period.py) name the chart's labels, the CSV's
rows and the text's range; dates in the text go through bot/i18n/dates.format_when.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta, tzinfo

from bot.i18n import Html, t, t_plain
from bot.i18n.dates import format_when
from bot.i18n.feed_types import event_type_name
from bot.services.lagesbild import (
    FOCUS_AREAS,
    IsoWeek,
    Lagesbild,
    Period,
    Scope,
    kommun_names,
)
from bot.services.lagesbild_map import HeatGrid
from storage.name_order import name_key

log = logging.getLogger(__name__)

DATE = "%Y-%m-%d"  # file names and the CSV (machine-readable: ISO 8601)


def _label(lang: str, key: str, fallback: str) -> str:
    try:
        return t_plain(lang, key)
    except KeyError:
        return fallback


def obs_label(lang: str, category: str) -> str:
    return _label(lang, f"obs.cat.{category}", category)


def week_label(lang: str, week: IsoWeek) -> str:
    """'v. 48' / 'wk 48': how the chart names a calendar week."""
    return t_plain(lang, "lagesbild.chart.week_label", week=week.week)


def week_labels(period: Period, lang: str) -> list[str]:
    """The chart's x labels, one per week of the period (from Period.iso_weeks)."""
    return [week_label(lang, w) for w in period.iso_weeks()]


def weeks_text(lang: str, period: Period) -> str:
    """'v. 45–48 2026', or 'v. 51 2026 – v. 2 2027' across a new year; one week: 'v. 48 2026'."""
    weeks = period.iso_weeks()
    first, last = weeks[0], weeks[-1]
    if first == last:
        return t_plain(lang, "lagesbild.weeks.one", week=first.week, year=first.year)
    if first.year == last.year:
        return t_plain(
            lang, "lagesbild.weeks.range", first=first.week, last=last.week, year=last.year
        )
    return t_plain(
        lang,
        "lagesbild.weeks.years",
        first=first.week,
        first_year=first.year,
        last=last.week,
        last_year=last.year,
    )


def scope_title(lang: str, scope: Scope, limit: int = 3) -> str:
    """'Sölvesborg, Karlshamn' or a coordinator's 'Norra Möllebacken' (at most `limit`
    names, then '+N'), or '3 grupper' when the groups' names are not known."""
    names = kommun_names(scope.kommun_codes) if scope.kommun_codes else list(scope.group_names)
    names.sort(key=name_key)  # as every list of names (storage/name_order.py)
    if not names:
        return t_plain(lang, "lagesbild.scope.groups", count=len(scope.group_ids))
    shown = ", ".join(names[:limit])
    return shown + (f" +{len(names) - limit}" if len(names) > limit else "")


def dates(lang: str, period: Period) -> tuple[str, str]:
    """The period's first and last day as people write them ("2 nov", "29 nov 2026"; the
    first day's year only when it differs from the last day's)."""
    last = period.end - timedelta(days=1)  # local wall-clock: the Sunday, 00:00
    return (
        format_when(lang, period.start, part="date", now=last),
        format_when(lang, last, part="date", year=True),
    )


def iso_dates(period: Period) -> tuple[str, str]:
    """The period's first and last day in ISO 8601, for file names and the command line."""
    return period.first_day.strftime(DATE), period.last_day.strftime(DATE)


def period_text(lang: str, period: Period) -> str:
    """'v. 45–48 2026 (2 nov – 29 nov 2026)': the weeks and their days."""
    start, end = dates(lang, period)
    return t_plain(
        lang, "lagesbild.period_text", weeks=weeks_text(lang, period), start=start, end=end
    )


def title_lines(lang: str, scope: Scope, period: Period, name: str | None = None) -> str:
    """The chart's two-line title: 'Lägesbild Sölvesborg' (or `name`, e.g. a group's area)
    and the period's weeks and days."""
    name = t_plain(lang, "lagesbild.chart.title", scope=name or scope_title(lang, scope))
    return f"{name}\n{period_text(lang, period)}"


def summary(picture: Lagesbild, lang: str, scope: Scope) -> Html:
    """The short text beside the chart (HTML): the weeks, totals, alerts, the three
    categories that rose most, and the medborgarlöfte's focus areas on their own lines."""
    period = picture.period
    note = "lagesbild.weeks.complete" if period.kind is not None else "lagesbild.weeks.calendar"
    lines: list[str] = [
        t(
            lang,
            "lagesbild.title",
            scope=scope_title(lang, scope),
            period=period_text(lang, period),
        ),
        t(lang, note),
        "",
        t(
            lang,
            "lagesbild.observations",
            count=picture.observation_total,
            previous=picture.previous_total,
        ),
        t(lang, "lagesbild.feed", count=picture.feed_total),
        t(
            lang,
            "lagesbild.alerts",
            sent=t(lang, "lagesbild.n_sent", count=picture.alerts.alerts),
            delivered=t(lang, "lagesbild.n_delivered", count=picture.alerts.delivered),
            seen=picture.alerts.seen,
        ),
    ]
    lines.append(
        t(
            lang,
            "lagesbild.dialog",
            surveys=t(lang, "lagesbild.n_surveys", count=picture.surveys),
            voters=t(lang, "lagesbild.n_answers", count=picture.survey_voters),
            presences=t(lang, "lagesbild.n_presences", count=picture.presences),
        )
    )
    rises = picture.rises(label=lambda category: obs_label(lang, category))
    if rises:
        items = ", ".join(
            t_plain(lang, "lagesbild.rise_item", label=obs_label(lang, c), count=n)
            for c, n in rises
        )
        lines.append(t(lang, "lagesbild.rises", items=items))
    else:
        lines.append(t(lang, "lagesbild.rises_none"))
    lines += ["", t(lang, "lagesbild.focus.heading")]
    for area in FOCUS_AREAS:
        obs, feed = picture.focus(area)
        lines.append(
            t(
                lang,
                "lagesbild.focus.line",
                area=t_plain(lang, f"lagesbild.focus.{area}"),
                obs=t(lang, "lagesbild.n_obs", count=sum(obs)),
                feed=t(lang, "lagesbild.n_feed", count=sum(feed)),
            )
        )
    return Html("\n".join(lines))


CSV_HEADER = ("section", "week", "week_start", "series", "label", "count")


def to_csv(picture: Lagesbild, lang: str) -> bytes:
    """The same numbers as the chart, one row per (section, week, series), UTF-8 with BOM
    (so spreadsheet programs read å, ä, ö): observations by category, the police's events
    by the police's own type (every type, not only those the chart names; `series` is the
    police's name, `label` the name in `lang`), focus areas, then the period's alert totals
    (week empty). `week` is the ISO week ("2026-W48") and
    `week_start` its Monday, both from Period.iso_weeks, as the chart's labels."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    weeks = [(w.key, w.monday.strftime(DATE)) for w in picture.period.iso_weeks()]
    for name in sorted(picture.observations):
        for (week, day), n in zip(weeks, picture.observations[name], strict=True):
            writer.writerow(("observations", week, day, name, obs_label(lang, name), n))
    for name in sorted(picture.feed):
        for (week, day), n in zip(weeks, picture.feed[name], strict=True):
            writer.writerow(("police_events", week, day, name, event_type_name(lang, name), n))
    for area in FOCUS_AREAS:
        obs, feed = picture.focus(area)
        label = t_plain(lang, f"lagesbild.focus.{area}")
        for (week, day), a, b in zip(weeks, obs, feed, strict=True):
            writer.writerow(("focus_observations", week, day, area, label, a))
            writer.writerow(("focus_police_events", week, day, area, label, b))
    for field in ("alerts", "targeted", "delivered", "seen"):
        writer.writerow(("alerts", "", "", field, field, getattr(picture.alerts, field)))
    for field, value in (
        ("surveys", picture.surveys),
        ("survey_answers", picture.survey_voters),
        ("presences", picture.presences),
    ):
        writer.writerow(("dialogue", "", "", field, field, value))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- drawing --------------------------------------------------------------------------------

DRAW_PROCESSES = 2  # worker processes for a round of charts (the machine has 2 cores)
PROCESSES_FROM = 8  # fewer charts are drawn in a thread: starting processes costs ~1 s


def _draw(picture: Lagesbild, lang: str, title: str) -> bytes:
    from bot.lagesbild_chart import render_chart  # matplotlib: loaded on the first drawing

    return render_chart(picture, lang, title)


async def chart_png(picture: Lagesbild, lang: str, scope: Scope) -> bytes:
    """The chart PNG, drawn in a worker thread (matplotlib is CPU-bound; the event loop
    keeps answering meanwhile)."""
    return await asyncio.to_thread(_draw, picture, lang, title_lines(lang, scope, picture.period))


async def draw_charts(
    jobs: Sequence[tuple[Lagesbild, str, str]], processes_from: int = PROCESSES_FROM
) -> list[bytes]:
    """PNGs of many charts ([(picture, lang, title)] → same order). From `processes_from`
    charts on, drawn in DRAW_PROCESSES worker processes (started for the call, fresh
    interpreters: nothing of the bot's threads or event loop is copied), so the bot's own
    process only waits for them; fewer are drawn one by one in a worker thread. If the
    processes cannot be started, the thread draws them all."""
    if len(jobs) >= processes_from:
        try:
            return await _draw_in_processes(jobs)
        except (OSError, RuntimeError, BrokenProcessPool) as error:
            # No processes here (a sandbox, a main module that starts the bot when
            # imported): the same charts, drawn one by one in a thread.
            log.warning("drawing %d charts in a thread: %r", len(jobs), error)
    return [await asyncio.to_thread(_draw, *job) for job in jobs]


async def _draw_in_processes(jobs: Sequence[tuple[Lagesbild, str, str]]) -> list[bytes]:
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(
        max_workers=min(DRAW_PROCESSES, os.cpu_count() or 1, len(jobs)),
        mp_context=multiprocessing.get_context("spawn"),
    )
    try:
        pngs = list(await asyncio.gather(*(loop.run_in_executor(pool, _draw, *j) for j in jobs)))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    await asyncio.to_thread(pool.shutdown)  # the workers end; waited for off the loop
    return pngs


async def map_png(grid: HeatGrid, lang: str, scope: Scope, tz: tzinfo) -> tuple[bytes, Html]:
    """The map PNG (drawn in a worker thread) and its caption."""
    del tz  # the period carries its zone
    start, end = dates(lang, grid.period)
    name = scope_title(lang, scope)
    title = f"{t_plain(lang, 'lagesbild.map.title')}\n{name}, {start} – {end}"
    from bot.charts_map import render_map  # matplotlib: loaded on the first drawing

    png = await asyncio.to_thread(render_map, grid, lang, title)
    caption = t(
        lang,
        "lagesbild.map.caption",
        scope=name,
        start=start,
        end=end,
        shown=t(lang, "lagesbild.n_obs", count=grid.shown),
        suppressed=grid.suppressed,
    )
    if grid.unlocated:  # else "0 shown" reads as "nothing happened" beside the chart's count
        caption = t(
            lang,
            "lagesbild.map.caption_unlocated",
            caption=caption,
            unlocated=t(lang, "lagesbild.map.unlocated", count=grid.unlocated),
        )
    return png, caption
