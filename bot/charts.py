"""The lägesbild's map as a PNG, drawn with matplotlib's headless Agg backend (the chart:
bot/lagesbild_chart.py).

Imported only when something is drawn (bot/services/lagesbild_render.py imports it
lazily), so starting the bot or the CLI does not load matplotlib.

Made for a phone: portrait 1080 × 1350 px (Telegram shows 4:5 photos whole), large type,
viridis for the map. Labels come from the catalog in the person's language. Only
:class:`bot.services.lagesbild.HeatGrid` counts are drawn.

Figures are built with the object API (no pyplot, no global state) and rendering is
serialised by a lock, so it is safe from `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import math
import threading

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import MaxNLocator

from bot.i18n import t_plain
from bot.services.lagesbild import MIN_CELL, HeatGrid

WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 150
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_lock = threading.Lock()
_FONT = {"title": 15, "label": 12, "tick": 11, "legend": 10}


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
