"""The lägesbild as words and as CSV (the chart: bot/charts.py, the map: bot/charts_map.py).

Both are drawn only from a :class:`~bot.services.lagesbild.Lagesbild` (counts), so they
are as safe for the kommun role as the aggregates themselves.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta, tzinfo

from bot.i18n import Html, t, t_plain
from bot.services.lagesbild import (
    FOCUS_AREAS,
    Lagesbild,
    Period,
    Scope,
    kommun_names,
)
from bot.services.lagesbild_map import HeatGrid

DATE = "%Y-%m-%d"


def _label(lang: str, key: str, fallback: str) -> str:
    try:
        return t_plain(lang, key)
    except KeyError:
        return fallback


def obs_label(lang: str, category: str) -> str:
    return _label(lang, f"obs.cat.{category}", category)


def feed_label(lang: str, category: str) -> str:
    if category == "other":
        return t_plain(lang, "lagesbild.feed.other")
    return _label(lang, f"feed.cat.{category}", category)


def week_labels(picture: Lagesbild, lang: str, tz: tzinfo) -> list[str]:
    """'v47' per week: the ISO week of each week's first day (local time)."""
    return [
        t_plain(
            lang,
            "lagesbild.chart.week_label",
            week=picture.period.week_start(i).astimezone(tz).isocalendar()[1],
        )
        for i in range(picture.period.weeks)
    ]


def scope_title(lang: str, scope: Scope, limit: int = 3) -> str:
    """'Sölvesborg, Karlshamn' (at most `limit` names, then '+N'), or '3 grupper'."""
    if scope.kommun_codes:
        names = kommun_names(scope.kommun_codes)
        shown = ", ".join(names[:limit])
        return shown + (f" +{len(names) - limit}" if len(names) > limit else "")
    return t_plain(lang, "lagesbild.scope.groups", count=len(scope.group_ids))


def dates(period: Period, tz: tzinfo) -> tuple[str, str]:
    """First and last local day of the period (the end itself is not included)."""
    last = period.end - timedelta(microseconds=1)
    return period.start.astimezone(tz).strftime(DATE), last.astimezone(tz).strftime(DATE)


def summary(picture: Lagesbild, lang: str, scope: Scope, tz: tzinfo) -> Html:
    """The short text beside the chart (HTML): totals, alerts, the three categories that
    rose most, and the medborgarlöfte's focus areas on their own lines."""
    start, end = dates(picture.period, tz)
    lines: list[str] = [
        t(lang, "lagesbild.title", scope=scope_title(lang, scope), start=start, end=end),
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
            count=picture.alerts.alerts,
            delivered=picture.alerts.delivered,
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
    rises = picture.rises()
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


CSV_HEADER = ("section", "week_start", "series", "label", "count")


def to_csv(picture: Lagesbild, lang: str, tz: tzinfo) -> bytes:
    """The same numbers as the chart, one row per (section, week, series), UTF-8 with BOM
    (so spreadsheet programs read å, ä, ö): observations by category, feed events by
    type, focus areas, then the period's alert totals (week_start empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    weeks = [
        picture.period.week_start(i).astimezone(tz).strftime(DATE)
        for i in range(picture.period.weeks)
    ]
    for name in sorted(picture.observations):
        for day, n in zip(weeks, picture.observations[name], strict=True):
            writer.writerow(("observations", day, name, obs_label(lang, name), n))
    for name in sorted(picture.feed):
        for day, n in zip(weeks, picture.feed[name], strict=True):
            writer.writerow(("police_events", day, name, feed_label(lang, name), n))
    for area in FOCUS_AREAS:
        obs, feed = picture.focus(area)
        label = t_plain(lang, f"lagesbild.focus.{area}")
        for day, a, b in zip(weeks, obs, feed, strict=True):
            writer.writerow(("focus_observations", day, area, label, a))
            writer.writerow(("focus_police_events", day, area, label, b))
    for field in ("alerts", "targeted", "delivered", "seen"):
        writer.writerow(("alerts", "", field, field, getattr(picture.alerts, field)))
    for field, value in (
        ("surveys", picture.surveys),
        ("survey_answers", picture.survey_voters),
        ("presences", picture.presences),
    ):
        writer.writerow(("dialogue", "", field, field, value))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- what a person is sent ------------------------------------------------------------------


async def chart_png(picture: Lagesbild, lang: str, scope: Scope, tz: tzinfo) -> bytes:
    """The chart PNG, drawn in a worker thread (matplotlib is CPU-bound)."""
    start, end = dates(picture.period, tz)
    title = t_plain(lang, "lagesbild.title", scope=scope_title(lang, scope), start=start, end=end)
    title = title.replace("<b>", "").replace("</b>", "").removeprefix("📊 ")
    from bot.charts import render_chart  # matplotlib: loaded on the first drawing

    return await asyncio.to_thread(render_chart, picture, lang, title, tz)


async def map_png(grid: HeatGrid, lang: str, scope: Scope, tz: tzinfo) -> tuple[bytes, Html]:
    """The map PNG (drawn in a worker thread) and its caption."""
    start, end = dates(grid.period, tz)
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
    return png, caption
