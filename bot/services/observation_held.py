"""What happens after a staff notification about an observation was tried: a failed
send to someone who cannot be reached privately is held (storage.observation_reach) and,
when no coordinator of the group can be reached, the reporter is told; when a person
later writes to the bot privately, everything held for them is released (one summary
when there are many). See bot/services/observation_notices.py for the sending side.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from bot.clock import Clock
from bot.ratelimit import PRIORITY_ALERT
from bot.services.observation_notices import (
    KIND_COORDINATOR,
    KIND_OF_VIEWER,
    KIND_RESIDENT,
    KIND_SUMMARY,
    KIND_UNREACHED,
    REPORTER_TOLD,
    SUMMARY_OVER,
    VIEWER_OF_KIND,
    NoticeRenderer,
    resident_status_text,
)
from bot.services.people import PeopleService
from bot.services.roles import ChatAdminCheck, access_following_telegram
from config import Settings
from storage import observation_reach as reach
from storage import observations as store
from storage import outbox
from storage.db import Database
from storage.observations import Observation
from storage.outbox import OutgoingMessage, SendText

log = logging.getLogger(__name__)


def unreachable_error(error: str | None) -> bool:
    """Whether a failed private send means the person cannot be written to privately."""
    text = (error or "").lower()
    return text.startswith("forbidden") or "chat not found" in text


@dataclass(frozen=True)
class Held:
    """What `on_delivery_failed` did: whose notice it held (None: not ours) and whether
    the reporter is now to be told that no coordinator was reached."""

    user_id: int | None
    resident_told: bool = False


async def on_delivery_failed(
    db: Database,
    clock: Clock,
    people: PeopleService,
    render: NoticeRenderer,
    row_id: int,
    error: str | None,
) -> Held:
    """An outbox row of one of this module's kinds finally failed (see `on_failed`)."""
    row = await outbox.get_row(db, row_id)
    if row is None or row.chat_id is None:
        return Held(None)
    if row.kind == KIND_SUMMARY:
        await on_summary_failed(db, clock, row.chat_id, row.message.meta.get("held", []), error)
        return Held(row.chat_id)
    if row.kind not in VIEWER_OF_KIND or row.ref_id is None:
        return Held(None)
    told = await on_failed(
        db,
        clock,
        people,
        render,
        row.kind,
        row.chat_id,
        row.ref_id,
        error,
        reporter_told=bool(row.message.meta.get(REPORTER_TOLD)),
    )
    return Held(row.chat_id, told)


async def on_failed(
    db: Database,
    clock: Clock,
    people: PeopleService,
    render: NoticeRenderer,
    kind: str,
    user_id: int,
    obs_id: int,
    error: str | None,
    *,
    reporter_told: bool = False,
) -> bool:
    """A staff notification finally failed: hold it for the person's next private message,
    remember a 403, and, when it was the last coordinator notice of a report and none
    arrived, tell the reporter (once; not when `reporter_told`: their confirmation already
    said the coordinators get it once they open the chat). Returns True when an outbox row
    was added."""
    now = clock.now()
    if unreachable_error(error):
        await reach.set_open(db, user_id, False, now)
    await reach.hold(db, user_id, obs_id, VIEWER_OF_KIND[kind], now)
    if kind != KIND_COORDINATOR or reporter_told:
        return False
    counts = await outbox.status_counts(db, KIND_COORDINATOR, obs_id)
    if counts.get("sent") or counts.get("pending") or counts.get("sending"):
        return False
    obs = await store.get_observation(db, obs_id)
    if obs is None or obs.status == "withdrawn":
        return False
    lang = await people.language_of(obs.reporter_id)
    message = OutgoingMessage(
        PRIORITY_ALERT,
        KIND_UNREACHED,
        render.unreached(lang, obs.reference),
        chat_id=obs.reporter_id,
        ref_id=obs.id,
    )
    return await reach.enqueue_once(db, message, now)


async def on_summary_failed(
    db: Database, clock: Clock, user_id: int, held: Iterable[Any], error: str | None
) -> None:
    """A summary of held notifications finally failed: hold them all again (`held`: its
    [observation id, viewer] pairs, kept in the row's meta)."""
    now = clock.now()
    if unreachable_error(error):
        await reach.set_open(db, user_id, False, now)
    for obs_id, viewer in held:
        await reach.hold(db, user_id, int(obs_id), str(viewer), now)


# ------------------------------------------------------------------ a person comes back


async def on_private_contact(
    db: Database,
    settings: Settings,
    clock: Clock,
    people: PeopleService,
    render: NoticeRenderer,
    user_id: int,
    is_chat_admin: ChatAdminCheck,
) -> int:
    """The person wrote to the bot privately: remember that, and enqueue what waited for
    them (only what they may still see, in its current state: a coordinator only while
    `is_chat_admin` says they are an admin of the group's chat). Returns how many rows."""
    now = clock.now()
    await reach.set_open(db, user_id, True, now)
    held = await reach.held_for(db, user_id)
    if not held:
        return 0
    from bot.services.observations import Viewer, may_view  # it imports this module

    access = await access_following_telegram(db, settings, is_chat_admin, user_id)
    lang = await people.language_of(user_id)
    visible: list[tuple[str, Observation]] = []
    for notice in held:
        obs = await store.get_observation(db, notice.observation_id)
        if obs is None or not may_view(access, obs, Viewer(notice.viewer)):
            continue  # withdrawn, or the person lost the role meanwhile
        if all(o.id != obs.id for _, o in visible):
            visible.append((notice.viewer, obs))
    payloads: list[tuple[str, int | None, SendText]]
    resident = [o for viewer, o in visible if viewer == "resident"]
    visible = [(viewer, o) for viewer, o in visible if viewer != "resident"]
    if len(visible) > SUMMARY_OVER:
        summary = render.summary(lang, [o for _, o in visible])
        # Kept in the row (the worker sends only the text) so a refused summary is held again.
        held_pairs = [[obs.id, viewer] for viewer, obs in visible]
        payloads = [(KIND_SUMMARY, None, replace(summary, meta={"held": held_pairs}))]
    else:
        payloads = [
            (KIND_OF_VIEWER[viewer], obs.id, render.notice(lang, obs, viewer))
            for viewer, obs in visible
        ]
    for obs in resident:  # their report as it is now (no text while it is new again)
        text = await resident_status_text(db, lang, obs)
        if text is not None:
            payloads.append((KIND_RESIDENT, obs.id, SendText(text)))
    rows = [
        OutgoingMessage(PRIORITY_ALERT, kind, payload, chat_id=user_id, ref_id=ref)
        for kind, ref, payload in payloads
    ]
    await reach.release(db, user_id, held, rows, now)
    return len(rows)
