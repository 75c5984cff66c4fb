"""PNG charts of the lägesbild, drawn with matplotlib's headless Agg backend.

Imported only when something is drawn (bot/services/lagesbild_render.py imports it
lazily), so starting the bot or the CLI does not load matplotlib.

Made for a phone: portrait 1080 × 1350 px (Telegram shows 4:5 photos whole), large type,
one message per panel, the Okabe–Ito palette (safe for the common colour-vision
deficiencies; the map is drawn in bot/charts_map.py). Labels come from the catalog in
the person's language. Only :class:`bot.services.lagesbild.Lagesbild` counts are drawn.

Figures are built with the object API (no pyplot, no global state) and rendering is
serialised by a lock, so it is safe from `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from bot.i18n import t_plain
from bot.services.lagesbild import (
    FEED_CATEGORIES,
    FOCUS_AREAS,
    OBS_CATEGORIES,
    Lagesbild,
)
from bot.services.lagesbild_render import feed_label, obs_label, week_labels

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
_FONT = {"title": 15, "label": 12, "tick": 11, "legend": 10}


def _colours(names: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    palette = iter(OKABE_ITO)
    for name in names:
        out[name] = OTHER_COLOUR if name == "other" else next(palette, OTHER_COLOUR)
    return out


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _legend(fig: Figure, handles: Sequence[Artist], ncols: int, top: float) -> None:
    """A legend below an axes, at figure height `top` (the layout is fixed, see render_chart)."""
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(LEFT - 0.07, top),
        bbox_transform=fig.transFigure,
        ncols=ncols,
        frameon=False,
        fontsize=_FONT["legend"],
        handlelength=1.2,
        columnspacing=1.0,
        labelspacing=0.3,
    )


def _stacked(
    ax: Axes,
    series: dict[str, list[int]],
    order: Sequence[str],
    labels: Callable[[str, str], str],
    colours: dict[str, str],
    weeks: int,
    lang: str,
) -> list[Artist]:
    """Stacked weekly bars, one PolyCollection per series (one artist, not one per bar:
    a year of nine categories is 468 bars). Returns the legend handles."""
    bottom = [0] * weeks
    handles: list[Artist] = []
    half = 0.42
    for name in [n for n in order if n in series] + sorted(set(series) - set(order)):
        values = series[name]
        if not any(values):
            continue
        verts = [
            [(x - half, b), (x + half, b), (x + half, b + v), (x - half, b + v)]
            for x, (b, v) in enumerate(zip(bottom, values, strict=True))
            if v
        ]
        colour = colours.get(name, OTHER_COLOUR)
        ax.add_collection(PolyCollection(verts, facecolors=colour, edgecolors="none"))
        handles.append(Patch(facecolor=colour, label=f"{labels(lang, name)} ({sum(values)})"))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if not handles:
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
    return handles


def _axes_style(ax: Axes, title: str, lang: str) -> None:
    ax.set_title(title, fontsize=_FONT["title"], loc="left", fontweight="bold")
    ax.tick_params(axis="both", labelsize=_FONT["tick"])
    ax.set_ylabel(t_plain(lang, "lagesbild.chart.count"), fontsize=_FONT["label"])
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _week_ticks(ax: Axes, labels: list[str]) -> None:
    step = max(1, math.ceil(len(labels) / 7))  # at most 7 tick labels: legible on a phone
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i] for i in ticks])
    ax.set_xlim(-0.6, len(labels) - 0.4)


# A fixed layout (figure fractions), measured for 1080 × 1350 px: the automatic layout
# engines cost more than the whole drawing. Each panel: (bottom, height, legend top).
LEFT, WIDTH = 0.10, 0.87
PANELS = {"obs": (0.685, 0.185, 0.655), "focus": (0.41, 0.12, 0.375), "feed": (0.13, 0.15, 0.1)}
_PANEL_TITLES = {"obs": "observations", "focus": "focus", "feed": "feed"}


@dataclass
class _ChartTemplate:
    """A chart's figure, axes and fixed texts, kept per language and refilled for each
    chart: building axes and ticks is about half the cost of a chart, and the kept Agg
    renderer keeps matplotlib's cache of text measurements (a week round draws 290)."""

    fig: Figure
    axes: dict[str, Axes]
    title: Text
    footer: Text


_templates: dict[str, _ChartTemplate] = {}


def _chart_template(lang: str) -> _ChartTemplate:
    """The language's template, emptied of the previous chart's data (call under _lock)."""
    kept = _templates.get(lang)
    if kept is not None:
        for ax in kept.axes.values():
            for artist in [*ax.collections, *ax.lines, *ax.texts]:
                artist.remove()
        for legend in list(kept.fig.legends):
            legend.remove()
        return kept
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = {k: fig.add_axes((LEFT, b, WIDTH, h)) for k, (b, h, _) in PANELS.items()}
    for key, ax in axes.items():
        _axes_style(ax, t_plain(lang, f"lagesbild.chart.{_PANEL_TITLES[key]}"), lang)
    title = fig.text(0.02, 0.988, "", fontsize=16, fontweight="bold", va="top")
    footer = fig.text(0.02, 0.008, "", fontsize=_FONT["legend"], color="#444444")
    template = _templates[lang] = _ChartTemplate(fig, axes, title, footer)
    return template


def render_chart(picture: Lagesbild, lang: str, title: str, tz: tzinfo) -> bytes:
    """The lägesbild chart as PNG bytes (1080 × 1350): observations per week by category,
    the medborgarlöfte's focus areas per week, the police's feed events per week by type."""
    labels = week_labels(picture, lang, tz)
    weeks = len(labels)
    with _lock:
        template = _chart_template(lang)
        fig, axes = template.fig, template.axes
        template.title.set_text(title)
        handles = _stacked(
            axes["obs"],
            picture.observations,
            OBS_CATEGORIES,
            obs_label,
            _colours(list(OBS_CATEGORIES)),
            weeks,
            lang,
        )
        _legend(fig, handles, 3, PANELS["obs"][2])
        focus_ax = axes["focus"]
        top = 0
        lines: list[Artist] = []
        for area in FOCUS_AREAS:
            obs, feed = picture.focus(area)
            total = [a + b for a, b in zip(obs, feed, strict=True)]
            top = max(top, *total)
            (line,) = focus_ax.plot(
                range(weeks),
                total,
                color=FOCUS_COLOURS[area],
                linewidth=2.6,
                marker="o" if weeks <= 13 else None,
                markersize=4,
                label=f"{t_plain(lang, f'lagesbild.focus.{area}')} ({sum(total)})",
            )
            lines.append(line)
        focus_ax.set_ylim(0, max(4, top * 1.15))
        _legend(fig, lines, 3, PANELS["focus"][2])
        handles = _stacked(
            axes["feed"],
            picture.feed,
            FEED_CATEGORIES,
            feed_label,
            _colours(list(FEED_CATEGORIES)),
            weeks,
            lang,
        )
        _legend(fig, handles, 3, PANELS["feed"][2])
        for ax in axes.values():
            _week_ticks(ax, labels)
        template.footer.set_text(
            t_plain(
                lang,
                "lagesbild.chart.footer",
                count=picture.alerts.alerts,
                seen=picture.alerts.seen,
            )
        )
        return _png(fig)
