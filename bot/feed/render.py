"""The message a group gets for a feed event, and quiet hours."""

from __future__ import annotations

import html
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.feed.parse import FeedEvent
from bot.feed.types import EMOJI, OTHER
from bot.i18n import Html, t
from bot.i18n.dates import format_when
from bot.i18n.feed_types import event_type_name


def event_text(lang: str, event: FeedEvent, tz: ZoneInfo, *, replay: bool = False) -> str:
    """HTML text of one event in `lang`: the type named in `lang` (bot/i18n/feed_types.py),
    the police's summary as they wrote it; the police's words are escaped."""
    place = event.place
    where = place.kommun.name if place.kommun else (place.lan_name or place.text or "–")
    when = (
        format_when(lang, event.incident_at, tz)
        if event.incident_at
        else t(lang, "feed.time_unknown")
    )
    text = t(
        lang,
        "feed.message",
        emoji=EMOJI.get(event.category or OTHER, "ℹ️"),
        type=event_type_name(lang, event.type),
        place=where,
        time=when,
        summary=event.summary or event.name,
        url=Html(html.escape(event.url, quote=True)),
    )
    return t(lang, "feed.replay_mark") + text if replay else text


def parse_hhmm(text: str) -> time:
    """'22:00' → time(22, 0); raises ValueError otherwise."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(moment: datetime, quiet: tuple[str, str] | None, tz: ZoneInfo) -> bool:
    """Whether `moment` falls in the local quiet hours [start, end) (which may span midnight)."""
    if quiet is None:
        return False
    start, end = parse_hhmm(quiet[0]), parse_hhmm(quiet[1])
    local = moment.astimezone(tz).time().replace(second=0, microsecond=0)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end
