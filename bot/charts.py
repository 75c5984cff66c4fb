"""PNG charts and maps of the lägesbild, drawn with matplotlib's headless Agg backend.

Made for a phone: portrait 1080 × 1350 px (Telegram shows 4:5 photos whole), large type,
one message per panel, the Okabe–Ito palette (safe for the common colour-vision
deficiencies) and viridis for the map. Labels come from the catalog in the person's
language. Only :class:`bot.services.lagesbild.Lagesbild` / `HeatGrid` counts are drawn.

Figures are built with the object API (no pyplot, no global state) and rendering is
serialised by a lock, so it is safe from `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import math
import threading
from datetime import tzinfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from bot.i18n import t_plain
from bot.services.lagesbild import (
    FEED_CATEGORIES,
    FOCUS_AREAS,
    MIN_CELL,
    OBS_CATEGORIES,
    HeatGrid,
    Lagesbild,
)

# Okabe & Ito (2008), "Color Universal Design"; grey for "other".
OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
OTHER_COLOUR = "#999999"
FOCUS_COLOURS = {"theft": "#D55E00", "drugs": "#CC79A7", "traffic": "#0072B2"}
WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 150
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_lock = threading.Lock()
_FONT = {"title": 15, "label": 12, "tick": 11, "legend": 10.5}


def _colours(names: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    palette = iter(OKABE_ITO)
    for name in names:
        out[name] = OTHER_COLOUR if name == "other" else next(palette, OTHER_COLOUR)
    return out


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


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


def _stacked(ax, series: dict[str, list[int]], order, labels, colours, xs, lang) -> None:  # type: ignore[no-untyped-def]
    bottom = [0] * len(xs)
    drawn = False
    for name in [n for n in order if n in series] + sorted(set(series) - set(order)):
        values = series[name]
        if not any(values):
            continue
        ax.bar(
            xs,
            values,
            bottom=bottom,
            color=colours.get(name, OTHER_COLOUR),
            label=f"{labels(lang, name)} ({sum(values)})",
            width=0.85,
            linewidth=0,
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        drawn = True
    if drawn:
        ax.legend(
            fontsize=_FONT["legend"],
            loc="upper left",
            ncols=2,
            frameon=False,
            bbox_to_anchor=(0, -0.12),
        )
    else:
        ax.text(
            0.5,
            0.5,
            t_plain(lang, "lagesbild.chart.none"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=_FONT["label"],
            color="#555555",
        )
    ax.set_ylim(0, max(max(bottom, default=0) * 1.1, 4))


def _axes_style(ax, labels: list[str], title: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    ax.set_title(title, fontsize=_FONT["title"], loc="left", fontweight="bold")
    step = max(1, math.ceil(len(labels) / 13))  # at most ~13 tick labels: legible on a phone
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i] for i in ticks], fontsize=_FONT["tick"])
    ax.tick_params(axis="y", labelsize=_FONT["tick"])
    ax.set_ylabel(t_plain(lang, "lagesbild.chart.count"), fontsize=_FONT["label"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def render_chart(picture: Lagesbild, lang: str, title: str, tz: tzinfo) -> bytes:
    """The lägesbild chart as PNG bytes (1080 × 1350): observations per week by category,
    the medborgarlöfte's focus areas per week, the police's feed events per week by type."""
    labels = week_labels(picture, lang, tz)
    xs = list(range(len(labels)))
    with _lock:
        fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
        fig.suptitle(title, fontsize=17, fontweight="bold", x=0.02, ha="left")
        axes = fig.subplots(3, 1, height_ratios=(1.25, 1, 1))
        obs_ax, focus_ax, feed_ax = axes
        _stacked(
            obs_ax,
            picture.observations,
            OBS_CATEGORIES,
            obs_label,
            _colours(list(OBS_CATEGORIES)),
            xs,
            lang,
        )
        _axes_style(obs_ax, labels, t_plain(lang, "lagesbild.chart.observations"), lang)
        for area in FOCUS_AREAS:
            obs, feed = picture.focus(area)
            total = [a + b for a, b in zip(obs, feed, strict=True)]
            focus_ax.plot(
                xs,
                total,
                color=FOCUS_COLOURS[area],
                linewidth=2.6,
                marker="o",
                markersize=4,
                label=f"{t_plain(lang, f'lagesbild.focus.{area}')} ({sum(total)})",
            )
        focus_ax.legend(
            fontsize=_FONT["legend"],
            loc="upper left",
            frameon=False,
            ncols=3,
            bbox_to_anchor=(0, -0.12),
        )
        focus_ax.set_ylim(bottom=0, top=max(4, focus_ax.get_ylim()[1]))
        _axes_style(focus_ax, labels, t_plain(lang, "lagesbild.chart.focus"), lang)
        _stacked(
            feed_ax,
            picture.feed,
            FEED_CATEGORIES,
            feed_label,
            _colours(list(FEED_CATEGORIES)),
            xs,
            lang,
        )
        _axes_style(feed_ax, labels, t_plain(lang, "lagesbild.chart.feed"), lang)
        fig.supxlabel(
            t_plain(
                lang,
                "lagesbild.chart.footer",
                count=picture.alerts.alerts,
                seen=picture.alerts.seen,
            ),
            fontsize=_FONT["legend"],
            color="#444444",
            x=0.02,
            ha="left",
        )
        return _png(fig)


_HEAT = LinearSegmentedColormap.from_list(
    "heat", ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
)  # viridis reversed: more observations darker, readable in grey too


def render_map(grid: HeatGrid, lang: str, title: str) -> bytes:
    """The heat-grid map as PNG bytes (1080 × 1350): cells of ≥ 500 m with at least
    MIN_CELL observations over the scope's approximate outline; no tiles, no network."""
    with _lock:
        fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
        fig.suptitle(title, fontsize=17, fontweight="bold", x=0.02, ha="left")
        ax = fig.subplots()
        ax.set_title(t_plain(lang, "lagesbild.map.title"), fontsize=_FONT["title"], loc="left")
        lats = [p[1] for p in grid.outline] or [r * grid.lat_step for r, _ in grid.cells]
        mid = (min(lats) + max(lats)) / 2 if lats else 60.0
        ax.set_aspect(1 / math.cos(math.radians(mid)))
        if grid.outline:
            ax.add_patch(
                Polygon(
                    grid.outline,
                    closed=True,
                    facecolor="#f2f2f2",
                    edgecolor="#333333",
                    linewidth=1.6,
                    linestyle="--",
                    label=t_plain(lang, "lagesbild.map.outline"),
                )
            )
        if grid.cells:
            # cells below MIN_CELL never reach here, so the scale starts there
            norm = Normalize(MIN_CELL, max(max(grid.cells.values()), MIN_CELL + 1))
            for (row, col), n in grid.cells.items():
                ax.add_patch(
                    Rectangle(
                        (col * grid.lon_step, row * grid.lat_step),
                        grid.lon_step,
                        grid.lat_step,
                        facecolor=_HEAT(norm(n)),
                        edgecolor="white",
                        linewidth=0.3,
                    )
                )
            mappable = ScalarMappable(norm=norm, cmap=_HEAT)
            bar = fig.colorbar(mappable, ax=ax, orientation="horizontal", shrink=0.8, pad=0.02)
            bar.set_label(t_plain(lang, "lagesbild.map.legend"), fontsize=_FONT["label"])
            bar.ax.tick_params(labelsize=_FONT["tick"])
            bar.ax.xaxis.get_major_locator().set_params(integer=True)
        else:
            ax.text(
                0.5,
                0.5,
                t_plain(lang, "lagesbild.map.none"),
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=_FONT["label"],
                color="#555555",
                wrap=True,
            )
        xs = [p[0] for p in grid.outline] + [c * grid.lon_step for _, c in grid.cells]
        ys = [p[1] for p in grid.outline] + [r * grid.lat_step for r, _ in grid.cells]
        if xs:
            pad_x = max((max(xs) - min(xs)) * 0.05, grid.lon_step * 2)
            pad_y = max((max(ys) - min(ys)) * 0.05, grid.lat_step * 2)
            ax.set_xlim(min(xs) - pad_x, max(xs) + grid.lon_step + pad_x)
            ax.set_ylim(min(ys) - pad_y, max(ys) + grid.lat_step + pad_y)
        ax.set_xlabel("°E", fontsize=_FONT["tick"])
        ax.set_ylabel("°N", fontsize=_FONT["tick"])
        ax.tick_params(labelsize=_FONT["tick"] - 1)
        if grid.outline:
            ax.legend(
                loc="upper left", fontsize=_FONT["legend"], frameon=True, bbox_to_anchor=(0, -0.08)
            )
        fig.supxlabel(
            t_plain(lang, "lagesbild.map.footer"),
            fontsize=_FONT["legend"],
            color="#444444",
            x=0.02,
            ha="left",
        )
        return _png(fig)
