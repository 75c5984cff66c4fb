"""Changing an alert after it was sent: list, update, withdraw, and late copies caught up.

An update or a withdrawal reaches every copy of the alert, wherever its delivery stands:

* delivered copies are edited, and each group gets one short reply to the original
  ("🔄 Uppdatering: …", "❌ Återkallat: …") at alert priority: Telegram notifies nobody
  of an edit, so the reply is what tells members that the alert changed;
* copies still waiting in the outbox are rewritten with the update, or, on withdrawal,
  never sent at all;
* a copy that was on its way at that very moment is caught up by `follow_up_edit` as soon
  as the delivery worker reports it sent.

Every change makes a new version of the alert (alerts.version); each delivered copy
(alert_copies, recorded by the delivery worker with its 'sent') and each unsent copy's
message record the version they show, so every copy is brought up to date exactly once,
also after the retention pass has deleted the sent outbox rows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo

from bot.clock import Clock
from bot.i18n import t
from bot.ratelimit import PRIORITY_ALERT
from bot.services.alert_figures import WITHDRAWN_BEFORE_DELIVERY
from bot.services.alert_format import share_link
from bot.services.alert_targets import may_send_alerts
from bot.services.alerts import (
    CAPTION_LIMIT,
    KIND_ALERT,
    KIND_EDIT,
    MAX_UPDATE,
    TEXT_LIMIT,
    ack_markup,
    category_label,
    details_of,
    fits,
    render_alert,
)
from bot.services.refusals import Refused
from bot.services.roles import Access
from bot.textlen import utf16_len, visible_length
from storage import alert_figures as alert_figures_store
from storage import alerts as alert_store
from storage import groups as group_store
from storage import outbox
from storage.alerts import AlertRecord, AlertStats
from storage.db import Database
from storage.outbox import EditCaption, EditText, Message, OutgoingMessage, SendPhoto, SendText
from storage.places import AlertDetails

#: The outbox kind of the reply that notifies a group of an update or a withdrawal.
KIND_NOTICE = "alert_notice"


async def recent(db: Database, access: Access, limit: int = 10) -> list[AlertStats]:
    """The person's recent alerts with their numbers (admins see everyone's)."""
    if not may_send_alerts(access):
        raise Refused("core.not_allowed")
    return await alert_store.recent_alerts(db, None if access.is_admin else access.user_id, limit)


async def manageable(db: Database, access: Access, alert_id: int) -> AlertRecord:
    """An alert the person may update or withdraw: their own (still police) or any (admin)."""
    alert = await alert_store.get_alert(db, alert_id)
    if alert is None:
        raise Refused("core.stale_button")
    if not (access.is_admin or (alert.sender_id == access.user_id and may_send_alerts(access))):
        raise Refused("core.not_allowed")
    if alert.is_withdrawn:
        raise Refused("alerts.manage.already_withdrawn")
    return alert


async def send_update(
    db: Database, clock: Clock, tz: tzinfo, access: Access, alert_id: int, text: str
) -> int:
    """Add an update to every copy of an alert; returns how many delivered copies change."""
    alert = await manageable(db, access, alert_id)
    if utf16_len(text) > MAX_UPDATE:
        raise Refused("core.text.too_long", length=utf16_len(text), max=MAX_UPDATE)
    return await _change(db, clock, tz, alert, text, withdrawing=False)


async def withdraw(db: Database, clock: Clock, tz: tzinfo, access: Access, alert_id: int) -> int:
    """Withdraw an alert everywhere; returns how many delivered copies are edited."""
    alert = await manageable(db, access, alert_id)
    return await _change(db, clock, tz, alert, alert.update_text, withdrawing=True)


async def follow_up_edit(db: Database, clock: Clock, tz: tzinfo, row_id: int) -> bool:
    """A copy was just delivered: if the alert changed while it was on its way, enqueue the
    edit that brings it up to date. Returns True when an edit was enqueued."""
    # Cheap checks first, without the write lock: this runs for every delivered copy, and
    # almost always the alert is unchanged (version 0).
    row = await outbox.get_row(db, row_id)
    if row is None or row.ref_id is None or row.group_id is None:
        return False
    alert_id, group_id = row.ref_id, row.group_id
    alert = await alert_store.get_alert(db, alert_id)
    if alert is None or alert.version == 0:
        return False
    async with db.transaction() as conn:
        # Read under the write lock, so an update/withdrawal cannot interleave.
        alert = await alert_store.get_alert(db, alert_id)
        copy = await alert_store.get_copy(db, alert_id, group_id)
        if alert is None or copy is None or copy.version >= alert.version:
            return False
        group = await group_store.get_group(db, group_id)
        lang = group.language if group else "sv"
        details = await details_of(db, alert_id)
        edit = _edit(alert, tz, lang, group_id, copy.message_id, details)
        await alert_store.set_copy_version(conn, alert_id, group_id, alert.version)
        await outbox.enqueue_many(conn, [edit], clock.now())
    return True


async def _change(
    db: Database, clock: Clock, tz: tzinfo, alert: AlertRecord, update: str | None, *,
    withdrawing: bool,
) -> int:  # fmt: skip
    now = clock.now()
    async with db.transaction() as conn:
        if withdrawing:
            version = await alert_store.set_withdrawn(conn, alert.id, now)
            if version is None:
                raise Refused("alerts.manage.already_withdrawn")
        else:
            version = await alert_store.set_update(conn, alert.id, update or "", now)
        alert = await alert_store.get_alert(db, alert.id) or alert
        # Read the copies under the write lock: the delivery worker cannot record one
        # between this read and the commit, so none is missed (see follow_up_edit).
        copies = await alert_store.copies(conn, alert.id)
        pending = await outbox.pending_rows_for(conn, KIND_ALERT, alert.id)
        languages: dict[int, str] = {}
        for group_id in {c.group_id for c in copies} | {
            r.group_id for r in pending if r.group_id is not None
        }:
            group = await group_store.get_group(db, group_id)
            languages[group_id] = group.language if group else "sv"
        details = await details_of(db, alert.id)
        edits: list[OutgoingMessage] = []
        for c in copies:
            edit = _edit(alert, tz, languages[c.group_id], c.group_id, c.message_id, details)
            edits.extend(_with_notice(edit, alert, languages[c.group_id], c.message_id))
        await alert_store.set_copies_version(conn, alert.id, version)
        rewritten: list[tuple[int, Message]] = []
        for row in pending if not withdrawing else []:
            if row.group_id is None:
                continue
            text = render_alert(
                languages[row.group_id], alert.category, alert.body, alert.created_at, tz,
                update_text=update, details=details,
            )  # fmt: skip
            pending_copy = row.message
            assert isinstance(pending_copy, (SendText, SendPhoto))  # alerts are sent as such
            if fits(text, alert.photo_file_id is not None):
                rewritten.append((row.id, replace(pending_copy, text=text, version=version)))
            # else it goes out as it was and follow_up_edit replies with the update
        if withdrawing:
            await outbox.skip_pending(conn, KIND_ALERT, alert.id, WITHDRAWN_BEFORE_DELIVERY, now)
        await outbox.replace_payloads(conn, rewritten, now)
        await outbox.enqueue_many(conn, edits, now)
    return len(copies)


def notice_text(lang: str, alert: AlertRecord, update: str | None, *, withdrawing: bool) -> str:
    """The reply posted under each delivered copy when the alert changes (HTML; the
    officer's update escaped)."""
    if withdrawing:
        label = category_label(lang, alert.category)
        return str(t(lang, "police.notice.withdrawn", category=label))
    return str(t(lang, "police.notice.update", update=update or ""))


def _with_notice(
    edit: OutgoingMessage, alert: AlertRecord, lang: str, message_id: int
) -> list[OutgoingMessage]:
    """One delivered copy's rows: its edit and the notifying reply. The reply carries the
    change, so an edit Telegram refuses needs no reply of its own (one reply per group);
    where the edit could not fit, its reply already is the notice."""
    message = edit.message
    if not isinstance(message, (EditText, EditCaption)):
        return [edit]
    text = notice_text(lang, alert, alert.update_text, withdrawing=alert.is_withdrawn)
    notice = SendText(text, reply_to_message_id=message_id, version=alert.version)
    return [
        replace(edit, message=replace(message, fallback_text=None)),
        OutgoingMessage(PRIORITY_ALERT, KIND_NOTICE, notice, edit.group_id, ref_id=alert.id),
    ]


async def update_preview(
    db: Database, tz: tzinfo, access: Access, alert_id: int, text: str
) -> list[tuple[str, str, str | None]]:
    """What residents will get from an update, per group language (the officer's language
    first when no copy is out yet): [(lang, the reply, the edited alert)], HTML. The
    edited alert is None where the update makes it too long for one message or caption:
    the copies then stay as they are and the reply (its fallback text) carries the update.
    Raises Refused like `send_update`."""
    alert = await manageable(db, access, alert_id)
    if utf16_len(text) > MAX_UPDATE:
        raise Refused("core.text.too_long", length=utf16_len(text), max=MAX_UPDATE)
    languages = await alert_figures_store.target_languages(db, alert_id) or [alert.sender_language]
    details = await details_of(db, alert_id)
    with_photo = alert.photo_file_id is not None
    shown: list[tuple[str, str, str | None]] = []
    for lang in languages:
        edited = render_alert(
            lang, alert.category, alert.body, alert.created_at, tz,
            update_text=text, details=details,
        )  # fmt: skip
        if fits(edited, with_photo):
            shown.append((lang, notice_text(lang, alert, text, withdrawing=False), edited))
        else:
            shown.append((lang, str(t(lang, "alerts.msg.update_reply", update=text)), None))
    return shown


def _edit(
    alert: AlertRecord,
    tz: tzinfo,
    lang: str,
    group_id: int,
    message_id: int,
    details: AlertDetails | None,
) -> OutgoingMessage:
    """The outbox row that brings one delivered copy to the alert's current version (a
    reply where the edit cannot fit), with the sender line, link, event number and the
    share button it was sent with."""
    withdrawn, update = alert.is_withdrawn, alert.update_text
    with_photo = alert.photo_file_id is not None
    body = alert.body
    text = render_alert(
        lang, alert.category, body, alert.created_at, tz,
        update_text=update, withdrawn=withdrawn, details=details,
    )  # fmt: skip
    limit = CAPTION_LIMIT if with_photo else TEXT_LIMIT
    while withdrawn and not fits(text, with_photo) and len(body) > 20:
        body = body[: max(20, len(body) - (visible_length(text) - limit) - 10)] + "…"
        text = render_alert(
            lang, alert.category, body, alert.created_at, tz, withdrawn=True, details=details
        )
    fallback = (
        t(lang, "alerts.msg.withdrawn_reply")
        if withdrawn
        else t(lang, "alerts.msg.update_reply", update=update or "")
    )
    message: Message
    if fits(text, with_photo):
        share = share_link(lang, alert.category, alert.body, details)
        markup = None if withdrawn else ack_markup(lang, alert.id, share)
        edit_kind = EditCaption if with_photo else EditText
        message = edit_kind(message_id, text, markup, fallback, version=alert.version)
    else:
        message = SendText(fallback, reply_to_message_id=message_id, version=alert.version)
    return OutgoingMessage(PRIORITY_ALERT, KIND_EDIT, message, group_id, ref_id=alert.id)
