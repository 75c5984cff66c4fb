"""The rules for residents' observations: validation, who may see and change what, saving.

No Telegram types here: handlers pass plain values and render the results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.services.roles import Access, access_of
from config import Settings
from storage import groups as group_store
from storage import observations as store
from storage import roles as role_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.observations import NewObservation, Observation, Photo

# Category name in storage -> short code used in callback data.
CATEGORIES: dict[str, str] = {
    "suspicious_person": "sp",
    "suspicious_vehicle": "sv",
    "burglary": "bu",
    "theft": "th",
    "vehicle_crime": "vc",
    "vandalism": "va",
    "drugs": "dr",
    "traffic": "tr",
    "other": "ot",
}
CATEGORY_BY_CODE = {code: name for name, code in CATEGORIES.items()}
STATUSES = ("new", "reviewed", "forwarded", "closed")
STATUS_CODES = {"n": "new", "r": "reviewed", "f": "forwarded", "c": "closed"}
STATUS_CODE_OF = {name: code for code, name in STATUS_CODES.items()}
PERIODS = (7, 30, 365, 0)  # days; 0 = everything

MAX_DESCRIPTION = 2000
MAX_PLACE = 200
MAX_NOTE = 1000
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PAGE_SIZE = 5
FUTURE_SLACK = timedelta(minutes=5)
OLDEST = timedelta(days=365)

# Sweden's bounding box with a margin of about half a degree.
LAT_RANGE = (54.5, 70.0)
LON_RANGE = (10.0, 25.0)


def in_sweden(latitude: float, longitude: float) -> bool:
    """True when a location is in or near Sweden (a generous bounding box)."""
    return LAT_RANGE[0] <= latitude <= LAT_RANGE[1] and LON_RANGE[0] <= longitude <= LON_RANGE[1]


def stored_location(latitude: float, longitude: float, exact: bool) -> tuple[float, float]:
    """The location as stored: rounded to 3 decimals (about 100 m) unless exact."""
    if exact:
        return latitude, longitude
    return round(latitude, 3), round(longitude, 3)


class WhenError(StrEnum):
    FORMAT = "format"
    FUTURE = "future"
    TOO_OLD = "too_old"


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_DATE_TIME = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2}))\s+(\d{1,2})[:.](\d{2})\s*$"
)


def _check_moment(moment: datetime, now: datetime) -> datetime | WhenError:
    if moment > now + FUTURE_SLACK:
        return WhenError.FUTURE
    if moment < now - OLDEST:
        return WhenError.TOO_OLD
    return min(moment, now)


def parse_time_today(text: str, now: datetime, tz: ZoneInfo) -> datetime | WhenError:
    """'HH:MM' earlier today (local time), not in the future."""
    match = _TIME.match(text)
    if not match:
        return WhenError.FORMAT
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return WhenError.FORMAT
    local = now.astimezone(tz).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return _check_moment(local, now)


def parse_day_time(text: str, now: datetime, tz: ZoneInfo) -> datetime | WhenError:
    """'YYYY-MM-DD HH:MM' or 'D/M HH:MM' (this year) in local time, not in the future."""
    match = _DATE_TIME.match(text)
    if not match:
        return WhenError.FORMAT
    iso_y, iso_m, iso_d, dm_d, dm_m, hour, minute = match.groups()
    local_now = now.astimezone(tz)
    try:
        if iso_y:
            moment = datetime(int(iso_y), int(iso_m), int(iso_d), int(hour), int(minute), tzinfo=tz)
        else:
            moment = datetime(
                local_now.year, int(dm_m), int(dm_d), int(hour), int(minute), tzinfo=tz
            )
    except ValueError:
        return WhenError.FORMAT
    return _check_moment(moment, now)


@dataclass
class ReportDraft:
    """What the resident has filled in so far (kept in the dialogue's user_data)."""

    group_id: int | None = None
    category: str | None = None
    observed_at: datetime | None = None
    place_text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_exact: bool = False
    description: str | None = None
    photos: list[Photo] = field(default_factory=list)
    show_identity: bool | None = None

    @property
    def complete(self) -> bool:
        has_place = self.place_text is not None or self.latitude is not None
        return (
            self.group_id is not None
            and self.category in CATEGORIES
            and self.observed_at is not None
            and has_place
            and bool(self.description)
            and self.show_identity is not None
        )


class SubmitOutcome(StrEnum):
    SAVED = "saved"
    RATE_LIMITED = "rate_limited"
    NOT_MEMBER = "not_member"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class SubmitResult:
    outcome: SubmitOutcome
    observation_id: int | None = None
    reference: str | None = None
    coordinators: tuple[int, ...] = ()


async def reporting_groups(db: Database, user_id: int) -> list[GroupRecord]:
    """Registered groups a resident belongs to (where they can report)."""
    return await group_store.groups_of_member(db, user_id)


async def rate_limited(db: Database, settings: Settings, clock: Clock, user_id: int) -> bool:
    """True when the resident already filed `reports_per_hour` reports in the last hour."""
    since = clock.now() - timedelta(hours=1)
    return await store.count_recent(db, user_id, since) >= settings.reports_per_hour


async def coordinators_of(db: Database, group_id: int) -> list[int]:
    """User ids of a group's coordinators."""
    return await role_store.holders(db, "coordinator", str(group_id))


async def police_of(db: Database, kommun_code: str) -> list[int]:
    """User ids of the police officers of a kommun."""
    return await role_store.holders(db, "police", kommun_code)


async def submit(
    db: Database, settings: Settings, clock: Clock, user_id: int, draft: ReportDraft
) -> SubmitResult:
    """Validate membership again and save the report in one transaction."""
    if not draft.complete:
        return SubmitResult(SubmitOutcome.INCOMPLETE)
    assert draft.group_id is not None and draft.observed_at is not None
    group = await group_store.get_group(db, draft.group_id)
    if (
        group is None
        or not group.is_registered
        or not await group_store.is_member(db, group.id, user_id)
    ):
        return SubmitResult(SubmitOutcome.NOT_MEMBER)
    now = clock.now()
    new = NewObservation(
        group_id=group.id,
        kommun_code=group.kommun_code,
        reporter_id=user_id,
        show_identity=bool(draft.show_identity),
        category=draft.category or "other",
        observed_at=draft.observed_at,
        place_text=draft.place_text,
        latitude=draft.latitude,
        longitude=draft.longitude,
        location_exact=draft.location_exact,
        description=draft.description or "",
        photos=tuple(draft.photos[:MAX_PHOTOS]),
    )
    saved = await store.create_observation(
        db,
        new,
        now,
        year=now.astimezone(settings.tzinfo).year,
        rate_since=now - timedelta(hours=1),
        rate_limit=settings.reports_per_hour,
    )
    if saved is None:
        return SubmitResult(SubmitOutcome.RATE_LIMITED)
    obs_id, reference = saved
    return SubmitResult(
        SubmitOutcome.SAVED, obs_id, reference, tuple(await coordinators_of(db, group.id))
    )


# --------------------------------------------------------------------- who may see what


class Viewer(StrEnum):
    RESIDENT = "resident"
    COORDINATOR = "coordinator"
    POLICE = "police"


def may_view(access: Access, obs: Observation, viewer: Viewer) -> bool:
    """Whether a person may see an observation in the given role."""
    if viewer is Viewer.RESIDENT:
        return obs.reporter_id == access.user_id
    if viewer is Viewer.COORDINATOR:
        return obs.status != "withdrawn" and access.coordinates(obs.group_id)
    return obs.forward_kommun is not None and access.polices(obs.forward_kommun)


async def load_for(
    db: Database, settings: Settings, user_id: int, obs_id: int, viewer: Viewer
) -> tuple[Observation | None, Access]:
    """The observation if this person may see it as `viewer` (re-read from storage)."""
    access = await access_of(db, settings, user_id)
    obs = await store.get_observation(db, obs_id)
    if obs is None or not may_view(access, obs, viewer):
        return None, access
    return obs, access


class ActionOutcome(StrEnum):
    DONE = "done"
    NOT_ALLOWED = "not_allowed"
    STALE = "stale"  # the observation is not (any longer) in a state that allows it
    NO_KOMMUN = "no_kommun"


@dataclass(frozen=True)
class ActionResult:
    outcome: ActionOutcome
    observation: Observation | None = None
    police: tuple[int, ...] = ()


# Coordinator actions: target status and the statuses it may come from.
TRANSITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "reviewed": ("reviewed", ("new",)),
    "closed": ("closed", ("new", "reviewed", "forwarded")),
}


async def coordinator_action(
    db: Database, settings: Settings, clock: Clock, user_id: int, obs_id: int, action: str
) -> ActionResult:
    """Mark reviewed / closed, or forward to the police of the group's kommun."""
    obs, _ = await load_for(db, settings, user_id, obs_id, Viewer.COORDINATOR)
    if obs is None:
        return ActionResult(ActionOutcome.NOT_ALLOWED)
    now = clock.now()
    if action == "forward":
        if obs.kommun_code is None:
            return ActionResult(ActionOutcome.NO_KOMMUN, obs)
        if not await store.forward(db, obs.id, obs.kommun_code, user_id, now):
            return ActionResult(ActionOutcome.STALE, obs)
        police = tuple(await police_of(db, obs.kommun_code))
        return ActionResult(ActionOutcome.DONE, await store.get_observation(db, obs.id), police)
    if action not in TRANSITIONS:
        return ActionResult(ActionOutcome.NOT_ALLOWED)
    status, sources = TRANSITIONS[action]
    if not await store.set_status(db, obs.id, sources, status, now):
        return ActionResult(ActionOutcome.STALE, obs)
    return ActionResult(ActionOutcome.DONE, await store.get_observation(db, obs.id))


async def add_note(
    db: Database, settings: Settings, clock: Clock, user_id: int, obs_id: int, text: str
) -> ActionResult:
    """A coordinator adds a short note (checked again at save time)."""
    obs, _ = await load_for(db, settings, user_id, obs_id, Viewer.COORDINATOR)
    if obs is None:
        return ActionResult(ActionOutcome.NOT_ALLOWED)
    await store.add_note(db, obs.id, user_id, text.strip()[:MAX_NOTE], clock.now())
    return ActionResult(ActionOutcome.DONE, await store.get_observation(db, obs.id))


async def mark_handled(
    db: Database, settings: Settings, clock: Clock, user_id: int, obs_id: int
) -> ActionResult:
    """A police officer marks a forwarded observation handled."""
    obs, _ = await load_for(db, settings, user_id, obs_id, Viewer.POLICE)
    if obs is None:
        return ActionResult(ActionOutcome.NOT_ALLOWED)
    if not await store.mark_handled(db, obs.id, user_id, clock.now()):
        return ActionResult(ActionOutcome.STALE, obs)
    return ActionResult(ActionOutcome.DONE, await store.get_observation(db, obs.id))


async def withdraw(db: Database, clock: Clock, user_id: int, obs_id: int) -> ActionOutcome:
    """The resident withdraws their own report while it is still new."""
    obs = await store.get_observation(db, obs_id)
    if obs is None or obs.reporter_id != user_id:
        return ActionOutcome.NOT_ALLOWED
    if not await store.withdraw(db, obs_id, user_id, clock.now()):
        return ActionOutcome.STALE
    return ActionOutcome.DONE


# --------------------------------------------------------------------- listings


@dataclass(frozen=True)
class ListFilter:
    """The coordinator listing's filter, as carried in callback data."""

    status: str | None = None  # one of STATUSES, None = all
    category: str | None = None  # one of CATEGORIES, None = all
    period: int = 30  # days, 0 = all
    page: int = 0

    def to_data(self) -> str:
        """`obs:l:<status>:<cat>:<period>:<page>` (well under 64 bytes)."""
        status = STATUS_CODE_OF.get(self.status or "", "a")
        cat = CATEGORIES.get(self.category or "", "a")
        return f"obs:l:{status}:{cat}:{self.period}:{self.page}"

    @classmethod
    def from_data(cls, data: str) -> ListFilter | None:
        """Parse callback data; None when it is malformed (forged)."""
        parts = data.split(":")
        if len(parts) != 6 or parts[:2] != ["obs", "l"]:
            return None
        _, _, status, cat, period, page = parts
        if status != "a" and status not in STATUS_CODES:
            return None
        if cat != "a" and cat not in CATEGORY_BY_CODE:
            return None
        if not period.isdigit() or int(period) not in PERIODS:
            return None
        if not page.isdigit() or int(page) > 10_000:
            return None
        return cls(STATUS_CODES.get(status), CATEGORY_BY_CODE.get(cat), int(period), int(page))


@dataclass(frozen=True)
class Page:
    items: list[store.ListItem]
    has_next: bool
    areas: dict[int, str]


async def coordinator_page(
    db: Database, settings: Settings, clock: Clock, user_id: int, flt: ListFilter
) -> Page | None:
    """A page of the person's groups' observations, or None if they coordinate no group."""
    access = await access_of(db, settings, user_id)
    if not access.coordinator_of:
        return None
    since = clock.now() - timedelta(days=flt.period) if flt.period else None
    rows = await store.list_for_groups(
        db,
        access.coordinator_of,
        status=flt.status,
        category=flt.category,
        since=since,
        limit=PAGE_SIZE + 1,
        offset=flt.page * PAGE_SIZE,
    )
    return Page(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, await _areas(db, rows))


async def inbox_page(db: Database, settings: Settings, user_id: int, page: int) -> Page | None:
    """A page of the police inbox, or None if the person is no police officer."""
    access = await access_of(db, settings, user_id)
    if not access.police_kommuner:
        return None
    rows = await store.inbox(
        db, access.police_kommuner, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE
    )
    return Page(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, await _areas(db, rows))


async def own_reports(db: Database, user_id: int, limit: int = 10) -> Page:
    """The resident's own latest reports."""
    rows = await store.list_for_reporter(db, user_id, limit)
    return Page(rows, False, await _areas(db, rows))


async def _areas(db: Database, rows: list[store.ListItem]) -> dict[int, str]:
    areas: dict[int, str] = {}
    for group_id in {row.group_id for row in rows}:
        group = await group_store.get_group(db, group_id)
        areas[group_id] = (group.area_name or group.title) if group else "?"
    return areas
