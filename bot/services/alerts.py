"""Police alerts: rendering, storing + enqueueing, reporting (who may send to which groups:
bot/services/alert_targets.py).

No Telegram types here: messages are HTML strings and keyboards plain dicts, handed to the
outbox (storage.outbox) which bot/delivery.py drains.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import Enum

from bot.clock import Clock
from bot.i18n import LANGUAGES, Html, t, t_plain
from bot.i18n.dates import format_when
from bot.ratelimit import PRIORITY_ALERT
from bot.services.alert_ack import AlertAck
from bot.services.alert_figures import FAILED, WITHDRAWN_BEFORE_DELIVERY, reason, report_lines
from bot.services.alert_format import share_link
from bot.services.alert_targets import may_send_alerts, scope_of, target_groups
from bot.services.refusals import Refused
from bot.services.roles import Access
from bot.textlen import visible_length
from storage import alert_figures as alert_figures_store
from storage import alerts as alert_store
from storage import groups as group_store
from storage import outbox
from storage import places as place_store
from storage.alert_figures import GroupFigures
from storage.alerts import AlertStats, NewAlert
from storage.db import Database
from storage.outbox import EditText, Markup, OutgoingMessage, SendPhoto, SendText
from storage.places import AlertDetails

CATEGORIES = ("burglary", "theft", "vehicle", "fraud", "robbery", "drugs", "traffic", "other")
MAX_TEXT = 3000
MAX_UPDATE = 800
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
KIND_ALERT = alert_store.KIND_ALERT
KIND_EDIT = "alert_edit"
KIND_REPORT = "alert_report"  # the officer's report, chat_id = the officer, ref_id = alert


@dataclass
class Draft:
    """An alert being composed in the dialogue (kept in user_data)."""

    category: str | None = None
    target_kind: str | None = None  # all, kommun, groups, place
    kommun: str | None = None
    group_ids: list[int] = field(default_factory=list)  # groups / place: the ticked ones
    body: str | None = None
    photo: str | None = None
    # place: the point (degrees) and the chosen radius (metres); see bot/services/places.py
    latitude: float | None = None
    longitude: float | None = None
    radius_m: int | None = None
    link: str | None = None  # "Läs mer" (https, validated by `clean_link`)
    event_number: str | None = None  # the police event number (händelsenummer)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> Draft | None:
        # The dict is one `to_dict` wrote (kept in user_data, which has no types).
        return None if data is None else cls(**data)  # type: ignore[arg-type]


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
    details: AlertDetails | None = None,
) -> str:
    """The alert exactly as residents see it in a group (HTML; the officer's text escaped).
    `details`: the sender line, "Läs mer" link and event number, after the text."""
    when = format_when(lang, created_at, tz)
    text: str = t(
        lang,
        "alerts.msg",
        category=category_label(lang, category),
        body=Html(html.escape(body, quote=False) + _detail_lines(lang, details)),
        when=when,
    )
    if update_text:
        text += t(lang, "alerts.msg.update", update=update_text)
    if withdrawn:
        text = t(lang, "alerts.msg.withdrawn", original=Html(f"<s>{text}</s>"))
    return text


def _detail_lines(lang: str, details: AlertDetails | None) -> str:
    if details is None:
        return ""
    lines = []
    if details.event_number:
        lines.append(t(lang, "police.alert.event", number=details.event_number))
    if details.link:
        url = Html(html.escape(details.link, quote=True))
        lines.append(t(lang, "police.alert.link", url=url))
    if details.sender_title:
        lines.append(t(lang, "police.alert.sender", title=details.sender_title))
    return "\n\n" + "\n".join(lines) if lines else ""


def ack_markup(lang: str, alert_id: int | None, share_url: str | None = None) -> dict[str, object]:
    """The "✅ Läst" button under a delivered alert (None: the composer's preview) and,
    with `share_url` (`share_link`), a "Dela vidare" button opening Telegram's share dialog."""
    label = t_plain(lang, "fb.ack.button")  # "I have read this", not "seen" (#13)
    data = AlertAck(alert_id).pack()
    rows: list[list[dict[str, str]]] = [[{"text": label, "callback_data": data}]]
    if share_url:
        rows.append([{"text": t_plain(lang, "police.share.button"), "url": share_url}])
    return {"inline_keyboard": rows}


async def details_of(db: Database, alert_id: int) -> AlertDetails:
    """A stored alert's sender line, link and event number (for re-rendering a copy:
    `render_alert(..., details=...)`, `ack_markup(..., share_link(...))`)."""
    return await place_store.alert_details(db, alert_id)


async def draft_details(db: Database, access: Access, draft: Draft) -> AlertDetails:
    """What the alert will show beyond its text: the sender's display title (/profil),
    the draft's link and event number."""
    title = await place_store.display_title(db, access.user_id)
    return AlertDetails(title, draft.link, draft.event_number)


def copy_message(
    text: str, markup: Markup | None, photo: str | None, *, version: int
) -> SendText | SendPhoto:
    """The outbox message of one copy of an alert whose `text` shows `version` (the
    delivery worker records that in alert_copies when it is sent)."""
    if photo:
        return SendPhoto(photo, text, markup, version=version)
    return SendText(text, markup, version=version)


def fits(text_html: str, with_photo: bool) -> bool:
    """Whether a rendered alert fits in one message (caption limit with a photo)."""
    return visible_length(text_html) <= (CAPTION_LIMIT if with_photo else TEXT_LIMIT)


def body_fits_photo(
    lang: str,
    category: str,
    body: str,
    now: datetime,
    tz: tzinfo,
    details: AlertDetails | None = None,
) -> bool:
    """Whether the text is short enough to go as a photo caption in every group.

    Groups may speak another language than the officer, with a longer header, so the
    caption must fit in each language (`lang` first, then the others).
    """
    languages = (lang, *(other for other in LANGUAGES if other != lang))
    return all(
        fits(render_alert(shown, category, body, now, tz, details=details), with_photo=True)
        for shown in languages
    )


def photo_body_max(
    category: str, now: datetime, tz: tzinfo, details: AlertDetails | None = None
) -> int:
    """The longest text (UTF-16 code units) that still goes as a photo caption in every
    language, with these details (the sender line counts too)."""
    return min(
        CAPTION_LIMIT - visible_length(render_alert(shown, category, "", now, tz, details=details))
        for shown in LANGUAGES
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
        if draft.target_kind in ("groups", "place")
        else (scope_of(access) or [])
    )
    details = await draft_details(db, access, draft)
    if draft.photo and not body_fits_photo(lang, draft.category, draft.body, now, tz, details):
        raise Refused("alerts.photo.too_long", max=photo_body_max(draft.category, now, tz, details))
    kind = "everywhere" if draft.target_kind == "all" and access.is_admin else draft.target_kind
    if kind == "place":  # stored as the groups it chose (the point itself is not kept)
        kind = "groups"
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
        await place_store.insert_alert_details(conn, alert_id, details)
        messages = []
        for group in groups:
            lang_g = group.language
            share = share_link(lang_g, draft.category, draft.body, details)
            messages.append(
                OutgoingMessage(
                    PRIORITY_ALERT,
                    KIND_ALERT,
                    copy_message(
                        render_alert(lang_g, draft.category, draft.body, now, tz, details=details),
                        ack_markup(lang_g, alert_id, share),
                        draft.photo,
                        version=0,
                    ),
                    group.id,
                    ref_id=alert_id,
                )
            )
        await outbox.enqueue_many(conn, messages, now)
    return Created(alert_id, len(groups))


async def finish_if_done(db: Database, clock: Clock, alert_id: int) -> AlertStats | None:
    """After a delivery row finished: if this was the last one, mark the alert done and
    enqueue the officer's report (`report_message`) in the same transaction, and return
    the alert's numbers (None otherwise; the caller then wakes the delivery worker).

    Runs after every delivered copy, so it first reads one counter (O(1) per copy); the
    full numbers are read only once nothing is left to send."""
    if await alert_store.unfinished_copies(db, alert_id):
        return None
    stats = await alert_store.alert_stats(db, alert_id)
    if stats is None or stats.pending:
        return None
    failed = [
        g for g in await alert_figures_store.group_figures(db, alert_id) if g.status in FAILED
    ]
    reasons = await alert_store.failure_reasons(db, alert_id)
    report = report_message(stats, reasons, failed)
    now = clock.now()
    async with db.transaction() as conn:
        if not await alert_store.mark_done(conn, alert_id, now):
            return None
        await outbox.enqueue_many(conn, [report], now)
    return stats


def report_message(
    stats: AlertStats, reasons: list[tuple[str, int]], failed: list[GroupFigures] | None = None
) -> OutgoingMessage:
    """The outbox row of the officer's report: an edit of their status message (a reply
    to it when the edit is refused), or a new message when there is none."""
    text = render_report(stats, reasons, failed or [])
    alert = stats.alert
    if alert.status_chat_id and alert.status_message_id:
        edit = EditText(alert.status_message_id, text, fallback_text=text)
        return OutgoingMessage(
            PRIORITY_ALERT, KIND_REPORT, edit, chat_id=alert.status_chat_id, ref_id=alert.id
        )
    return OutgoingMessage(
        PRIORITY_ALERT, KIND_REPORT, SendText(text), chat_id=alert.sender_id, ref_id=alert.id
    )


def render_report(
    stats: AlertStats, reasons: list[tuple[str, int]], failed: list[GroupFigures] | None = None
) -> str:
    """The officer's status message once every group has been tried; `failed` names the
    groups not reached (failed or skipped copies) and why."""
    lang = stats.alert.sender_language
    text: str = t(
        lang,
        "alerts.report",
        id=stats.alert.id,
        delivered=stats.delivered,
        count=stats.targeted,
        failed=stats.failed,
        inactive=stats.inactive,
    )
    for error, count in reasons[:5]:  # in words, as the groups' lines below say them
        text += "\n" + t(lang, "alerts.report.reason", reason=reason(lang, error), count=count)
    if stats.withdrawn_unsent:
        text += "\n" + t(lang, "alerts.report.withdrawn", count=stats.withdrawn_unsent)
    not_withdrawn = [g for g in failed or [] if g.error != WITHDRAWN_BEFORE_DELIVERY]
    for line in report_lines(lang, not_withdrawn):
        text += "\n" + line
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
