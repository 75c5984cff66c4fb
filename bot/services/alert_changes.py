"""Changing an alert after it was sent: list, update, withdraw, and late copies caught up.

An update or a withdrawal reaches every copy of the alert, wherever its delivery stands:

* delivered copies are edited (or, where an edit is refused, answered with a reply);
* copies still waiting in the outbox are rewritten with the update, or, on withdrawal,
  never sent at all;
* a copy that was on its way at that very moment is caught up by `follow_up_edit` as soon
  as the delivery worker reports it sent.

Each delivery's payload records what its message shows (`rendered`), so every copy is
brought up to date exactly once.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from bot.clock import Clock
from bot.i18n import t
from bot.ratelimit import PRIORITY_ALERT
from bot.services.alerts import (
    CAPTION_LIMIT,
    KIND_ALERT,
    KIND_EDIT,
    MAX_UPDATE,
    ORIGINAL,
    ack_markup,
    fits,
    may_send_alerts,
    render_alert,
)
from bot.services.refusals import Refused
from bot.services.roles import Access
from bot.textlen import utf16_len, visible_length
from storage import alerts as alert_store
from storage import groups as group_store
from storage import outbox
from storage.alerts import AlertRecord, AlertStats
from storage.db import Database
from storage.outbox import OutgoingMessage

WITHDRAWN_BEFORE_DELIVERY = "withdrawn"


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
        raise Refused("alerts.update.too_long")
    return await _change(db, clock, tz, alert, {"update": text, "withdrawn": False})


async def withdraw(db: Database, clock: Clock, tz: tzinfo, access: Access, alert_id: int) -> int:
    """Withdraw an alert everywhere; returns how many delivered copies are edited."""
    alert = await manageable(db, access, alert_id)
    return await _change(db, clock, tz, alert, {"update": alert.update_text, "withdrawn": True})


async def follow_up_edit(db: Database, clock: Clock, tz: tzinfo, row_id: int) -> bool:
    """A copy was just delivered: if the alert changed while it was on its way, enqueue the
    edit that brings it up to date. Returns True when an edit was enqueued."""
    # Cheap check first, without the write lock: this runs for every delivered copy, and
    # almost always the alert is unchanged.
    row = await outbox.get_row(db, row_id)
    alert = await alert_store.get_alert(db, row.ref_id) if row and row.ref_id else None
    if alert is None or _state_of(alert) == ORIGINAL:
        return False
    async with db.transaction() as conn:
        # Read under the write lock, so an update/withdrawal cannot interleave.
        row = await outbox.get_row(db, row_id)
        if row is None or row.status != "sent" or row.message_id is None or row.ref_id is None:
            return False
        alert = await alert_store.get_alert(db, row.ref_id)
        if alert is None or row.group_id is None:
            return False
        state = _state_of(alert)
        if row.payload.get("rendered", ORIGINAL) == state:
            return False
        group = await group_store.get_group(db, row.group_id)
        lang = group.language if group else "sv"
        edit = _edit(alert, tz, lang, row.group_id, row.message_id, state)
        now = clock.now()
        await outbox.replace_payloads(conn, [(row.id, {**row.payload, "rendered": state})], now)
        await outbox.enqueue_many(conn, [edit], now)
    return True


def _state_of(alert: AlertRecord) -> dict[str, Any]:
    return {"update": alert.update_text, "withdrawn": alert.is_withdrawn}


async def _change(
    db: Database, clock: Clock, tz: tzinfo, alert: AlertRecord, state: dict[str, Any]
) -> int:
    now = clock.now()
    withdrawing = bool(state["withdrawn"])
    async with db.transaction() as conn:
        if withdrawing:
            if not await alert_store.set_withdrawn(conn, alert.id, now):
                raise Refused("alerts.manage.already_withdrawn")
        else:
            await alert_store.set_update(conn, alert.id, state["update"] or "", now)
        # Read the copies under the write lock: the delivery worker cannot mark one sent
        # between this read and the commit, so none is missed (see follow_up_edit).
        rows = await outbox.rows_for(db, KIND_ALERT, alert.id)
        languages: dict[int, str] = {}
        for group_id in {r.group_id for r in rows if r.group_id is not None}:
            group = await group_store.get_group(db, group_id)
            languages[group_id] = group.language if group else "sv"
        edits: list[OutgoingMessage] = []
        rewritten: list[tuple[int, dict[str, Any]]] = []
        for row in rows:
            if row.group_id is None:
                continue
            lang = languages[row.group_id]
            if row.status == "sent" and row.message_id is not None:
                edits.append(_edit(alert, tz, lang, row.group_id, row.message_id, state))
                rewritten.append((row.id, {**row.payload, "rendered": state}))
            elif row.status == "pending" and not withdrawing:
                text = render_alert(
                    lang, alert.category, alert.body, alert.created_at, tz,
                    update_text=state["update"],
                )  # fmt: skip
                if fits(text, alert.photo_file_id is not None):
                    rewritten.append((row.id, {**row.payload, "text": text, "rendered": state}))
                # else it goes out as it was and follow_up_edit replies with the update
        if withdrawing:
            await outbox.skip_pending(conn, KIND_ALERT, alert.id, WITHDRAWN_BEFORE_DELIVERY, now)
        await outbox.replace_payloads(conn, rewritten, now)
        await outbox.enqueue_many(conn, edits, now)
    return len(edits)


def _edit(
    alert: AlertRecord, tz: tzinfo, lang: str, group_id: int, message_id: int,
    state: dict[str, Any],
) -> OutgoingMessage:  # fmt: skip
    """The outbox row that edits one delivered copy (a reply where the edit cannot fit)."""
    withdrawn, update = bool(state["withdrawn"]), state["update"]
    with_photo = alert.photo_file_id is not None
    body = alert.body
    text = render_alert(
        lang, alert.category, body, alert.created_at, tz, update_text=update, withdrawn=withdrawn
    )
    while withdrawn and not fits(text, with_photo) and len(body) > 20:
        body = body[: max(20, len(body) - (visible_length(text) - CAPTION_LIMIT) - 10)] + "…"
        text = render_alert(lang, alert.category, body, alert.created_at, tz, withdrawn=True)
    fallback = (
        t(lang, "alerts.msg.withdrawn_reply")
        if withdrawn
        else t(lang, "alerts.msg.update_reply", update=update or "")
    )
    payload: dict[str, object]
    if fits(text, with_photo):
        payload = {"op": "edit", "message_id": message_id, "text": text,
                   "caption": with_photo, "fallback_text": fallback}  # fmt: skip
        if not withdrawn:
            payload["reply_markup"] = ack_markup(lang, alert.id)
    else:
        payload = {"text": fallback, "reply_to_message_id": message_id}
    return OutgoingMessage(PRIORITY_ALERT, KIND_EDIT, payload, group_id, ref_id=alert.id)
