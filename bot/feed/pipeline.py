"""From one parsed answer to what is stored and sent: the "never old news" rules.

* **Baseline**: on the very first poll, and when the last good poll is older than the
  maximum age, every event of the window is remembered as seen and nothing is sent.
* **Suspect answers** (empty; ≥ 5 events all of one type although no type was asked;
  most of the unseen events older than the maximum age, or on a first poll most
  events older than 30 days) are recorded and nothing from
  them is sent or remembered, so their events are judged again in a normal answer.
* **Maximum age**: an event whose incident or publication is older than
  POLICE_FEED_MAX_AGE_HOURS is remembered, never sent.
* **Updates**: a seen event whose title, summary or type changed gets its delivered
  copies edited (plus a short "Updated" reply when the summary, type or place changed);
  groups of a corrected kommun get it as new. An event held back for its content (an
  unknown type, an incident older than the maximum age) is judged again like a new one
  when that content changes: a type that became known and wanted is sent then.
* **Routing**: a kommun event goes to the active groups of that kommun that chose its
  category; a län-level event only to the län's groups whose län setting is "message".
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.feed.parse import KOMMUN, LAN, FeedEvent
from bot.feed.render import event_text, in_quiet_hours
from bot.feed.types import parse_categories
from bot.i18n import t
from bot.ratelimit import PRIORITY_ALERT
from storage import feed as feed_store
from storage.db import Database
from storage.feed import KIND, Delivery, EventRow, FeedTarget, SeenEvent
from storage.outbox import (
    EditText,
    Message,
    OutgoingMessage,
    SendPhoto,
    SendText,
    decode,
    encode,
)

log = logging.getLogger(__name__)

MIN_SUSPECT_EVENTS = 5
BASELINE_STALE_AGE = timedelta(days=30)


@dataclass
class Plan:
    """What one answer leads to (nothing is written while planning)."""

    verdict: str  # ok, baseline, suspect:<why>
    rows: list[EventRow] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    edits: list[OutgoingMessage] = field(default_factory=list)
    replacements: list[tuple[int, Message]] = field(default_factory=list)  # pending rows
    unknown_types: list[str] = field(default_factory=list)
    # event id → (action, group ids): new/old/baseline/unknown_type/changed/unchanged
    actions: dict[int, tuple[str, list[int]]] = field(default_factory=dict)

    @property
    def new_events(self) -> int:
        """Events seen for the first time in this answer."""
        return sum(
            1 for action, _ in self.actions.values() if action not in ("unchanged", "changed")
        )


class Router:
    """Active groups indexed by kommun and län, with their settings (built once per pass)."""

    def __init__(self, targets: list[FeedTarget]) -> None:
        self.by_group = {tg.group_id: tg for tg in targets}
        self.by_kommun: dict[str, list[FeedTarget]] = defaultdict(list)
        self.by_lan: dict[str, list[FeedTarget]] = defaultdict(list)
        self.categories = {tg.group_id: parse_categories(tg.categories) for tg in targets}
        for tg in targets:
            self.by_kommun[tg.kommun_code].append(tg)
            self.by_lan[tg.kommun_code[:2]].append(tg)

    def groups_for(self, event: FeedEvent) -> list[FeedTarget]:
        """The groups that should get this event as a message (empty for unknown types)."""
        if event.category is None:
            return []
        place = event.place
        if place.routing == KOMMUN and place.kommun is not None:
            candidates = self.by_kommun.get(place.kommun.code, [])
        elif place.routing == LAN and place.lan_code:
            candidates = [
                tg for tg in self.by_lan.get(place.lan_code, []) if tg.lan_mode == "message"
            ]
        else:
            return []
        return [tg for tg in candidates if event.category in self.categories[tg.group_id]]


def suspect_reason(
    events: list[FeedEvent],
    seen: dict[int, SeenEvent],
    now: datetime,
    max_age: timedelta,
    baseline: bool = False,
) -> str | None:
    """Why an answer must not be trusted as news, or None.

    Stale: most of the events we have not seen are older than the maximum age. On a
    baseline nothing is seen yet and a normal 500-event window spans about 5–12 days,
    so there it is "most events older than BASELINE_STALE_AGE".
    """
    if not events:
        return "empty"
    if len(events) >= MIN_SUSPECT_EVENTS and len({e.type for e in events}) == 1:
        return "one_type"
    unseen = [e for e in events if e.id not in seen]
    limit = BASELINE_STALE_AGE if baseline else max_age
    if len(unseen) >= MIN_SUSPECT_EVENTS:
        old = sum(1 for e in unseen if now - e.published_at > limit)
        if old * 2 > len(unseen):
            return "stale_window"
    return None


def too_old(event: FeedEvent, now: datetime, max_age: timedelta) -> bool:
    """Incident or publication older than the maximum age (or in the far future: bogus)."""
    if now - event.published_at > max_age or event.published_at - now > timedelta(hours=1):
        return True
    return event.incident_at is not None and now - event.incident_at > max_age


def _row(event: FeedEvent, status: str) -> EventRow:
    place = event.place
    return EventRow(
        id=event.id,
        content_hash=event.content_hash,
        name=event.name,
        summary=event.summary,
        url=event.url,
        type=event.type,
        category=event.category,
        routing=place.routing,
        kommun_code=place.kommun.code if place.kommun else None,
        lan_code=place.lan_code,
        incident_at=event.incident_at,
        published_at=event.published_at,
        status=status,
    )


def _messages(event: FeedEvent, targets: list[FeedTarget], ctx: PassContext) -> list[Delivery]:
    """One message per group; the payload is rendered and JSON-encoded once per language and
    sound setting, and that one string is shared by all the groups with the same."""
    payloads: dict[tuple[str, bool], str] = {}
    out = []
    for target in targets:
        # Quiet hours: sent at once (never stale), but without a notification sound.
        key = (target.language, ctx.quiet(target.quiet))
        payload = payloads.get(key)
        if payload is None:
            text = event_text(target.language, event, ctx.tz, replay=ctx.replay)
            payload = payloads[key] = encode(SendText(text, disable_notification=key[1] or None))
        out.append(Delivery(event.id, target.group_id, PRIORITY_ALERT, payload))
    return out


@dataclass
class PassContext:
    """The fixed inputs of one pass."""

    now: datetime
    tz: ZoneInfo
    max_age: timedelta
    baseline: bool
    replay: bool = False
    _quiet: dict[tuple[str, str] | None, bool] = field(default_factory=dict)

    def quiet(self, hours: tuple[str, str] | None) -> bool:
        """Whether `now` is inside these quiet hours (cached: groups share a few settings)."""
        if hours not in self._quiet:
            self._quiet[hours] = in_quiet_hours(self.now, hours, self.tz)
        return self._quiet[hours]


def plan_answer(
    events: list[FeedEvent],
    seen: dict[int, SeenEvent],
    router: Router,
    known_unknown: set[str],
    ctx: PassContext,
) -> Plan:
    """Decide, for every event of an answer, what to remember and whom to send it to."""
    reason = suspect_reason(events, seen, ctx.now, ctx.max_age, ctx.baseline)
    if reason is not None:
        # Also on a first poll: a suspect answer must not become the baseline, or the next
        # normal window would look like hundreds of unseen old events.
        return Plan(f"suspect:{reason}")
    plan = Plan("baseline" if ctx.baseline else "ok")
    unique: dict[int, FeedEvent] = {}
    for event in events:
        unique.setdefault(event.id, event)
    for event in unique.values():
        before = seen.get(event.id)
        if before is None:
            _plan_new(plan, event, router, known_unknown, ctx)
        elif before.content_hash != event.content_hash:
            _plan_changed(plan, event, before, router, ctx)
        else:
            plan.actions[event.id] = ("unchanged", [])
    return plan


def _plan_new(
    plan: Plan, event: FeedEvent, router: Router, known_unknown: set[str], ctx: PassContext
) -> None:
    if event.category is None and event.type not in known_unknown:
        known_unknown.add(event.type)
        plan.unknown_types.append(event.type)
        log.warning("police feed: unknown event type %r (event %d); not sent", event.type, event.id)
    elif event.category is None:
        plan.unknown_types.append(event.type)
    if ctx.baseline:
        action = "baseline"
    elif event.category is None:
        action = "unknown_type"
    elif too_old(event, ctx.now, ctx.max_age):
        action = "old"
    else:
        action = "new"
    groups = router.groups_for(event) if action == "new" else []
    plan.rows.append(_row(event, "replay" if ctx.replay and action == "new" else action))
    plan.deliveries.extend(_messages(event, groups, ctx))
    plan.actions[event.id] = (action, [tg.group_id for tg in groups])


#: Statuses of events held back for their content (type, incident time), not their timing:
#: when that content changes, the event is judged again like a new one.
_HELD_FOR_CONTENT = ("unknown_type", "old")


def _plan_changed(
    plan: Plan, event: FeedEvent, before: SeenEvent, router: Router, ctx: PassContext
) -> None:
    status = before.status
    groups: list[FeedTarget] = []
    if not ctx.baseline and status in ("new", "replay", *_HELD_FOR_CONTENT):
        # Groups of a corrected kommun, of a newly chosen category, or of a type that is
        # now known get it now; the unique (event, group) record keeps the others from a
        # second copy.
        if status in _HELD_FOR_CONTENT:
            status = _status_of_new(event, ctx)
        if event.category is not None and not too_old(event, ctx.now, ctx.max_age):
            groups = router.groups_for(event)
        plan.deliveries.extend(_messages(event, groups, ctx))
    plan.rows.append(_row(event, status))
    plan.actions[event.id] = ("changed", [tg.group_id for tg in groups])


def _status_of_new(event: FeedEvent, ctx: PassContext) -> str:
    """The status an event seen for the first time in this (non-baseline) pass gets."""
    if event.category is None:
        return "unknown_type"
    if too_old(event, ctx.now, ctx.max_age):
        return "old"
    return "replay" if ctx.replay else "new"


async def plan_edits(
    db: Database,
    plan: Plan,
    events: dict[int, FeedEvent],
    seen: dict[int, SeenEvent],
    router: Router,
    ctx: PassContext,
) -> None:
    """Edits (and "Updated" replies) of delivered copies of the changed events in `plan`."""
    for event_id, (action, _) in plan.actions.items():
        if action != "changed":
            continue
        event = events[event_id]
        before: SeenEvent = seen[event_id]
        old_row = await db.fetch_one(
            "SELECT summary, type FROM feed_events WHERE id = ?", (event_id,)
        )
        place_changed = (
            event.place.kommun.code if event.place.kommun else None
        ) != before.kommun_code
        material = place_changed or (
            old_row is not None
            and (old_row["summary"], old_row["type"]) != (event.summary, event.type)
        )
        copies = await feed_store.copies(db, event_id)
        if any(copy["status"] == "sending" for copy in copies):
            # A copy is on its way: its message id is not known yet, so it cannot be edited
            # now. Keeping the old hash makes the next poll plan this change again; the
            # copies edited now are skipped then (their edit with this text exists).
            _keep_old_hash(plan, event_id, before.content_hash)
        edited = await feed_store.edited_texts(db, event_id)
        for copy in copies:
            target = router.by_group.get(copy["group_id"])
            if target is None:
                continue  # the group left or was unregistered: nothing to edit there
            text = event_text(target.language, event, ctx.tz, replay=ctx.replay)
            if edited.get(copy["group_id"]) == text:
                continue  # already edited to this text in an earlier pass
            if copy["status"] == "pending":
                pending = decode(copy["payload"])
                assert isinstance(pending, (SendText, SendPhoto))  # the feed sends messages
                plan.replacements.append((copy["id"], dataclasses.replace(pending, text=text)))
            elif copy["status"] == "sent" and copy["message_id"]:
                mid = copy["message_id"]
                # When the edit is refused (the message was deleted), the delivery worker
                # sends the updated event as a new message instead.
                fallback = t(target.language, "feed.edit_fallback") + text
                quiet = ctx.quiet(target.quiet) or None
                edit = EditText(mid, text, fallback_text=fallback, disable_notification=quiet)
                plan.edits.append(
                    OutgoingMessage(PRIORITY_ALERT, KIND, edit, group_id=target.group_id,
                                    ref_id=event_id)
                )  # fmt: skip
                if material:
                    reply = SendText(t(target.language, "feed.updated"), reply_to_message_id=mid,
                                     disable_notification=quiet)  # fmt: skip
                    plan.edits.append(
                        OutgoingMessage(PRIORITY_ALERT, KIND, reply, group_id=target.group_id,
                                        ref_id=event_id)
                    )  # fmt: skip


def _keep_old_hash(plan: Plan, event_id: int, content_hash: str) -> None:
    plan.rows = [
        dataclasses.replace(row, content_hash=content_hash) if row.id == event_id else row
        for row in plan.rows
    ]
