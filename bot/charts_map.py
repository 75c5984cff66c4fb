"""The lägesbild's heat-grid map as a PNG, drawn offline with matplotlib's Agg backend.

Imported only when a map is drawn (bot/services/lagesbild_render.py imports it lazily).
It draws a :class:`bot.services.lagesbild_map.HeatGrid` and nothing else: counts per
≥ 500 m cell, cells under MIN_CELL already dropped (see that module for the grid rule).

Made for a phone: portrait 1080 × 1350 px, large type. The map is framed on the kommun
border's bounding box with a small margin, east–west stretched by 1/cos(latitude) so that
a kilometre is as long east as north; the border is drawn with its islands and holes
(non-zero fill, holes wound the other way); cells are coloured on reversed viridis (more
observations darker; readable with the common colour-vision deficiencies and in grey) and
clipped to the map; a scale bar in km and a north arrow. No tiles, no network.

Figures are built with the object API and drawing is serialised by a lock, so it is safe
from `asyncio.to_thread`.
"""

from __future__ import annotations

import io
import math
import threading

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from bot.i18n import t_plain
from bot.services.kommun_outline import Bounds, OutlinePolygon
from bot.services.lagesbild_map import MIN_CELL, HeatGrid

WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 150
MAP_BOX = (0.04, 0.215, 0.92, 0.665)  # the map's axes: left, bottom, width, height (figure)
MARGIN = 0.05  # of the border's extent, around it
MIN_CELL_PX = 6  # cells narrower than this on the map get a zoomed view beside them
KM_PER_DEGREE = 111.32
SCALE_KM = (0.5, 1, 2, 5, 10, 20, 50, 100, 200)
FILL, EDGE, APPROXIMATE_EDGE = "#eeeeee", "#222222", "#555555"
_FONT = {"title": 17, "label": 12, "tick": 11, "legend": 10}
_HEAT = LinearSegmentedColormap.from_list(
    "heat", ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
)  # viridis reversed: more observations darker, readable in grey too

_lock = threading.Lock()
_kept: list[Figure] = []


def _figure() -> Figure:
    """The kept, cleared figure (under _lock): its Agg renderer keeps matplotlib's cache of
    text measurements between maps."""
    if not _kept:
        fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        _kept.append(fig)
    _kept[0].clear()
    return _kept[0]


def _border_path(polygons: tuple[OutlinePolygon, ...]) -> Path:
    """One compound path of every ring (exteriors and holes), each closed."""
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.holes):
            if len(ring) < 4:  # a closed ring needs three corners and the repeat
                continue
            vertices += ring
            codes += [int(Path.MOVETO), *[int(Path.LINETO)] * (len(ring) - 2), int(Path.CLOSEPOLY)]
    return Path(vertices, codes)


def _frame(grid: HeatGrid) -> Bounds:
    """What the map shows before the margin: the border's box, else the cells', else a
    small box in Sölvesborg (nothing to show at all)."""
    if grid.frame is not None:
        return grid.frame
    boxes = [grid.cell_bounds(r, c) for r, c in grid.cells]
    if boxes:
        out = boxes[0]
        for box in boxes[1:]:
            out = out.union(box)
        return out
    return Bounds(14.5, 56.0, 14.8, 56.2)


def _limits(
    frame: Bounds,
    pad: tuple[float, float],
    mid_lat: float,
    box: tuple[float, float, float, float] = MAP_BOX,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(x limits, y limits): `frame` with `pad` (degrees east, north) around it, widened
    on one axis so that, with a kilometre as long east as north, it fills `box` (figure
    fractions: left, bottom, width, height) exactly."""
    x0, x1 = frame.west - pad[0], frame.east + pad[0]
    y0, y1 = frame.south - pad[1], frame.north + pad[1]
    screen = (box[2] * WIDTH_PX) / (box[3] * HEIGHT_PX)  # width / height on screen
    shown = (x1 - x0) * math.cos(math.radians(mid_lat)) / (y1 - y0)  # km east / km north
    if shown < screen:  # too narrow: widen east-west
        extra = (x1 - x0) * (screen / shown - 1) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (y1 - y0) * (shown / screen - 1) / 2
        y0, y1 = y0 - extra, y1 + extra
    return (x0, x1), (y0, y1)


def map_limits(grid: HeatGrid) -> tuple[tuple[float, float], tuple[float, float]]:
    """The main map's (x limits, y limits): the frame with MARGIN, filling MAP_BOX."""
    frame = _frame(grid)
    pad = (
        max((frame.east - frame.west) * MARGIN, grid.lon_step),
        max((frame.north - frame.south) * MARGIN, grid.lat_step),
    )
    return _limits(frame, pad, (frame.south + frame.north) / 2)


def _scale_bar(ax: Axes, mid_lat: float) -> None:
    """A two-part black-and-white bar of a round length (about a quarter of the map's width),
    lower left, on a white backing so it reads over the border's fill."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    km_per_lon = KM_PER_DEGREE * math.cos(math.radians(mid_lat))
    width_km = (x1 - x0) * km_per_lon
    km = max([k for k in SCALE_KM if k <= width_km / 4] or [SCALE_KM[0]])
    length = km / km_per_lon
    left, bottom, height = x0 + (x1 - x0) * 0.05, y0 + (y1 - y0) * 0.035, (y1 - y0) * 0.012
    ax.add_patch(
        Rectangle(
            (left - (x1 - x0) * 0.015, bottom - height * 1.2),
            length + (x1 - x0) * 0.03,
            height * 5.2,
            facecolor="white",
            edgecolor="#999999",
            linewidth=0.6,
            alpha=0.9,
            zorder=5,
        )
    )
    for i, colour in enumerate(("#000000", "#ffffff")):
        ax.add_patch(
            Rectangle(
                (left + i * length / 2, bottom),
                length / 2,
                height,
                facecolor=colour,
                edgecolor="#000000",
                linewidth=0.8,
                zorder=6,
            )
        )
    label = "500 m" if km < 1 else f"{km:g} km"
    ax.text(
        left + length / 2,
        bottom + height * 1.6,
        label,
        ha="center",
        va="bottom",
        fontsize=_FONT["label"],
        zorder=6,
    )


def _north_arrow(ax: Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.93, 0.97),
        xytext=(0.93, 0.86),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="top",
        fontsize=_FONT["label"] + 2,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 11, "headlength": 10},
        zorder=6,
    )


def _map_axes(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> float:
    """Limits, aspect and a plain frame; returns the middle latitude."""
    mid_lat = (ylim[0] + ylim[1]) / 2
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    # A degree east is cos(latitude) of a degree north (the limits already fit the box).
    ax.set_aspect(1 / math.cos(math.radians(mid_lat)), adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
    return mid_lat


def _layers(ax: Axes, grid: HeatGrid, norm: Normalize) -> PolyCollection | None:
    """The border's fill, the cells, the border's line over them; returns the cells."""
    path = _border_path(grid.outline) if grid.outline else None
    if path is not None:
        ax.add_patch(PathPatch(path, facecolor=FILL, edgecolor="none", zorder=1))
        ax.add_patch(
            PathPatch(
                path,
                facecolor="none",
                edgecolor=EDGE if grid.outline_exact else APPROXIMATE_EDGE,
                linewidth=1.5,
                linestyle="-" if grid.outline_exact else "--",
                zorder=3,
            )
        )
    if not grid.cells:
        return None
    cells = sorted(grid.cells.items())
    verts = []
    for (row, col), _ in cells:
        b = grid.cell_bounds(row, col)
        verts.append([(b.west, b.south), (b.east, b.south), (b.east, b.north), (b.west, b.north)])
    mesh = PolyCollection(
        verts, array=[n for _, n in cells], cmap=_HEAT, norm=norm, edgecolors="#444444"
    )
    mesh.set_linewidth(0.3)
    mesh.set_zorder(2)
    ax.add_collection(mesh, autolim=False)  # clipped to the axes
    return mesh


def _inset(ax: Axes, grid: HeatGrid, norm: Normalize) -> None:
    """When cells would be specks (a large kommun), a zoomed view of the cells' area in the
    corner (lower right or upper left) away from them, marked on the map."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    cell_px = grid.lon_step / (x1 - x0) * MAP_BOX[2] * WIDTH_PX
    if not grid.cells or cell_px >= MIN_CELL_PX:
        return
    boxes = [grid.cell_bounds(r, c) for r, c in grid.cells]
    area = boxes[0]
    for cell in boxes[1:]:
        area = area.union(cell)
    pad = (
        max((area.east - area.west) * 0.15, 3 * grid.lon_step),
        max((area.north - area.south) * 0.15, 3 * grid.lat_step),
    )
    centre_y = ((area.south + area.north) / 2 - y0) / (y1 - y0)
    left, bottom = (0.015, 0.5) if centre_y < 0.5 else (0.545, 0.015)
    size = 0.44
    screen = (
        MAP_BOX[0] + left * MAP_BOX[2],
        MAP_BOX[1] + bottom * MAP_BOX[3],
        size * MAP_BOX[2],
        size * MAP_BOX[3],
    )
    xlim, ylim = _limits(area, pad, (area.south + area.north) / 2, screen)
    if (xlim[1] - xlim[0]) * 3 > x1 - x0:  # not worth a zoom
        return
    inset = ax.inset_axes((left, bottom, size, size))
    inset.set_facecolor("white")
    mid_lat = _map_axes(inset, xlim, ylim)
    for spine in inset.spines.values():
        spine.set_edgecolor("#000000")
        spine.set_linewidth(1.2)
    _layers(inset, grid, norm)
    _scale_bar(inset, mid_lat)
    ax.indicate_inset_zoom(inset, edgecolor="#000000", alpha=0.9)


def render_map(grid: HeatGrid, lang: str, title: str) -> bytes:
    """The heat-grid map as PNG bytes (1080 × 1350): cells of ≥ 500 m with at least
    MIN_CELL observations over the kommun border (or the approximate area when the border
    is unknown), a scale bar, a north arrow, and a zoomed view when cells are too small to
    see; no tiles, no network."""
    with _lock:
        fig = _figure()
        fig.text(0.02, 0.985, title, fontsize=_FONT["title"], fontweight="bold", va="top")
        ax = fig.add_axes(MAP_BOX)
        xlim, ylim = map_limits(grid)
        mid_lat = _map_axes(ax, xlim, ylim)
        # cells below MIN_CELL never reach here, so the scale starts there
        norm = Normalize(MIN_CELL, max(max(grid.cells.values(), default=0), MIN_CELL + 1))
        mesh = _layers(ax, grid, norm)
        outside = 0
        for (row, col), n in grid.cells.items():
            b = grid.cell_bounds(row, col)
            if b.east <= xlim[0] or b.west >= xlim[1] or b.north <= ylim[0] or b.south >= ylim[1]:
                outside += n
        if mesh is not None:
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
                color="#333333",
                wrap=True,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                zorder=6,
            )
        _scale_bar(ax, mid_lat)
        _north_arrow(ax)
        _inset(ax, grid, norm)
        if grid.outline:
            edge = EDGE if grid.outline_exact else APPROXIMATE_EDGE
            key = "lagesbild.map.border" if grid.outline_exact else "lagesbild.map.outline"
            sample = PathPatch(
                Path([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], closed=True),
                facecolor=FILL,
                edgecolor=edge,
                linestyle="-" if grid.outline_exact else "--",
                label=t_plain(lang, key),
            )
            fig.legend(
                handles=[sample],
                loc="lower left",
                bbox_to_anchor=(0.02, 0.045),
                fontsize=_FONT["legend"],
                frameon=False,
            )
        footer = [t_plain(lang, "lagesbild.map.footer")]
        if outside:
            footer.append(t_plain(lang, "lagesbild.map.outside", count=outside))
        if grid.outline_exact:
            footer.append(t_plain(lang, "lagesbild.map.source"))
        fig.text(
            0.02, 0.008, "\n".join(footer), fontsize=_FONT["legend"], color="#444444", va="bottom"
        )
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
        return buffer.getvalue()
