"""Where groups are, and which groups are near a place (issue #14).

A group's centre is stored rounded to `DECIMALS` (3) decimals: about 110 m north–south and
60 m east–west in southern Sweden (≈ 50 m at Kiruna), so the database never holds a
coordinator's exact position. Distances are great-circle (haversine) distances in metres on
a sphere of radius `EARTH_RADIUS_M`.

**Which groups are near a place** (`groups_near`): a group matches when its area, the
circle of its own radius around its centre, reaches into the chosen circle, i.e.
`distance(place, centre) − group radius ≤ chosen radius`, the distance rounded to whole
metres first. Equality counts as inside (a group exactly on the boundary is chosen), and the
rounding keeps floating-point noise from deciding it. Groups without a place never match.

No offline Swedish street or postcode dataset is available as a well-kept package (the
ones that exist download GeoNames data at run time), so a typed address is resolved
against the names of the kommun's groups only (`resolve_text`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from bot.services.group_input import split_area_and_kommun
from bot.services.kommuner import find_kommun_by_name, match_kommuner, normalize_name
from bot.services.observation_input import in_sweden
from bot.services.refusals import Refused
from bot.services.roles import Access, Actor, ChatAdminCheck, actor_id, require_group_manager
from storage import groups as group_store
from storage import places as place_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.places import GroupPlace

DECIMALS = 3
EARTH_RADIUS_M = 6_371_000.0
DEFAULT_RADIUS_M = 1000
MAX_GROUP_RADIUS_M = 20_000
SEARCH_RADII_M = (500, 1000, 3000, 5000)
"""The radii an officer may choose when targeting by place."""


def round_coordinate(value: float) -> float:
    """A latitude or longitude rounded to `DECIMALS` decimals (see the module docstring)."""
    return round(value, DECIMALS)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def parse_radius(text: str) -> int | None:
    """'1', '1 km', '1,5 km', '800 m', '800' → metres (a bare number ≥ 50 is metres, a
    smaller one kilometres); None for anything else or a radius outside 100 m–20 km."""
    raw = text.strip().lower().replace(",", ".").replace(" ", "")
    unit = 1.0
    if raw.endswith("km"):
        raw, unit = raw[:-2], 1000.0
    elif raw.endswith("m"):
        raw = raw[:-1]
    try:
        number = float(raw)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if unit == 1.0 and number < 50:
        unit = 1000.0
    metres = round(number * unit)
    return metres if 100 <= metres <= MAX_GROUP_RADIUS_M else None


async def set_group_place(
    db: Database,
    now: datetime,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    latitude: float,
    longitude: float,
    radius_m: int = DEFAULT_RADIUS_M,
) -> GroupPlace:
    """Store a group's centre (rounded) and radius (metres). Refused unless the actor
    manages the group, for a centre outside Sweden (`places.outside_sweden`) or a radius
    out of range (`places.bad_place`)."""
    await require_group_manager(db, is_chat_admin, actor, group_id)
    if not in_sweden(latitude, longitude):  # also every impossible latitude or longitude
        raise Refused("places.outside_sweden")
    if not 0 < radius_m <= MAX_GROUP_RADIUS_M:
        raise Refused("places.bad_place")
    place = GroupPlace(group_id, round_coordinate(latitude), round_coordinate(longitude), radius_m)
    await place_store.set_place(db, group_id, place, actor_id(actor), now)
    return place


async def remove_group_place(
    db: Database, now: datetime, actor: Actor, is_chat_admin: ChatAdminCheck, group_id: int
) -> bool:
    """Forget a group's place; refused unless the actor manages the group."""
    await require_group_manager(db, is_chat_admin, actor, group_id)
    return await place_store.remove_place(db, group_id, actor_id(actor), now)


async def group_place(db: Database, group_id: int) -> GroupPlace | None:
    return await place_store.get_place(db, group_id)


@dataclass(frozen=True)
class NearGroup:
    """A group near a place: how far its centre is (whole metres) and its known members."""

    group: GroupRecord
    distance_m: int
    members: int


def matches(place: GroupPlace, latitude: float, longitude: float, radius_m: int) -> int | None:
    """The distance (whole metres) from the point to the group's centre if the group is
    near it under the module's rule, else None."""
    distance = round(distance_m(latitude, longitude, place.latitude, place.longitude))
    return distance if distance - place.radius_m <= radius_m else None


def _scope(access: Access) -> list[str] | None:
    return None if access.is_admin else sorted(access.police_kommuner)


async def groups_near(
    db: Database, access: Access, latitude: float, longitude: float, radius_m: int
) -> list[NearGroup]:
    """The active groups the person may alert that are near the point, nearest first.
    Refused for a person who may not send alerts or a radius not offered."""
    if not (access.is_admin or access.police_kommuner):
        raise Refused("core.not_allowed")
    if radius_m not in SEARCH_RADII_M:
        raise Refused("core.stale_button")
    groups = await group_store.active_groups(db, _scope(access))
    places = await place_store.places_of(db, [g.id for g in groups])
    found: list[tuple[GroupRecord, int]] = []
    for group in groups:
        place = places.get(group.id)
        distance = None if place is None else matches(place, latitude, longitude, radius_m)
        if distance is not None:
            found.append((group, distance))
    counts = await place_store.member_counts(db, [g.id for g, _ in found])
    found.sort(key=lambda pair: (pair[1], pair[0].id))
    return [NearGroup(g, d, counts.get(g.id, 0)) for g, d in found]


@dataclass(frozen=True)
class Resolved:
    """A typed place: the point it was resolved to and the group whose place that is."""

    latitude: float
    longitude: float
    group: GroupRecord


async def resolve_text(db: Database, access: Access, text: str) -> Resolved:
    """Resolve 'street or area, kommun' against the names of the groups the person may
    alert (the kommun, when given, narrows them) to the place of the best-matching group
    that has one. Refused: `places.kommun_unknown`, `places.not_found`,
    `places.found_without_place` (named groups, none with a place)."""
    what, kommun_text = split_area_and_kommun(text)
    codes = _scope(access)
    if kommun_text:
        kommun = find_kommun_by_name(kommun_text) or next(
            iter(match_kommuner(kommun_text, limit=1)), None
        )
        if kommun is None:
            raise Refused("places.kommun_unknown", name=kommun_text)
        if codes is not None and kommun.code not in codes:
            raise Refused("core.not_allowed")
        codes = [kommun.code]
    needle = normalize_name(what)
    if len(needle) < 2:
        raise Refused("places.not_found", text=text)
    groups = await group_store.active_groups(db, codes)
    named = [
        g
        for g in groups
        if any(
            needle in normalize_name(name) or normalize_name(name) in needle
            for name in (g.area_name, g.title)
            if name and len(normalize_name(name)) >= 2
        )
    ]
    if not named:
        raise Refused("places.not_found", text=text)
    places = await place_store.places_of(db, [g.id for g in named])
    # an exact name first, then the rest in the order of storage
    named.sort(key=lambda g: normalize_name(g.area_name or g.title) != needle)
    for group in named:
        place = places.get(group.id)
        if place is not None:
            return Resolved(place.latitude, place.longitude, group)
    raise Refused("places.found_without_place", text=text)
