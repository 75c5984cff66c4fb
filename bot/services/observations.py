"""The rules for residents' observations: validation, who may see and change what, saving.

No Telegram types here: handlers pass plain values and render the results. Input
validation lives in bot.services.observation_input, listings in
bot.services.observation_listings, viewing and triage actions in
bot.services.observation_actions; their public names are re-exported here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.services import observation_notices as notices
from bot.services.observation_actions import (
    TRANSITIONS,
    ActionOutcome,
    ActionResult,
    Notifier,
    Viewer,
    add_note,
    coordinator_action,
    get_observation,
    load_for,
    mark_handled,
    may_view,
    police_of,
    withdraw,
)
from bot.services.observation_input import (
    CATEGORIES,
    CATEGORY_BY_CODE,
    FUTURE_SLACK,
    LAT_RANGE,
    LON_RANGE,
    MAX_DESCRIPTION,
    MAX_NOTE,
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    MAX_PLACE,
    OLDEST,
    When,
    WhenError,
    WhenNote,
    in_sweden,
    parse_day_time,
    parse_time_today,
    parse_when,
    stored_location,
)
from bot.services.observation_listings import (
    PAGE_SIZE,
    PERIODS,
    STATUS_CODE_OF,
    STATUS_CODES,
    STATUSES,
    ListFilter,
    Page,
    coordinator_page,
    inbox_page,
    own_reports,
)
from bot.services.roles import (
    ChatAdminCheck,
    still_coordinating,
)
from config import Settings
from storage import groups as group_store
from storage import observations as store
from storage import roles as role_store
from storage import users as user_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.observations import NewObservation, Photo
from storage.outbox import OutgoingMessage

__all__ = [
    "CATEGORIES",
    "CATEGORY_BY_CODE",
    "FUTURE_SLACK",
    "LAT_RANGE",
    "LON_RANGE",
    "MAX_DESCRIPTION",
    "MAX_NOTE",
    "MAX_PHOTOS",
    "MAX_PHOTO_BYTES",
    "MAX_PLACE",
    "OLDEST",
    "PAGE_SIZE",
    "PERIODS",
    "STATUSES",
    "STATUS_CODES",
    "STATUS_CODE_OF",
    "TRANSITIONS",
    "ActionOutcome",
    "ActionResult",
    "ListFilter",
    "Notifier",
    "Page",
    "Reach",
    "ReportDraft",
    "SubmitOutcome",
    "SubmitResult",
    "Viewer",
    "When",
    "WhenError",
    "WhenNote",
    "add_note",
    "coordinator_action",
    "coordinator_page",
    "coordinators_of",
    "get_observation",
    "in_sweden",
    "inbox_page",
    "load_for",
    "mark_handled",
    "may_view",
    "own_reports",
    "parse_day_time",
    "parse_time_today",
    "parse_when",
    "police_of",
    "rate_limited",
    "reporting_groups",
    "stored_location",
    "submit",
    "withdraw",
]


@dataclass
class ReportDraft:
    """What the resident has filled in so far (kept in the dialogue's user_data)."""

    group_id: int | None = None
    category: str | None = None
    observed_at: datetime | None = None
    # (WhenNote, "HH:MM" typed) when the typed local time was moved or was ambiguous.
    observed_note: tuple[WhenNote, str] | None = None
    place_text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_exact: bool = False
    description: str | None = None
    photos: list[Photo] = field(default_factory=list)
    show_identity: bool | None = None
    # Names this draft's report: submitting it again returns the stored report.
    idempotency_key: str = field(default_factory=lambda: secrets.token_urlsafe(12))

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
    NOT_MEMBER = "not_member"  # the person is no longer a member of the group
    GROUP_GONE = "group_gone"  # the group is no longer registered
    INCOMPLETE = "incomplete"


class Reach(StrEnum):
    """What a saved report's confirmation can promise, decided when it is saved."""

    REACHED = "reached"  # sent to a coordinator known to have opened the private chat
    WAITING = "waiting"  # no coordinator known to have opened it: they get it when they do
    NO_COORDINATOR = "no_coordinator"  # the group has no coordinator (still an admin)


@dataclass(frozen=True)
class SubmitResult:
    """`reach`: what the resident is told (anything but REACHED comes with 114 14)."""

    outcome: SubmitOutcome
    observation_id: int | None = None
    reference: str | None = None
    reach: Reach = Reach.REACHED


async def reporting_groups(db: Database, user_id: int) -> list[GroupRecord]:
    """Registered groups a resident belongs to (where they can report)."""
    return await group_store.groups_of_member(db, user_id)


async def rate_limited(db: Database, settings: Settings, clock: Clock, user_id: int) -> bool:
    """True when the resident already filed `reports_per_hour` reports in the last hour."""
    since = clock.now() - timedelta(hours=1)
    return await store.count_recent(db, user_id, since) >= settings.reports_per_hour


async def coordinators_of(db: Database, is_chat_admin: ChatAdminCheck, group_id: int) -> list[int]:
    """User ids of a group's coordinators: stored role holders whom Telegram still calls
    admins of the group's chat (a demoted coordinator gets no resident's report)."""
    holders = await role_store.holders(db, "coordinator", str(group_id))
    return await still_coordinating(db, is_chat_admin, group_id, holders)


async def submit(
    db: Database,
    settings: Settings,
    clock: Clock,
    user_id: int,
    draft: ReportDraft,
    notifier: Notifier,
    is_chat_admin: ChatAdminCheck,
) -> SubmitResult:
    """Validate membership again and save the report, with its notifications to the
    group's coordinators (outbox rows, or held for those known unreachable), in one
    transaction. Only coordinators `is_chat_admin` confirms are told (see coordinators_of).
    A draft submitted again (its Send handled twice, e.g. after a crash) gets the report
    stored the first time, not a second one."""
    if not draft.complete:
        return SubmitResult(SubmitOutcome.INCOMPLETE)
    assert draft.group_id is not None and draft.observed_at is not None
    group = await group_store.get_group(db, draft.group_id)
    if group is None or not group.is_registered:
        return SubmitResult(SubmitOutcome.GROUP_GONE)
    if not await group_store.is_member(db, group.id, user_id):
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
    coordinators = await coordinators_of(db, is_chat_admin, group.id)
    staff = await notices.plan(db, notifier.people, coordinators)
    if not coordinators:
        reach = Reach.NO_COORDINATOR
    elif await notices.any_known_open(db, staff):
        reach = Reach.REACHED
    else:
        reach = Reach.WAITING
    reporter = await user_store.get_user(db, user_id)
    reporter_name = "" if reporter is None else f"{reporter.first_name} {reporter.last_name or ''}"
    area = group.area_name or group.title or ""

    def announce(obs_id: int, reference: str) -> list[OutgoingMessage]:
        obs = notices.as_stored(new, obs_id, reference, area, reporter_name.strip(), now)
        return notices.messages(
            notices.KIND_COORDINATOR,
            staff,
            obs,
            notifier.render,
            reporter_told=reach is not Reach.REACHED,
        )

    saved = await store.create_observation(
        db,
        new,
        now,
        year=now.astimezone(settings.tzinfo).year,
        rate_since=now - timedelta(hours=1),
        rate_limit=settings.reports_per_hour,
        notices=announce,
        hold_for=staff.hold,
        idempotency_key=draft.idempotency_key,
    )
    if saved is None:
        return SubmitResult(SubmitOutcome.RATE_LIMITED)
    obs_id, reference = saved
    return SubmitResult(SubmitOutcome.SAVED, obs_id, reference, reach)
