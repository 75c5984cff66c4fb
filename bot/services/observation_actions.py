"""Who may see an observation (resident, coordinator, police) and what coordinators and
police may do with it: review, close, forward to the police, add a note, mark handled;
and the resident's withdrawal. Each re-reads roles from storage; re-exported by
bot.services.observations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from bot.clock import Clock
from bot.services import observation_notices as notices
from bot.services.observation_input import (
    MAX_NOTE,
)
from bot.services.people import PeopleService
from bot.services.refusals import Refused
from bot.services.roles import (
    Access,
    ChatAdminCheck,
    access_for_group,
    access_of,
)
from bot.textlen import clip
from config import Settings
from storage import observation_status
from storage import observations as store
from storage import roles as role_store
from storage import users as user_store
from storage.db import Database
from storage.observations import Observation


@dataclass(frozen=True)
class Notifier:
    """What a service needs to announce an observation to staff: their languages and a
    renderer of outbox payloads (handlers.observations_notify builds one)."""

    people: PeopleService
    render: notices.NoticeRenderer


async def police_of(db: Database, kommun_code: str) -> list[int]:
    """User ids of the police officers of a kommun."""
    return await role_store.holders(db, "police", kommun_code)


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
        if not await observation_status.forward(
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
    if not await observation_status.set_status(
        db, obs.id, sources, status, now, told.messages, told.held
    ):
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
    await observation_status.add_note(
        db, obs.id, user_id, clip(text.strip(), MAX_NOTE), clock.now()
    )
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
    if not await observation_status.mark_handled(
        db, obs.id, user_id, now, told.messages, told.held
    ):
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
    if not await observation_status.withdraw(
        db, obs_id, user_id, now, notices.KIND_COORDINATOR, edits
    ):
        return ActionOutcome.STALE
    return ActionOutcome.DONE
