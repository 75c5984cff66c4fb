"""Police alerts: who may send to which groups, rendering, storing + enqueueing, reporting.

No Telegram types here: messages are HTML strings and keyboards plain dicts, handed to the
outbox (storage.outbox) which bot/delivery.py drains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import Enum

from bot.clock import Clock
from bot.i18n import LANGUAGES, Html, t, t_plain
from bot.ratelimit import PRIORITY_ALERT
from bot.services.alert_ack import AlertAck
from bot.services.kommuner import find_kommun_by_code
from bot.services.refusals import Refused
from bot.services.roles import Access
from bot.textlen import visible_length
from storage import alerts as alert_store
from storage import groups as group_store
from storage import outbox
from storage.alerts import AlertStats, NewAlert
from storage.db import Database
from storage.groups import GroupRecord
from storage.outbox import OutgoingMessage

CATEGORIES = ("burglary", "theft", "vehicle", "fraud", "robbery", "drugs", "traffic", "other")
MAX_TEXT = 3000
MAX_UPDATE = 800
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
KIND_ALERT = "alert"
KIND_EDIT = "alert_edit"
# What an alert message shows beyond the original text: stored in each delivery's payload
# so a copy that went out while the alert changed can be brought up to date afterwards.
ORIGINAL: dict[str, object] = {"update": None, "withdrawn": False}


@dataclass
class Draft:
    """An alert being composed in the dialogue (kept in user_data)."""

    category: str | None = None
    target_kind: str | None = None  # all, kommun, groups
    kommun: str | None = None
    group_ids: list[int] = field(default_factory=list)
    body: str | None = None
    photo: str | None = None

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> Draft | None:
        # The dict is one `to_dict` wrote (kept in user_data, which has no types).
        return None if data is None else cls(**data)  # type: ignore[arg-type]


# -- who may send where ---------------------------------------------------------------------


def may_send_alerts(access: Access) -> bool:
    """Police officers (for their kommuner) and admins (everywhere) send alerts."""
    return access.is_admin or bool(access.police_kommuner)


def _scope(access: Access) -> list[str] | None:
    """Kommun codes the person may target, or None for every group (admins)."""
    return None if access.is_admin else sorted(access.police_kommuner)


def _may_target(access: Access, group: GroupRecord) -> bool:
    return group.is_active and (access.is_admin or access.polices(group.kommun_code))


async def reachable_groups(db: Database, access: Access) -> list[GroupRecord]:
    """Every active group the person may send an alert to."""
    return await group_store.active_groups(db, _scope(access))


# An inline keyboard holds at most 100 buttons, and a phone shows far fewer: admins (who
# may target every kommun) see the kommuner with the most groups first, up to this many.
KOMMUN_BUTTONS = 40


async def kommun_choices(
    db: Database, access: Access, limit: int = KOMMUN_BUTTONS
) -> tuple[list[tuple[str, str, int]], int]:
    """(code, name, number of active groups) for the kommuner the person may target, by
    name, at most `limit` (those with the most groups), and how many were left out."""
    counts: dict[str, int] = {}
    for group in await reachable_groups(db, access):
        if group.kommun_code:
            counts[group.kommun_code] = counts.get(group.kommun_code, 0) + 1
    codes = set(counts) | (set() if access.is_admin else set(access.police_kommuner))
    choices = [(code, kommun_name(code), counts.get(code, 0)) for code in codes]
    shown = sorted(choices, key=lambda c: (-c[2], c[1]))[:limit]
    return sorted(shown, key=lambda c: c[1]), len(choices) - len(shown)


def kommun_name(code: str | None) -> str:
    kommun = find_kommun_by_code(code) if code else None
    return kommun.name if kommun else (code or "?")


async def target_groups(db: Database, access: Access, draft: Draft) -> list[GroupRecord]:
    """The groups a draft targets, re-checked against the person's current roles."""
    if draft.target_kind == "all":
        return await reachable_groups(db, access)
    if draft.target_kind == "kommun":
        if draft.kommun is None or not (access.is_admin or access.polices(draft.kommun)):
            raise Refused("core.not_allowed")
        return await group_store.active_groups(db, [draft.kommun])
    if draft.target_kind == "groups":
        chosen: list[GroupRecord] = []
        for group_id in draft.group_ids:
            group = await group_store.get_group(db, group_id)
            if group is None or not _may_target(access, group):
                raise Refused("core.not_allowed")
            chosen.append(group)
        return chosen
    raise Refused("core.stale_button")


async def check_group_choice(db: Database, access: Access, group_id: int) -> GroupRecord:
    """A group picked with a button: it must exist, be active and be in the person's scope."""
    group = await group_store.get_group(db, group_id)
    if group is None or not _may_target(access, group):
        raise Refused("core.not_allowed")
    return group


# -- rendering ----------------------------------------------------------------------------


def category_label(lang: str, category: str) -> str:
    return t_plain(lang, f"alerts.type.{category}")


def render_alert(
    lang: str,
    category: str,
    body: str,
    created_at: datetime,
    tz: tzinfo,
    *,
    update_text: str | None = None,
    withdrawn: bool = False,
) -> str:
    """The alert exactly as residents see it in a group (HTML; the officer's text escaped)."""
    when = created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    text: str = t(
        lang,
        "alerts.msg",
        category=category_label(lang, category),
        body=body,
        when=when,
    )
    if update_text:
        text += t(lang, "alerts.msg.update", update=update_text)
    if withdrawn:
        text = t(lang, "alerts.msg.withdrawn", original=Html(f"<s>{text}</s>"))
    return text


def ack_markup(lang: str, alert_id: int | None) -> dict[str, object]:
    """The "Seen / Sett" button under a delivered alert (None: the composer's preview)."""
    label = t_plain(lang, "fb.ack.button")  # "I have read this", not "seen" (#13)
    data = AlertAck(alert_id).pack()
    return {"inline_keyboard": [[{"text": label, "callback_data": data}]]}


def fits(text_html: str, with_photo: bool) -> bool:
    """Whether a rendered alert fits in one message (caption limit with a photo)."""
    return visible_length(text_html) <= (CAPTION_LIMIT if with_photo else TEXT_LIMIT)


def body_fits_photo(lang: str, category: str, body: str, now: datetime, tz: tzinfo) -> bool:
    """Whether the text is short enough to go as a photo caption in every group.

    Groups may speak another language than the officer, with a longer header, so the
    caption must fit in each language (`lang` first, then the others).
    """
    languages = (lang, *(other for other in LANGUAGES if other != lang))
    return all(
        fits(render_alert(shown, category, body, now, tz), with_photo=True) for shown in languages
    )


# -- sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    alert_id: int
    group_count: int


async def create_alert(
    db: Database, clock: Clock, tz: tzinfo, access: Access, draft: Draft, lang: str
) -> Created:
    """Store the alert and one outbox row per target group in one transaction."""
    if not may_send_alerts(access):
        raise Refused("core.not_allowed")
    if not draft.category or not draft.body:
        raise Refused("core.stale_button")
    groups = await target_groups(db, access, draft)
    if not groups:
        raise Refused("alerts.no_groups")
    now = clock.now()
    scope = (
        [draft.kommun or ""]
        if draft.target_kind == "kommun"
        else [str(g) for g in draft.group_ids]
        if draft.target_kind == "groups"
        else (_scope(access) or [])
    )
    kind = "everywhere" if draft.target_kind == "all" and access.is_admin else draft.target_kind
    new = NewAlert(
        sender_id=access.user_id,
        sender_language=lang,
        category=draft.category,
        body=draft.body,
        photo_file_id=draft.photo,
        target_kind=kind or "all",
        target_scope=scope,
    )
    async with db.transaction() as conn:
        alert_id = await alert_store.insert_alert(conn, new, now)
        messages = []
        for group in groups:
            payload: dict[str, object] = {
                "text": render_alert(group.language, draft.category, draft.body, now, tz),
                "reply_markup": ack_markup(group.language, alert_id),
                "rendered": ORIGINAL,
            }
            if draft.photo:
                payload["photo"] = draft.photo
            messages.append(
                OutgoingMessage(PRIORITY_ALERT, KIND_ALERT, payload, group.id, ref_id=alert_id)
            )
        await outbox.enqueue_many(conn, messages, now)
    return Created(alert_id, len(groups))


async def finish_if_done(db: Database, clock: Clock, alert_id: int) -> AlertStats | None:
    """After a delivery row finished: the alert's numbers if this was the last one.

    Runs after every delivered copy, so it first reads one counter (O(1) per copy); the
    full numbers are read only once nothing is left to send."""
    if await alert_store.unfinished_copies(db, alert_id):
        return None
    stats = await alert_store.alert_stats(db, alert_id)
    if stats is None or stats.pending:
        return None
    if not await alert_store.mark_done(db, alert_id, clock.now()):
        return None
    return stats


def render_report(stats: AlertStats, reasons: list[tuple[str, int]]) -> str:
    """The officer's status message once every group has been tried."""
    lang = stats.alert.sender_language
    text: str = t(
        lang,
        "alerts.report",
        id=stats.alert.id,
        delivered=stats.delivered,
        targeted=stats.targeted,
        failed=stats.failed,
        inactive=stats.inactive,
    )
    for reason, count in reasons[:5]:
        text += "\n" + t(lang, "alerts.report.reason", reason=reason, count=count)
    if stats.withdrawn_unsent:
        text += "\n" + t(lang, "alerts.report.withdrawn", count=stats.withdrawn_unsent)
    return text


# -- acknowledgements ---------------------------------------------------------------------


class AckResult(Enum):
    RECORDED = "recorded"
    ALREADY = "already"
    UNKNOWN = "unknown"
    WITHDRAWN = "withdrawn"


async def acknowledge(
    db: Database, clock: Clock, alert_id: int, user_id: int, chat_id: int | None
) -> AckResult:
    """Record that a person has seen an alert (once per person and alert)."""
    alert = await alert_store.get_alert(db, alert_id)
    if alert is None:
        return AckResult.UNKNOWN
    if alert.is_withdrawn:
        return AckResult.WITHDRAWN
    group = await group_store.get_group_by_chat(db, chat_id) if chat_id is not None else None
    added = await alert_store.add_ack(
        db, alert_id, user_id, group.id if group else None, clock.now()
    )
    return AckResult.RECORDED if added else AckResult.ALREADY


# -- small storage pass-throughs for handlers ----------------------------------------------


async def set_status_message(db: Database, alert_id: int, chat_id: int, message_id: int) -> None:
    """Remember the officer's status message, edited with the outcome when delivery is done."""
    await alert_store.set_status_message(db, alert_id, chat_id, message_id)


async def failure_reasons(db: Database, alert_id: int) -> list[tuple[str, int]]:
    """Why deliveries of an alert failed, most frequent first."""
    return await alert_store.failure_reasons(db, alert_id)


async def unreported_alerts(db: Database) -> list[int]:
    """Alerts whose outcome has not been reported to the sender yet (e.g. after a crash)."""
    return await alert_store.undone_alert_ids(db)
