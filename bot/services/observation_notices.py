"""Private notifications to staff about observations, through the durable outbox.

A new report is announced to the group's coordinators, a forward to the kommun's police,
by outbox rows (kinds KIND_COORDINATOR / KIND_POLICE, one per person, `chat_id` = the
person's user id, alert priority) written in the SAME transaction as the report or the
forward: a failed send is retried by the delivery worker, and a crash after saving
resends after restart. Nobody waits for these sends.

Telegram refuses a private message to someone who never opened the chat with the bot
(403 "bot can't initiate conversation with a user") or blocked it. Such a notification
is held (storage.observation_reach) and delivered, re-rendered and re-checked, on the
person's next private message. People known to be unreachable are held for at once.
When no coordinator of the group can be reached, the resident is told so (with 114 14).
The delivery results and the release of held notifications are in
bot/services/observation_held.py.

No Telegram types here: the handler passes a `NoticeRenderer` that turns an observation
into an outbox message (storage.outbox.SendText: text + buttons) in a person's language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from bot.i18n import t
from bot.ratelimit import PRIORITY_ALERT
from bot.services.people import PeopleService
from storage import observation_reach as reach
from storage import outbox
from storage import roles as role_store
from storage.db import Database
from storage.observations import NewObservation, Observation
from storage.outbox import EditText, OutgoingMessage, SendText

log = logging.getLogger(__name__)

KIND_COORDINATOR = "obs_coordinator"  # ref_id = observation id, chat_id = coordinator
KIND_POLICE = "obs_police"  # ref_id = observation id, chat_id = police officer
KIND_UNREACHED = "obs_unreached"  # to the reporter: no coordinator could be reached
KIND_SUMMARY = "obs_summary"  # several held notifications in one message
KIND_WITHDRAWN_EDIT = "obs_withdrawn_edit"  # ref_id = observation id: a notice edited
KIND_RESIDENT = "obs_resident"  # to the reporter: their report's status changed
VIEWER_OF_KIND = {
    KIND_COORDINATOR: "coordinator",
    KIND_POLICE: "police",
    KIND_RESIDENT: "resident",
}
KIND_OF_VIEWER = {viewer: kind for kind, viewer in VIEWER_OF_KIND.items()}
# Meta key (storage.outbox.SendText.meta) of a coordinator notice whose reporter was told
# at once that no coordinator is known to have opened the private chat (so a refusal
# tells them nothing new).
REPORTER_TOLD = "reporter_told"
# More held notifications than this are delivered as one summary message.
SUMMARY_OVER = 5


@dataclass(frozen=True)
class Recipient:
    user_id: int
    lang: str


class NoticeRenderer(Protocol):
    """Builds outbox messages (text + buttons) in a language."""

    def notice(self, lang: str, obs: Observation, viewer: str) -> SendText:
        """One observation as `viewer` ('coordinator' / 'police') sees it, with buttons."""
        ...

    def summary(self, lang: str, observations: list[Observation]) -> SendText:
        """One message listing several observations that waited for the person."""
        ...

    def unreached(self, lang: str, reference: str) -> SendText:
        """To the reporter: the report is stored but no coordinator could be reached."""
        ...

    def withdrawn(self, lang: str, reference: str) -> SendText:
        """What a delivered notice is edited to once its reporter withdrew the report."""
        ...


@dataclass(frozen=True)
class Plan:
    """Who gets a notification now (outbox) and who is known unreachable (held)."""

    send: tuple[Recipient, ...]
    hold: tuple[int, ...]

    @property
    def anyone_reachable(self) -> bool:
        return bool(self.send)


async def plan(db: Database, people: PeopleService, user_ids: Iterable[int]) -> Plan:
    """Split staff into those to send to and those known to be unreachable privately."""
    ids = list(dict.fromkeys(user_ids))
    closed = await reach.closed_among(db, ids)
    send = [Recipient(uid, await people.language_of(uid)) for uid in ids if uid not in closed]
    return Plan(tuple(send), tuple(uid for uid in ids if uid in closed))


def messages(
    kind: str,
    plan_: Plan,
    obs: Observation,
    render: NoticeRenderer,
    *,
    reporter_told: bool = False,
) -> list[OutgoingMessage]:
    """The outbox rows that announce `obs` to the reachable people of a plan
    (`reporter_told`: see REPORTER_TOLD)."""
    viewer = VIEWER_OF_KIND[kind]
    meta = {REPORTER_TOLD: True} if reporter_told else {}
    return [
        OutgoingMessage(
            PRIORITY_ALERT,
            kind,
            replace(render.notice(r.lang, obs, viewer), meta=meta),
            chat_id=r.user_id,
            ref_id=obs.id,
        )
        for r in plan_.send
    ]


async def any_known_open(db: Database, plan_: Plan) -> bool:
    """Whether someone the plan sends to is known to have opened the private chat (so the
    notice is expected to arrive; for the others Telegram may still refuse it)."""
    for recipient in plan_.send:
        if await reach.is_open(db, recipient.user_id):
            return True
    return False


def as_stored(
    new: NewObservation,
    obs_id: int,
    reference: str,
    group_area: str,
    reporter_name: str,
    now: datetime,
) -> Observation:
    """A new report as `store.get_observation` will read it once committed (what its
    announcement shows; the reference is only known inside the saving transaction)."""
    return Observation(
        id=obs_id,
        reference=reference,
        group_id=new.group_id,
        group_area=group_area,
        kommun_code=new.kommun_code,
        reporter_id=new.reporter_id,
        reporter_name=reporter_name,
        show_identity=new.show_identity,
        category=new.category,
        observed_at=new.observed_at,
        place_text=new.place_text,
        latitude=new.latitude,
        longitude=new.longitude,
        location_exact=new.location_exact,
        description=new.description,
        status="new",
        created_at=now,
        forward_kommun=None,
        forwarded_at=None,
        handled_at=None,
        photos=new.photos,
        notes=(),
    )


def as_forwarded(obs: Observation, kommun_code: str, now: datetime) -> Observation:
    """The observation as it reads once the forward is committed (for the police's copy)."""
    return replace(obs, status="forwarded", forward_kommun=kommun_code, forwarded_at=now)


async def private_chat_open(db: Database, user_id: int) -> bool:
    """Whether the person is known to have written to the bot privately (so it can write
    to them); False also when it is unknown."""
    return await reach.is_open(db, user_id)


async def withdrawn_edits(
    db: Database, people: PeopleService, render: NoticeRenderer, obs: Observation
) -> list[OutgoingMessage]:
    """Edits (outbox EditText messages) of the coordinator notices of `obs` already
    delivered, to say that its reporter withdrew it (no details, no buttons)."""
    edits = []
    for row in await outbox.rows_for(db, KIND_COORDINATOR, obs.id):
        if row.status != "sent" or row.message_id is None or row.chat_id is None:
            continue
        lang = await people.language_of(row.chat_id)
        notice = render.withdrawn(lang, obs.reference)
        edit = EditText(row.message_id, notice.text, notice.reply_markup)
        edits.append(
            OutgoingMessage(
                PRIORITY_ALERT, KIND_WITHDRAWN_EDIT, edit, chat_id=row.chat_id, ref_id=obs.id
            )
        )
    return edits


# ------------------------------------------------------------------ the reporter


async def resident_status_text(db: Database, lang: str, obs: Observation) -> str | None:
    """What the reporter is told about their report's current status (reference only, no
    notes or names), or None when there is nothing to tell (still new, or withdrawn).
    A forward no officer of the kommun can receive (none uses the bot) says so, with
    114 14 for anything urgent."""
    if obs.status == "closed":
        state = "closed"
    elif obs.handled_at is not None:
        state = "handled"
    elif obs.status in ("reviewed", "forwarded"):
        state = obs.status
    else:
        return None
    if state == "forwarded" and obs.forward_kommun is not None:
        if not await role_store.holders(db, "police", obs.forward_kommun):
            state = "forwarded_no_police"
    return str(t(lang, f"fb.status.{state}", reference=obs.reference))


@dataclass(frozen=True)
class ResidentNotice:
    """The reporter's notice of a change: an outbox row, or a hold when Telegram is known
    to refuse them (written with the change, in its transaction)."""

    messages: tuple[OutgoingMessage, ...] = ()
    held: tuple[tuple[int, str], ...] = ()


async def resident_notice(db: Database, people: PeopleService, obs: Observation) -> ResidentNotice:
    """The notice telling `obs`'s reporter its status as it reads after the change;
    nothing for a reporter erased on request (their id is 0 or a negative pseudonym)."""
    if obs.reporter_id <= 0:
        return ResidentNotice()
    if obs.reporter_id in await reach.closed_among(db, [obs.reporter_id]):
        return ResidentNotice(held=((obs.reporter_id, "resident"),))
    lang = await people.language_of(obs.reporter_id)
    text = await resident_status_text(db, lang, obs)
    if text is None:
        return ResidentNotice()
    message = OutgoingMessage(
        PRIORITY_ALERT, KIND_RESIDENT, SendText(text), chat_id=obs.reporter_id, ref_id=obs.id
    )
    return ResidentNotice(messages=(message,))
