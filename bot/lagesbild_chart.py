"""The lägesbild chart as a PNG, drawn with matplotlib's headless Agg backend.

Imported only when a chart is drawn (bot/services/lagesbild_render.py imports it lazily,
in a worker thread or a worker process), so starting the bot or the CLI does not load
matplotlib. The map is drawn by bot/charts_map.py.

Made for a phone: portrait 1080 × 1350 px (Telegram shows 4:5 photos whole), large type,
one message per panel, the Okabe–Ito palette (safe for the common colour-vision
deficiencies). Labels come from the catalog in the person's language, the police's event
types too ("Inbrott" / "Burglary", bot/i18n/feed_types.py). Only a :class:`Lagesbild`'s
counts are drawn.

Speed (the Monday round draws one chart per kommun, 290 of them): each language keeps one
figure with its axes, titles, bar collections, lines and legend entries, and a chart only
refills their data (building a figure, its axes and legends was most of the cost, and the
kept Agg renderer keeps matplotlib's cache of text measurements). What every chart of a
language and set of weeks shares (axes, x axes, panel titles) is drawn once and kept as a
bitmap; a chart draws only what changes over it. The layout is fixed in figure fractions
(no layout engine, no legend layout), and the PNG is a 256-colour
palette image: a chart has a dozen colours, so nothing visible is lost, and the file is
about a third of the RGBA one (it waits in the outbox once per recipient).
Drawing is serialised by a lock, so it is safe from `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from PIL import Image

from bot.i18n import t_plain
from bot.i18n.feed_types import event_type_name
from bot.services.lagesbild import FOCUS_AREAS, OBS_CATEGORIES, Lagesbild
from bot.services.lagesbild_render import obs_label, week_labels

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
OTHER = "other"
# One colour per observation category, the same in every chart (grey for "other").
CATEGORY_COLOURS = dict(zip([c for c in OBS_CATEGORIES if c != OTHER], OKABE_ITO, strict=False)) | {
    OTHER: OTHER_COLOUR
}
# A focus area's line has the colour of its main category's bars, so a colour means one
# thing in the whole picture (before, "theft" was drawn in traffic's colour).
FOCUS_COLOURS = {
    "theft": CATEGORY_COLOURS["burglary"],
    "drugs": CATEGORY_COLOURS["drugs"],
    "traffic": CATEGORY_COLOURS["traffic"],
}
WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 150
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FEED_TOP = 5  # the police's most frequent types drawn by name; the rest as "Övriga typer"

_FONT = {"title": 15, "label": 12, "tick": 11, "legend": 10}
_lock = threading.Lock()

# A fixed layout (figure fractions) measured for 1080 × 1350 px: each panel's axes
# (bottom, height), its legend's top, columns and the width of a legend entry's text.
LEFT, WIDTH = 0.10, 0.87
ROW = 0.021  # one legend line


@dataclass(frozen=True)
class PanelLayout:
    bottom: float
    height: float
    legend_top: float
    columns: int
    slots: int  # legend entries (and bar series) at most
    title: str  # catalog key


PANELS = {
    "obs": PanelLayout(0.665, 0.185, 0.635, 3, len(OBS_CATEGORIES), "observations"),
    "focus": PanelLayout(0.40, 0.12, 0.365, 3, len(FOCUS_AREAS), "focus"),
    "feed": PanelLayout(0.14, 0.14, 0.103, 2, FEED_TOP + 1, "feed"),
}
_MAX_LABEL = {3: 22, 2: 30}  # characters of a legend label (before its count) per column


@dataclass
class _Panel:
    ax: Axes
    layout: PanelLayout
    bars: list[PolyCollection]
    keys: list[tuple[Rectangle, Text]]
    none: Text


@dataclass
class _Template:
    """One language's kept figure; `weeks` is the x axis it was last set up for."""

    fig: Figure
    canvas: FigureCanvasAgg
    panels: dict[str, _Panel]
    lines: dict[str, Line2D]
    title: Text
    subtitle: Text
    footer: Text
    weeks: tuple[str, ...] = field(default=())
    background: Any = None  # the unchanging part (a BufferRegion), drawn once for `weeks`

    def changing(self) -> list[tuple[Artist, Artist]]:
        """(parent, artist) of what differs from chart to chart, in drawing order: the y
        axes (ticks, grid, labels), the data, the bottom spines over the bars, the legends
        and the titles. Everything else is the kept background."""
        out: list[tuple[Artist, Artist]] = []
        for panel in self.panels.values():
            ax = panel.ax
            out.append((ax, ax.yaxis))
            out += [(ax, bar) for bar in panel.bars]
            if panel.layout.title == "focus":
                out += [(ax, line) for line in self.lines.values()]
            out += [(ax, ax.spines["bottom"]), (ax, panel.none)]
        for panel in self.panels.values():
            out += [(self.fig, artist) for key in panel.keys for artist in key]
        out += [(self.fig, self.title), (self.fig, self.subtitle), (self.fig, self.footer)]
        return out


_templates: dict[str, _Template] = {}


def _style(ax: Axes, title: str, lang: str) -> None:
    # Title and y label at fixed places: placed automatically, both are moved clear of
    # the tick labels at every drawing, which measures every tick label again.
    ax.set_title(title, fontsize=_FONT["title"], loc="left", fontweight="bold", y=1.04)
    ax.tick_params(axis="both", labelsize=_FONT["tick"])
    ax.set_ylabel(t_plain(lang, "lagesbild.chart.count"), fontsize=_FONT["label"])
    ax.yaxis.set_label_coords(-0.075, 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _key_position(layout: PanelLayout, index: int, count: int) -> tuple[float, float]:
    """Figure position of legend entry `index` of `count`: filled column by column."""
    rows = max(1, math.ceil(count / layout.columns))
    column, row = divmod(index, rows)
    left = LEFT - 0.07
    width = (1 - 2 * left) / layout.columns
    return left + column * width, layout.legend_top - (row + 0.5) * ROW


def _new_template(lang: str) -> _Template:
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    panels: dict[str, _Panel] = {}
    for name, layout in PANELS.items():
        ax = fig.add_axes((LEFT, layout.bottom, WIDTH, layout.height))
        _style(ax, t_plain(lang, f"lagesbild.chart.{layout.title}"), lang)
        bars = []
        if name != "focus":
            for _ in range(layout.slots):
                bars.append(PolyCollection([], edgecolors="none", visible=False))
                ax.add_collection(bars[-1])
        keys = []
        for _ in range(layout.slots):
            box = Rectangle(
                (0, 0), 0.022, 0.011, transform=fig.transFigure, visible=False, linewidth=0
            )
            fig.add_artist(box)
            text = fig.text(0, 0, "", fontsize=_FONT["legend"], va="center", visible=False)
            keys.append((box, text))
        none = ax.text(
            0.5,
            0.5,
            t_plain(lang, "lagesbild.chart.none"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=_FONT["label"],
            color="#555555",
            visible=False,
        )
        panels[name] = _Panel(ax, layout, bars, keys, none)
    lines = {}
    for area in FOCUS_AREAS:
        (lines[area],) = panels["focus"].ax.plot(
            [], [], color=FOCUS_COLOURS[area], linewidth=2.6, markersize=4
        )
    title = fig.text(0.02, 0.988, "", fontsize=16, fontweight="bold", va="top")
    subtitle = fig.text(0.02, 0.952, "", fontsize=13, va="top", color="#222222")
    footer = fig.text(0.02, 0.008, "", fontsize=_FONT["legend"], color="#444444")
    return _Template(fig, canvas, panels, lines, title, subtitle, footer)


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip(" ,") + "…"


def _set_keys(panel: _Panel, entries: Sequence[tuple[str, str, int]]) -> None:
    """Show `entries` ([(colour, label, total)]) as the panel's legend; hide the others."""
    limit = _MAX_LABEL[panel.layout.columns]
    for index, (box, text) in enumerate(panel.keys):
        shown = index < len(entries)
        box.set_visible(shown)
        text.set_visible(shown)
        if not shown:
            continue
        colour, label, count = entries[index]
        x, y = _key_position(panel.layout, index, len(entries))
        box.set_xy((x, y - 0.0055))
        box.set_facecolor(colour)
        text.set_position((x + 0.03, y))
        text.set_text(f"{_short(label, limit)} ({count})")


def _set_bars(panel: _Panel, series: Sequence[tuple[str, str, list[int]]], weeks: int) -> None:
    """Stacked weekly bars, one collection per series ([(colour, label, per week)]): one
    artist per series, not one per bar (a year of nine categories is 468 bars)."""
    bottom = [0] * weeks
    half = 0.42
    entries = []
    for slot, (colour, label, values) in zip(panel.bars, series, strict=False):
        slot.set_verts(
            [
                [(x - half, b), (x + half, b), (x + half, b + v), (x - half, b + v)]
                for x, (b, v) in enumerate(zip(bottom, values, strict=True))
                if v
            ]
        )
        slot.set_facecolor(colour)
        slot.set_visible(True)
        entries.append((colour, label, sum(values)))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for slot in panel.bars[len(series) :]:
        slot.set_visible(False)
    panel.none.set_visible(not series)
    panel.ax.set_ylim(0, max(max(bottom, default=0) * 1.1, 4))
    _set_keys(panel, entries)


def _observation_series(picture: Lagesbild, lang: str) -> list[tuple[str, str, list[int]]]:
    out = []
    for category in OBS_CATEGORIES:
        colour = CATEGORY_COLOURS.get(category, OTHER_COLOUR)
        values = picture.observations.get(category)
        if values and any(values):
            out.append((colour, obs_label(lang, category), values))
    return out


def _feed_series(picture: Lagesbild, lang: str) -> list[tuple[str, str, list[int]]]:
    """The FEED_TOP most frequent police event types by name, the rest as "Other types"
    (not "Other": that is the police's own type "Övrigt", which may be among the top)."""
    ranked = [name for name, _ in picture.feed_types(lambda name: event_type_name(lang, name))]
    top, rest = ranked[:FEED_TOP], ranked[FEED_TOP:]
    out = [
        (colour, event_type_name(lang, name), picture.feed[name])
        for colour, name in zip(OKABE_ITO, top, strict=False)
    ]
    if rest:
        weeks = picture.period.weeks
        other = [sum(picture.feed[name][w] for name in rest) for w in range(weeks)]
        out.append((OTHER_COLOUR, t_plain(lang, "lagesbild.feed.other"), other))
    return out


def _set_weeks(template: _Template, labels: tuple[str, ...]) -> None:
    if template.weeks == labels:  # every chart of a round has the same weeks
        return
    step = max(1, math.ceil(len(labels) / 7))  # at most 7 tick labels: legible on a phone
    ticks = list(range(0, len(labels), step))
    for panel in template.panels.values():
        panel.ax.set_xticks(ticks, [labels[i] for i in ticks])
        panel.ax.set_xlim(-0.6, len(labels) - 0.4)
    template.weeks = labels
    template.background = None


def _draw(template: _Template) -> None:
    """Draw the chart into the canvas: the kept background (axes, x axes and panel titles,
    drawn once per language and set of weeks: a round's 290 charts share them) and over
    it what changes. Drawing each text costs a layout and a glyph rendering."""
    canvas = template.canvas
    changing = template.changing()
    if template.background is None:
        shown = [(artist, artist.get_visible()) for _, artist in changing]
        for artist, _ in shown:
            artist.set_visible(False)
        canvas.draw()
        template.background = canvas.copy_from_bbox(template.fig.bbox)
        for artist, visible in shown:
            artist.set_visible(visible)
    canvas.restore_region(template.background)
    renderer = canvas.get_renderer()
    for _, artist in changing:
        if artist.get_visible():
            artist.draw(renderer)


def _png(template: _Template) -> bytes:
    canvas = template.canvas
    _draw(template)
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    # From RGB, so the palette PNG has no transparency chunk (the chart is opaque).
    palette = image.convert("RGB").quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    palette.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def render_chart(picture: Lagesbild, lang: str, title: str) -> bytes:
    """The lägesbild chart as PNG bytes (1080 × 1350): observations per week by category,
    the medborgarlöfte's focus areas per week, the police's feed events per week by the
    police's own type, named in `lang` (the FEED_TOP most frequent, the rest as one).
    `title` may have two lines (a name, then the period, drawn smaller). The x axis names
    the period's ISO weeks ("v. 48")."""
    labels = tuple(week_labels(picture.period, lang))
    weeks = len(labels)
    with _lock:
        template = _templates.get(lang) or _templates.setdefault(lang, _new_template(lang))
        name, _, period = title.partition("\n")
        template.title.set_text(name)
        template.subtitle.set_text(period)
        _set_bars(template.panels["obs"], _observation_series(picture, lang), weeks)
        focus = template.panels["focus"]
        top = 0
        entries = []
        for area, line in template.lines.items():
            obs, feed = picture.focus(area)
            total = [a + b for a, b in zip(obs, feed, strict=True)]
            top = max(top, *total)
            line.set_data(range(weeks), total)
            line.set_marker("o" if weeks <= 13 else "None")
            label = t_plain(lang, f"lagesbild.focus.{area}")
            entries.append((FOCUS_COLOURS[area], label, sum(total)))
        focus.ax.set_ylim(0, max(4, top * 1.15))
        _set_keys(focus, entries)
        _set_bars(template.panels["feed"], _feed_series(picture, lang), weeks)
        _set_weeks(template, labels)
        template.footer.set_text(
            t_plain(
                lang,
                "lagesbild.chart.footer",
                count=picture.alerts.alerts,
                seen=picture.alerts.seen,
            )
        )
        return _png(template)
