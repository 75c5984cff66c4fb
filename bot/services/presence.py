"""Announced presence (närvaro och synlighet): "police on site" — what, where, when — sent
to the chosen groups with a "🔔 Påminn mig" button and an .ics calendar file; residents who
pressed it are reminded privately an hour before (rows in storage, sent by
bot/dialog_scheduler.py); cancelling or moving it replies to the announcement in every
group and tells those who asked for a reminder. No Telegram types here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from enum import Enum
from typing import Any

from bot.callbacks import CallbackData
from bot.clock import Clock
from bot.i18n import Html, t, t_plain
from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services.dialog_targets import Feature, Target, check, target_groups
from bot.services.presence_time import format_period, ics, parse_period
from bot.services.refusals import Refused
from bot.services.roles import Access
from storage import groups as group_store
from storage import observation_reach as reach
from storage import outbox
from storage import presence as store
from storage.db import Database
from storage.outbox import EditText, OutgoingMessage, SendOp, SendText
from storage.presence import NewPresence, PresenceRecord

KIND_POST = "presence"  # the announcement in a group (its message id is the reply target)
KIND_EXTRA = "presence_extra"  # its location and .ics file
KIND_CHANGE = "presence_change"  # cancel/move: edit + reply in groups
KIND_NOTICE = "presence_notice"  # private: reminders and change notices
REMIND_BEFORE = timedelta(hours=1)
MAX_WHAT, MAX_PLACE = 500, 200
LISTED = 10

LanguageOf = Callable[[int], Awaitable[str]]
"""user id → the language to write to that person in (PeopleService.language_of)."""


class RemindMe(CallbackData, prefix="prm"):
    """The "🔔 Påminn mig" button under an announcement (press again to cancel)."""

    presence_id: int


# -- rendering ------------------------------------------------------------------------------


def render(lang: str, p: PresenceRecord, tz: tzinfo, *, in_group: bool = False) -> Html:
    """The announcement as residents see it (HTML; the officer's text escaped). In the
    group, while it stands, it says what the 🔔 button under it does."""
    text = t(
        lang,
        "dialog.presence.msg",
        what=p.what,
        place=p.place,
        when=format_period(lang, p.starts_at, p.ends_at, tz),
    )
    if in_group and not p.is_cancelled:
        text = Html(f"{text}\n\n{t(lang, 'dialog.presence.remind_hint')}")
    return text


def remind_markup(lang: str, presence_id: int) -> dict[str, object]:
    label = t_plain(lang, "dialog.presence.remind_button")
    return {"inline_keyboard": [[{"text": label, "callback_data": RemindMe(presence_id).pack()}]]}


# -- announcing -----------------------------------------------------------------------------


@dataclass
class PresenceDraft:
    """A presence being composed in the dialogue (kept in user_data)."""

    what: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass
class PresenceDialogDraft:
    """The presence being composed and where it goes (kept in `UserData.presence_draft`)."""

    presence: PresenceDraft = field(default_factory=PresenceDraft)
    target: Target = field(default_factory=Target)


@dataclass(frozen=True)
class Announced:
    id: int
    group_count: int


def _group_rows(lang: str, p: PresenceRecord, group_id: int, tz: tzinfo) -> list[OutgoingMessage]:
    rows = [
        OutgoingMessage(
            PRIORITY_SCHEDULED,
            KIND_POST,
            SendText(render(lang, p, tz, in_group=True), remind_markup(lang, p.id)),
            group_id,
            ref_id=p.id,
        )
    ]
    if p.latitude is not None and p.longitude is not None:
        location = SendOp("location", {"latitude": p.latitude, "longitude": p.longitude})
        rows.append(
            OutgoingMessage(PRIORITY_SCHEDULED, KIND_EXTRA, location, group_id, ref_id=p.id)
        )
    document = SendOp(
        "document",
        {
            "filename": f"narvaro-{p.id}.ics",
            "content": ics(p, t_plain(lang, "dialog.presence.ics_summary", place=p.place)),
            "text": t(lang, "dialog.presence.ics_caption"),
        },
    )
    rows.append(OutgoingMessage(PRIORITY_SCHEDULED, KIND_EXTRA, document, group_id, ref_id=p.id))
    return rows


async def announce(
    db: Database,
    clock: Clock,
    tz: tzinfo,
    access: Access,
    draft: PresenceDraft,
    target: Target,
    lang: str,
) -> Announced:
    """Store the presence and enqueue its announcement to every target group (one
    transaction). Refused unless the person may announce presence there."""
    check(Feature.PRESENCE, access)
    if not (draft.what and draft.place and draft.starts_at and draft.ends_at):
        raise Refused("core.stale_button")
    now = clock.now()
    if draft.starts_at <= now:
        raise Refused("dialog.presence.past")
    groups = await target_groups(db, Feature.PRESENCE, access, target)
    new = NewPresence(
        access.user_id,
        lang,
        draft.what,
        draft.place,
        draft.latitude,
        draft.longitude,
        draft.starts_at,
        draft.ends_at,
    )
    async with db.transaction() as conn:
        presence_id = await store.insert_presence(conn, new, [g.id for g in groups], now)
        record = await store.get_presence_in(conn, presence_id)
        assert record is not None
        rows = [m for g in groups for m in _group_rows(g.language, record, g.id, tz)]
        await outbox.enqueue_many(conn, rows, now)
    return Announced(presence_id, len(groups))


# -- reminders -----------------------------------------------------------------------------


class RemindResult(Enum):
    SET = "set"
    REMOVED = "removed"
    NOT_STARTED = "not_started"  # the person never opened the bot: it cannot write to them
    UNKNOWN = "unknown"  # cancelled, over, or no such presence


async def toggle_reminder(
    db: Database, clock: Clock, presence_id: int, user_id: int
) -> RemindResult:
    """The resident pressed "🔔 Påminn mig": set their reminder, or remove it if set."""
    p = await store.get_presence(db, presence_id)
    now = clock.now()
    if p is None or p.is_cancelled or p.ends_at <= now:
        return RemindResult.UNKNOWN
    if not await reach.is_open(db, user_id):
        return RemindResult.NOT_STARTED
    added = await store.toggle_reminder(db, presence_id, user_id, p.starts_at - REMIND_BEFORE, now)
    return RemindResult.SET if added else RemindResult.REMOVED


async def send_due_reminders(
    db: Database, clock: Clock, tz: tzinfo, language_of: LanguageOf, limit: int = 500
) -> int:
    """Enqueue the private reminders that are due and mark them sent (one transaction)."""
    now = clock.now()
    async with db.transaction() as conn:
        due = await store.due_reminders(conn, now, limit)
        rows = []
        for presence_id, user_id in due:
            p = await store.get_presence_in(conn, presence_id)
            if p is None or p.is_cancelled or p.ends_at <= now:
                continue
            lang = await language_of(user_id)
            text = t(lang, "dialog.presence.reminder", body=render(lang, p, tz))
            rows.append(
                OutgoingMessage(
                    PRIORITY_SCHEDULED,
                    KIND_NOTICE,
                    SendText(text),
                    chat_id=user_id,
                    ref_id=presence_id,
                )
            )
        await store.mark_reminded(conn, due, now)
        await outbox.enqueue_many(conn, rows, now)
    return len(rows)


# -- cancelling and moving -------------------------------------------------------------------


async def _own(db: Database, access: Access, presence_id: int, now: datetime) -> PresenceRecord:
    check(Feature.PRESENCE, access)
    p = await store.get_presence(db, presence_id)
    if p is None:
        raise Refused("dialog.presence.unknown")
    if p.creator_id != access.user_id and not access.is_admin:
        raise Refused("core.not_allowed")
    if p.is_cancelled:
        raise Refused("dialog.presence.already_cancelled")
    if p.ends_at <= now:  # a list kept from before: the groups must not hear "cancelled"
        raise Refused("dialog.presence.over")
    return p


async def check_changeable(
    db: Database, clock: Clock, access: Access, presence_id: int
) -> PresenceRecord:
    """The presence if the person may cancel or move it now (its creator or an admin; not
    cancelled, not over), so a Move press is refused before a new time is asked for.
    Refused: `core.not_allowed`, `dialog.presence.unknown`,
    `dialog.presence.already_cancelled`, `dialog.presence.over`."""
    return await _own(db, access, presence_id, clock.now())


async def cancellable(
    db: Database, clock: Clock, access: Access, presence_id: int
) -> PresenceRecord:
    """The presence a person asks to cancel, before they confirm: Refused as `cancel`
    would be (not theirs, unknown, already cancelled, over)."""
    return await _own(db, access, presence_id, clock.now())


def _in(lang: str, params: dict[str, Any]) -> dict[str, Any]:
    """Placeholder values; a callable is a text that depends on the language (a period)."""
    return {name: value(lang) if callable(value) else value for name, value in params.items()}


async def _announce_change(
    conn: Any,
    db: Database,
    p: PresenceRecord,
    key: str,
    tz: tzinfo,
    language_of: LanguageOf,
    now: datetime,
    user_ids: list[int],
    **params: Any,
) -> int:
    """Edit each group's announcement, reply to it with the change, and tell everyone who
    asked for a reminder privately; returns how many groups are told."""
    sent = {
        row.group_id: row.message_id
        for row in await outbox.rows_for(db, KIND_POST, p.id)
        if row.message_id is not None and row.group_id is not None
    }
    await outbox.skip_pending(conn, KIND_POST, p.id, "changed", now)
    await outbox.skip_pending(conn, KIND_EXTRA, p.id, "changed", now)
    rows: list[OutgoingMessage] = []
    for group_id, message_id in sent.items():
        group = await group_store.get_group(db, group_id)
        lang = group.language if group else p.creator_language
        change = t(lang, key, **_in(lang, params))
        shown = (
            render(lang, p, tz, in_group=True)
            if key.endswith("moved")
            else Html(f"<s>{render(lang, p, tz)}</s>")
        )
        edit = EditText(
            message_id,
            Html(f"{change}\n\n{shown}"),
            None if p.is_cancelled else remind_markup(lang, p.id),
        )
        reply = SendText(change, reply_to_message_id=message_id)
        rows.append(OutgoingMessage(PRIORITY_SCHEDULED, KIND_CHANGE, edit, group_id, ref_id=p.id))
        rows.append(OutgoingMessage(PRIORITY_SCHEDULED, KIND_CHANGE, reply, group_id, ref_id=p.id))
        if not p.is_cancelled:
            document = _group_rows(lang, p, group_id, tz)[-1].message
            assert isinstance(document, SendOp)  # the .ics file is always the last row
            rows.append(
                OutgoingMessage(
                    PRIORITY_SCHEDULED,
                    KIND_CHANGE,
                    replace(document, reply_to_message_id=message_id),
                    group_id,
                    ref_id=p.id,
                )
            )
    for user_id in user_ids:
        lang = await language_of(user_id)
        text = t(lang, key, **_in(lang, params)) + "\n\n" + render(lang, p, tz)
        rows.append(
            OutgoingMessage(
                PRIORITY_SCHEDULED, KIND_NOTICE, SendText(text), chat_id=user_id, ref_id=p.id
            )
        )
    await outbox.enqueue_many(conn, rows, now)
    return len(sent)


async def cancel(
    db: Database,
    clock: Clock,
    tz: tzinfo,
    access: Access,
    presence_id: int,
    language_of: LanguageOf,
) -> int:
    """Cancel a presence (its creator or an admin, else Refused; not one that is over);
    returns groups told."""
    now = clock.now()
    p = await _own(db, access, presence_id, now)
    async with db.transaction() as conn:
        users = await store.reminder_users(conn, presence_id)
        if not await store.cancel(conn, presence_id, now):
            raise Refused("dialog.presence.already_cancelled")
        p = replace(p, status=store.CANCELLED)
        told = await _announce_change(
            conn, db, p, "dialog.presence.cancelled", tz, language_of, now, users
        )
    return told


async def move(
    db: Database,
    clock: Clock,
    tz: tzinfo,
    access: Access,
    presence_id: int,
    period_text: str,
    language_of: LanguageOf,
) -> int:
    """Give a presence new times (parse_period's forms; Refused as there); reminders follow
    (due an hour before the new start). Returns how many groups are told."""
    now = clock.now()
    p = await _own(db, access, presence_id, now)
    starts_at, ends_at = parse_period(period_text, now, tz)
    old_start, old_end = p.starts_at, p.ends_at
    async with db.transaction() as conn:
        if not await store.move(
            conn, presence_id, starts_at, ends_at, starts_at - REMIND_BEFORE, now
        ):
            raise Refused("dialog.presence.already_cancelled")
        p = replace(p, starts_at=starts_at, ends_at=ends_at)
        users = await store.reminder_users(conn, presence_id)
        return await _announce_change(
            conn,
            db,
            p,
            "dialog.presence.moved",
            tz,
            language_of,
            now,
            users,
            old=lambda lang: format_period(lang, old_start, old_end, tz),
            new=lambda lang: format_period(lang, starts_at, ends_at, tz),
        )


async def my_presences(db: Database, access: Access) -> list[PresenceRecord]:
    check(Feature.PRESENCE, access)
    return await store.presences_of(db, access.user_id, LISTED)


async def get(db: Database, presence_id: int) -> PresenceRecord | None:
    """One presence by id (None if there is none)."""
    return await store.get_presence(db, presence_id)
