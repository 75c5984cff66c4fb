"""The rules for residents' observations: validation, who may see and change what, saving.

No Telegram types here: handlers pass plain values and render the results. Input
validation lives in bot.services.observation_input and listings in
bot.services.observation_listings; their public names are re-exported here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.services import observation_notices as notices
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
from bot.services.people import PeopleService
from bot.services.refusals import Refused
from bot.services.roles import (
    Access,
    ChatAdminCheck,
    access_for_group,
    access_of,
    still_coordinating,
)
from bot.textlen import clip
from config import Settings
from storage import groups as group_store
from storage import observations as store
from storage import roles as role_store
from storage import users as user_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.observations import NewObservation, Observation, Photo
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


@dataclass(frozen=True)
class Notifier:
    """What a service needs to announce an observation to staff: their languages and a
    renderer of outbox payloads (handlers.observations_notify builds one)."""

    people: PeopleService
    render: notices.NoticeRenderer


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


async def police_of(db: Database, kommun_code: str) -> list[int]:
    """User ids of the police officers of a kommun."""
    return await role_store.holders(db, "police", kommun_code)


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


async def get_observation(db: Database, obs_id: int) -> Observation | None:
    """An observation by id WITHOUT a permission check: only for what the bot itself sends
    to people a service already chose (e.g. a new report to the group's coordinators).
    Whatever a person asks to see goes through :func:`load_for`."""
    return await store.get_observation(db, obs_id)


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
    STALE = "stale"  # the observation is not (any longer) in a state that allows it
    NO_KOMMUN = "no_kommun"


@dataclass(frozen=True)
class ActionResult:
    """`police`: officers the forward was sent to; `police_waiting`: those it waits for
    (they never opened the private chat with the bot)."""

    outcome: ActionOutcome
    observation: Observation | None = None
    police: tuple[int, ...] = ()
    police_waiting: tuple[int, ...] = ()
    changed_by: str | None = None  # STALE: who made the current status, when stored


# Coordinator actions: target status and the statuses it may come from.
TRANSITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "reviewed": ("reviewed", ("new",)),
    "closed": ("closed", ("new", "reviewed", "forwarded")),
}


async def coordinator_action(
    db: Database,
    settings: Settings,
    clock: Clock,
    user_id: int,
    obs_id: int,
    action: str,
    notifier: Notifier,
    is_chat_admin: ChatAdminCheck,
) -> ActionResult:
    """Mark reviewed / closed, or forward to the police of the group's kommun (the forward
    and its notifications to the police in one transaction).

    Pressing an action again once it is done (a first press whose answer or edit was lost)
    is DONE again, not STALE, so the caller finishes what the first press left undone.
    Raises `Refused("core.not_allowed")` unless the person coordinates the observation's
    group (stored, and an admin of its chat by `is_chat_admin`) and it is not withdrawn,
    or for an unknown action."""
    obs = await _coordinated(db, settings, is_chat_admin, user_id, obs_id)
    now = clock.now()
    if action == "forward":
        if obs.kommun_code is None:
            return ActionResult(ActionOutcome.NO_KOMMUN, obs)
        staff = await notices.plan(db, notifier.people, await police_of(db, obs.kommun_code))
        outgoing = notices.messages(
            notices.KIND_POLICE,
            staff,
            notices.as_forwarded(obs, obs.kommun_code, now),
            notifier.render,
        )
        sent = tuple(r.user_id for r in staff.send)
        told = await notices.resident_notice(
            db, notifier.people, notices.as_forwarded(obs, obs.kommun_code, now)
        )
        outgoing = [*outgoing, *told.messages]
        if not await store.forward(
            db, obs.id, obs.kommun_code, user_id, now, outgoing, staff.hold, told.held
        ):
            if obs.status != "forwarded":
                return await _stale(db, obs.id)
        return ActionResult(
            ActionOutcome.DONE, await store.get_observation(db, obs.id), sent, staff.hold
        )
    if action not in TRANSITIONS:
        raise Refused("core.not_allowed")
    status, sources = TRANSITIONS[action]
    told = await notices.resident_notice(db, notifier.people, replace(obs, status=status))
    if not await store.set_status(db, obs.id, sources, status, now, told.messages, told.held):
        if obs.status != status:
            return await _stale(db, obs.id)
    return ActionResult(ActionOutcome.DONE, await store.get_observation(db, obs.id))


async def _coordinated(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, user_id: int, obs_id: int
) -> Observation:
    """The observation if the person may act on it as its group's coordinator, else
    `Refused("core.not_allowed")`."""
    obs, _ = await load_for(db, settings, user_id, obs_id, Viewer.COORDINATOR)
    if obs is not None:
        access = await access_for_group(db, settings, is_chat_admin, user_id, obs.group_id)
        if access.coordinates(obs.group_id):
            return obs
    raise Refused("core.not_allowed")


async def _stale(db: Database, obs_id: int) -> ActionResult:
    """Another coordinator changed the status first: the observation as it is now, and
    their name when storage records who did it (only a forward records its sender)."""
    obs = await store.get_observation(db, obs_id)
    name = None
    if obs is not None and obs.status == "forwarded":
        sender = await store.forwarded_by(db, obs_id)
        user = None if sender is None else await user_store.get_user(db, sender)
        if user is not None:
            name = f"{user.first_name} {user.last_name or ''}".strip() or None
    return ActionResult(ActionOutcome.STALE, obs, changed_by=name)


async def add_note(
    db: Database,
    settings: Settings,
    clock: Clock,
    user_id: int,
    obs_id: int,
    text: str,
    is_chat_admin: ChatAdminCheck,
) -> ActionResult:
    """A coordinator adds a short note (clipped to MAX_NOTE). Refused as
    :func:`coordinator_action`."""
    obs = await _coordinated(db, settings, is_chat_admin, user_id, obs_id)
    await store.add_note(db, obs.id, user_id, clip(text.strip(), MAX_NOTE), clock.now())
    return ActionResult(ActionOutcome.DONE, await store.get_observation(db, obs.id))


async def mark_handled(
    db: Database,
    settings: Settings,
    clock: Clock,
    user_id: int,
    obs_id: int,
    people: PeopleService | None = None,
) -> ActionResult:
    """A police officer marks a forwarded observation handled (STALE if it was already);
    the reporter is told with it (in their language by `people`, else the default).
    Raises `Refused("core.not_allowed")` unless the person is police of the kommun it was
    forwarded to."""
    obs, _ = await load_for(db, settings, user_id, obs_id, Viewer.POLICE)
    if obs is None:
        raise Refused("core.not_allowed")
    now = clock.now()
    people = people or PeopleService(db, clock, settings.default_language)
    told = await notices.resident_notice(db, people, replace(obs, handled_at=now))
    if not await store.mark_handled(db, obs.id, user_id, now, told.messages, told.held):
        return ActionResult(ActionOutcome.STALE, obs)
    return ActionResult(ActionOutcome.DONE, await store.get_observation(db, obs.id))


async def withdraw(
    db: Database, clock: Clock, user_id: int, obs_id: int, notifier: Notifier | None = None
) -> ActionOutcome:
    """The resident withdraws their own report while it is still new. With a `notifier`,
    the coordinators' delivered notices are edited to say so (in the same transaction).
    STALE once it is no longer new; `Refused("core.not_allowed")` unless it is theirs."""
    obs = await store.get_observation(db, obs_id)
    if obs is None or obs.reporter_id != user_id:
        raise Refused("core.not_allowed")
    edits = []
    if notifier is not None and obs.status == "new":
        edits = await notices.withdrawn_edits(db, notifier.people, notifier.render, obs)
    now = clock.now()
    if not await store.withdraw(db, obs_id, user_id, now, notices.KIND_COORDINATOR, edits):
        return ActionOutcome.STALE
    return ActionOutcome.DONE
