"""PNG charts and maps of the lägesbild, drawn with matplotlib's headless Agg backend.

Imported only when something is drawn (bot/services/lagesbild_render.py imports it
lazily), so starting the bot or the CLI does not load matplotlib.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from bot.i18n import t_plain
from bot.services.lagesbild import (
    FEED_CATEGORIES,
    FOCUS_AREAS,
    MIN_CELL,
    OBS_CATEGORIES,
    HeatGrid,
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


_figures: dict[str, Figure] = {}


def _figure(kind: str) -> Figure:
    """A cleared figure of `kind`, kept between calls (under _lock): its Agg renderer is
    kept too, and with it matplotlib's cache of text measurements, which is most of the
    cost of drawing a chart with ~150 labels (a week round draws one per kommun)."""
    fig = _figures.get(kind)
    if fig is None:
        fig = _figures[kind] = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
    fig.clear()
    return fig


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


_HEAT = LinearSegmentedColormap.from_list(
    "heat", ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
)  # viridis reversed: more observations darker, readable in grey too


def render_map(grid: HeatGrid, lang: str, title: str) -> bytes:
    """The heat-grid map as PNG bytes (1080 × 1350): cells of ≥ 500 m with at least
    MIN_CELL observations over the scope's approximate outline; no tiles, no network."""
    with _lock:
        fig = _figure("map")
        fig.text(0.02, 0.985, title, fontsize=17, fontweight="bold", va="top")
        ax = fig.add_axes((0.13, 0.22, 0.83, 0.64))
        lats = [p[1] for p in grid.outline] or [r * grid.lat_step for r, _ in grid.cells]
        mid = (min(lats) + max(lats)) / 2 if lats else 60.0
        ax.set_aspect(1 / math.cos(math.radians(mid)))  # a degree east is shorter than north
        if grid.outline:
            ax.add_patch(
                Polygon(
                    grid.outline,
                    closed=True,
                    facecolor="#f2f2f2",
                    edgecolor="#333333",
                    linewidth=1.6,
                    linestyle="--",
                )
            )
            fig.legend(
                handles=[
                    Patch(
                        facecolor="#f2f2f2",
                        edgecolor="#333333",
                        linestyle="--",
                        label=t_plain(lang, "lagesbild.map.outline"),
                    )
                ],
                loc="lower left",
                bbox_to_anchor=(0.02, 0.035),
                fontsize=_FONT["legend"],
                frameon=False,
            )
        if grid.cells:
            # cells below MIN_CELL never reach here, so the scale starts there
            norm = Normalize(MIN_CELL, max(max(grid.cells.values()), MIN_CELL + 1))
            cells = sorted(grid.cells.items())
            verts = []
            for (row, col), _ in cells:
                x, y = col * grid.lon_step, row * grid.lat_step
                dx, dy = grid.lon_step, grid.lat_step
                verts.append([(x, y), (x + dx, y), (x + dx, y + dy), (x, y + dy)])
            mesh = PolyCollection(
                verts, array=[n for _, n in cells], cmap=_HEAT, norm=norm, edgecolors="#444444"
            )
            mesh.set_linewidth(0.3)
            ax.add_collection(mesh)
            bar = fig.colorbar(
                mesh, cax=fig.add_axes((0.15, 0.135, 0.7, 0.022)), orientation="horizontal"
            )
            bar.set_label(t_plain(lang, "lagesbild.map.legend"), fontsize=_FONT["label"])
            bar.ax.tick_params(labelsize=_FONT["tick"])
            bar.ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
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
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        fig.text(
            0.02,
            0.008,
            t_plain(lang, "lagesbild.map.footer"),
            fontsize=_FONT["legend"],
            color="#444444",
        )
        return _png(fig)
