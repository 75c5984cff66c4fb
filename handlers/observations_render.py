"""Rendering observations for Telegram: detail texts, listings, inline keyboards.

Shared by the report dialogue and the triage/inbox handlers. Everything user-written is
escaped (via `t()` parameters or `html.escape`).
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CallbackData
from bot.i18n import Html, t, t_plain
from bot.i18n.dates import format_when
from bot.services.observations import (
    CATEGORIES,
    PERIODS,
    STATUSES,
    ListFilter,
    Page,
    ReportDraft,
    Viewer,
)
from bot.textlen import utf16_len
from handlers.observations_buttons import (
    Handled,
    InboxPage,
    ObsAction,
    ObsDetail,
    ObsFilter,
    ObsListing,
    ObsNote,
    PoliceDetail,
    TriageAction,
    Withdraw,
)
from handlers.witness_buttons import WitnessContact
from storage.observations import Observation

_T = TypeVar("_T")

TEXT_LIMIT = 4000


def local(lang: str, moment: datetime | None, tz: ZoneInfo) -> str:
    """A stored moment in local time as people write it ("30 nov kl. 00.55"); "" for None."""
    return "" if moment is None else format_when(lang, moment, tz)


def osm_link(latitude: float, longitude: float) -> str:
    """An openstreetmap.org link with a marker."""
    return (
        f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}"
        f"#map=17/{latitude}/{longitude}"
    )


def category_name(lang: str, category: str | None) -> str:
    return t_plain(lang, f"obs.cat.{category}") if category in CATEGORIES else "?"


def _place_lines(
    lang: str, place: str | None, lat: float | None, lon: float | None, exact: bool
) -> list[str]:
    lines: list[str] = []
    if lat is not None and lon is not None:
        link = Html(f'<a href="{html.escape(osm_link(lat, lon))}">{t(lang, "obs.d.map")}</a>')
        precision = t(lang, "obs.d.exact" if exact else "obs.d.approx")
        lines.append(t(lang, "obs.d.location", link=link, precision=Html(precision)))
    if place:
        lines.append(t(lang, "obs.d.place", place=place))
    return lines


def _when_note(lang: str, draft: ReportDraft, tz: ZoneInfo) -> list[str]:
    """A line saying which moment is used when the typed local time was moved/ambiguous."""
    if draft.observed_note is None or draft.observed_at is None:
        return []
    note, typed = draft.observed_note
    typed_at = format_when(lang, time.fromisoformat(typed)) if typed else typed
    used = format_when(lang, draft.observed_at, tz, part="time")
    return [t(lang, f"obs.when.{note}", typed=typed_at, used=used)]


def draft_text(lang: str, draft: ReportDraft, area: str, tz: ZoneInfo) -> str:
    """The summary of a draft shown before the resident confirms."""
    lines: list[str] = [
        t(lang, "obs.d.group", area=area),
        t(lang, "obs.field.category") + ": " + html.escape(category_name(lang, draft.category)),
        t(lang, "obs.d.when", when=local(lang, draft.observed_at, tz)),
        *_when_note(lang, draft, tz),
        *_place_lines(
            lang, draft.place_text, draft.latitude, draft.longitude, draft.location_exact
        ),
        t(lang, "obs.d.description", text=draft.description or ""),
        t(lang, "obs.d.photos", count=len(draft.photos)),
        t(lang, "obs.d.identity_yes" if draft.show_identity else "obs.d.identity_no"),
    ]
    return "\n".join(lines)


def detail_text(lang: str, obs: Observation, viewer: Viewer, tz: ZoneInfo) -> str:
    """Everything about an observation that this viewer may see."""
    lines: list[str] = [
        t(
            lang,
            "obs.d.head",
            reference=obs.reference,
            category=category_name(lang, obs.category),
        ),
        t(lang, "obs.d.status", status=t_plain(lang, f"obs.status.{obs.status}")),
        t(lang, "obs.d.group", area=obs.group_area),
        t(lang, "obs.d.when", when=local(lang, obs.observed_at, tz)),
        *_place_lines(lang, obs.place_text, obs.latitude, obs.longitude, obs.location_exact),
        t(lang, "obs.d.description", text=obs.description),
    ]
    if obs.photos:
        lines.append(t(lang, "obs.d.photos", count=len(obs.photos)))
    if viewer is not Viewer.RESIDENT:
        if obs.show_identity:
            lines.append(t(lang, "obs.d.reporter", name=obs.reporter_name or str(obs.reporter_id)))
        else:
            lines.append(t(lang, "obs.d.anonymous"))
    lines.append(t(lang, "obs.d.reported_at", at=local(lang, obs.created_at, tz)))
    if obs.forwarded_at is not None:
        lines.append(t(lang, "obs.d.forwarded", at=local(lang, obs.forwarded_at, tz)))
    if obs.handled_at is not None:
        lines.append(t(lang, "obs.d.handled", at=local(lang, obs.handled_at, tz)))
    if obs.notes and viewer is Viewer.COORDINATOR:  # who reads notes: observation_export
        lines.append(t(lang, "fb.d.notes"))
        for note in obs.notes:
            lines.append(
                t(
                    lang,
                    "obs.d.note",
                    at=local(lang, note.created_at, tz),
                    name=note.author_name,
                    text=note.text,
                )
            )
    text = "\n".join(lines)
    if utf16_len(text) > TEXT_LIMIT:  # many long notes: keep the head, never cut inside a tag
        text = "\n".join(lines[:8]) + "\n…"
    return text


def coordinator_keyboard(lang: str, obs: Observation, details: bool) -> InlineKeyboardMarkup:
    """Action buttons for a coordinator, according to the current status: one action per
    row, each labelled as what pressing it does (read on a phone)."""
    rows: list[list[InlineKeyboardButton]] = []
    if obs.status == "new":
        rows.append([_btn(lang, "fb.btn.reviewed", ObsAction(obs.id, TriageAction.REVIEWED))])
    if obs.status in ("new", "reviewed"):
        rows.append([_btn(lang, "fb.btn.forward", ObsAction(obs.id, TriageAction.FORWARD))])
    if obs.status in ("new", "reviewed", "forwarded"):
        rows.append([_btn(lang, "fb.btn.close", ObsAction(obs.id, TriageAction.CLOSED))])
    rows.append([_btn(lang, "fb.btn.note", ObsNote(obs.id))])
    if details:
        rows.append([_btn(lang, "fb.btn.details", ObsDetail(obs.id))])
    return InlineKeyboardMarkup(rows)


def police_keyboard(lang: str, obs: Observation, details: bool) -> InlineKeyboardMarkup | None:
    """'Mark as handled' (until it is), in notifications a details button, and "Kontakta"
    when the reporter agreed to show their name (handlers/witness_relay.py)."""
    rows = []
    if obs.handled_at is None:
        rows.append([_btn(lang, "fb.btn.handled", Handled(obs.id))])
    if details:
        rows.append([_btn(lang, "fb.btn.details", PoliceDetail(obs.id))])
    if obs.show_identity:  # the reporter agreed to be named: the police may contact them
        rows.append([_btn(lang, "police.relay.button", WitnessContact(obs.id))])
    return InlineKeyboardMarkup(rows) if rows else None


def _btn(lang: str, key: str, data: CallbackData, **params: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(t_plain(lang, key, **params), callback_data=data.pack())


def _filter_summary(lang: str, flt: ListFilter) -> dict[str, str]:
    all_label = t_plain(lang, "obs.list.all")
    return {
        "status": t_plain(lang, f"obs.status.{flt.status}") if flt.status else all_label,
        "category": category_name(lang, flt.category) if flt.category else all_label,
        "period": t_plain(lang, f"obs.period.{flt.period}"),
    }


def listing(
    lang: str, page: Page, flt: ListFilter, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    """The coordinator's listing page: a button per item, one "Filter" button that opens
    the picker (filter_picker) and, when filtered, a reset."""
    lines: list[str] = [t(lang, "obs.list.title", page=flt.page + 1)]
    lines.append(t(lang, "fb.filter.now", **_filter_summary(lang, flt)))
    for item in page.items:
        lines.append(
            t(
                lang,
                "obs.list.line",
                reference=item.reference,
                category=category_name(lang, item.category),
                status=t_plain(lang, f"obs.status.{item.status}"),
                area=page.areas.get(item.group_id, "?"),
                date=local(lang, item.created_at, tz),
            )
        )
    if not page.items:
        lines.append(t(lang, "obs.list.empty"))
    rows = [
        [InlineKeyboardButton(item.reference, callback_data=ObsDetail(item.id).pack())]
        for item in page.items
    ]
    nav = []
    if flt.page > 0:
        nav.append(_btn(lang, "obs.btn.prev", ObsListing.of(replace(flt, page=flt.page - 1))))
    if page.has_next:
        nav.append(_btn(lang, "obs.btn.next", ObsListing.of(replace(flt, page=flt.page + 1))))
    if nav:
        rows.append(nav)
    tools = [_btn(lang, "fb.filter.open", ObsFilter.of(flt))]
    if replace(flt, page=0) != ListFilter():
        tools.append(_btn(lang, "fb.filter.reset", ObsListing.of(ListFilter())))
    rows.append(tools)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def filter_picker(lang: str, flt: ListFilter) -> tuple[str, InlineKeyboardMarkup]:
    """The filter picker: every choice shown (✓ on the chosen one), each press changes one
    part and shows the picker again; "Show" lists with the filter, "Reset" starts over."""
    first = replace(flt, page=0)

    def choice(label: str, chosen: bool, new: ListFilter) -> InlineKeyboardButton:
        text = f"✓ {label}" if chosen else label
        return InlineKeyboardButton(text, callback_data=ObsFilter.of(new).pack())

    all_label = t_plain(lang, "obs.list.all")
    statuses = [choice(all_label, flt.status is None, replace(first, status=None))] + [
        choice(t_plain(lang, f"obs.status.{s}"), flt.status == s, replace(first, status=s))
        for s in STATUSES
    ]
    categories = [choice(all_label, flt.category is None, replace(first, category=None))] + [
        choice(category_name(lang, c), flt.category == c, replace(first, category=c))
        for c in CATEGORIES
    ]
    periods = [
        choice(t_plain(lang, f"obs.period.{p}"), flt.period == p, replace(first, period=p))
        for p in PERIODS
    ]
    rows = [
        *_chunks(statuses, 3),
        *_chunks(categories, 2),
        periods,
        [
            _btn(lang, "fb.filter.reset", ObsFilter.of(ListFilter())),
            _btn(lang, "fb.filter.show", ObsListing.of(first)),
        ],
    ]
    text = t(lang, "fb.filter.title", **_filter_summary(lang, flt))
    return text, InlineKeyboardMarkup(rows)


def _chunks(items: list[_T], size: int) -> list[list[_T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def inbox_listing(
    lang: str, page: Page, number: int, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The police inbox page: ✅ handled, 🔔 waiting; a button per item."""
    lines: list[str] = [t(lang, "obs.inbox.title", page=number + 1)]
    for item in page.items:
        lines.append(
            t(
                lang,
                "obs.inbox.line",
                mark="✅" if item.handled else "🔔",
                reference=item.reference,
                category=category_name(lang, item.category),
                area=page.areas.get(item.group_id, "?"),
                date=local(lang, item.created_at, tz),
            )
        )
    if not page.items:
        lines.append(t(lang, "obs.inbox.empty"))
    rows = [
        [InlineKeyboardButton(item.reference, callback_data=PoliceDetail(item.id).pack())]
        for item in page.items
    ]
    nav = []
    if number > 0:
        nav.append(_btn(lang, "obs.btn.prev", InboxPage(number - 1)))
    if page.has_next:
        nav.append(_btn(lang, "obs.btn.next", InboxPage(number + 1)))
    if nav:
        rows.append(nav)
    return "\n".join(lines), (InlineKeyboardMarkup(rows) if rows else None)


def own_listing(lang: str, page: Page, tz: ZoneInfo) -> tuple[str, InlineKeyboardMarkup | None]:
    """The resident's own reports, with a withdraw button for those still new."""
    if not page.items:
        return t(lang, "obs.mine.empty"), None
    lines: list[str] = [t(lang, "obs.mine.title")]
    rows = []
    for item in page.items:
        lines.append(
            t(
                lang,
                "obs.mine.line",
                reference=item.reference,
                category=category_name(lang, item.category),
                status=t_plain(lang, f"obs.status.{item.status}"),
                date=local(lang, item.created_at, tz),
            )
        )
        if item.status == "new":
            rows.append(
                [_btn(lang, "obs.btn.withdraw", Withdraw(item.id), reference=item.reference)]
            )
    return "\n".join(lines), (InlineKeyboardMarkup(rows) if rows else None)
