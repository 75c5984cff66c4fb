"""Parse answers of polisen.se/api/events into events with a time, a place and a kommun.

Traps handled here (see the README section "The police's events feed"):
* one-digit hours in `datetime` ("2026-01-02 9:05:00 +01:00");
* titles carry the incident day and time without a year ("31 december 23.50, …") and
  either "17.59" or the older "17:59";
* the kommun is the **last** comma part of `name` (types contain commas), falling back to
  `location.name`; matched exactly ignoring case and diacritics (never substrings);
* a län name instead of a kommun means a län-level event.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.feed.types import category_of, clean_type
from bot.services.kommuner import Kommun, find_kommun_by_name, load_kommuner, normalize_name

SITE = "https://polisen.se"

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip

_TITLE_TIME = re.compile(r"^\s*(\d{1,2})\s+([a-zåäö]+)\s+(\d{1,2})[.:](\d{2})", re.IGNORECASE)

# Routing classes of an event's place.
KOMMUN = "kommun"
LAN = "lan"
UNKNOWN_PLACE = "unknown_place"


class FeedFormatError(ValueError):
    """The body is not a JSON list of events (the message says what was wrong)."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event is: a kommun, a whole län, or nowhere we know.

    `miscased` is True when the feed spelled the kommun with other letter case or
    diacritics than the official name (e.g. "Upplands väsby").
    """

    routing: str
    kommun: Kommun | None = None
    lan_name: str | None = None
    text: str = ""
    miscased: bool = False

    @property
    def lan_code(self) -> str | None:
        if self.kommun is not None:
            return self.kommun.lan_code
        return _lan_codes().get(self.lan_name or "")


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One event object of the feed, cleaned.

    `published_at` is the feed's `datetime` (publication, not changed by edits; aware);
    `incident_at` is the title's day and time with the year inferred (None when the title
    has none); `url` is absolute; `type` is stripped; `category` is None for unknown types.
    """

    id: int
    published_at: datetime
    incident_at: datetime | None
    name: str
    summary: str
    url: str
    type: str
    category: str | None
    location_name: str
    place: Place

    @property
    def content_hash(self) -> str:
        """Hash of what residents see: title, summary, type (the URL's trailing '/' and
        typo fixes are not a change; `datetime` never changes on an edit)."""
        data = json.dumps([self.name, self.summary, self.type], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:32]


def parse_published(text: str) -> datetime:
    """'2026-01-02 9:05:00 +01:00' → aware datetime (one-digit hours accepted).

    Raises ValueError for anything else.
    """
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def incident_time(name: str, published_at: datetime, tz: ZoneInfo) -> datetime | None:
    """The incident moment from a title like '31 december 23.50, Inbrott, Ystad'.

    The title has no year: take the publication's year, and the year before when that
    would put the incident after the publication (an incident is never in the future).
    Returns an aware datetime in `tz`, or None when the title has no day and time.
    """
    match = _TITLE_TIME.match(name)
    if not match:
        return None
    day, month_name, hour, minute = match.groups()
    month = MONTHS.get(month_name.casefold())
    if month is None or int(hour) > 23 or int(minute) > 59:
        return None
    local_pub = published_at.astimezone(tz)
    for year in (local_pub.year, local_pub.year - 1):
        try:
            moment = datetime(year, month, int(day), int(hour), int(minute), tzinfo=tz)
        except ValueError:  # 29 February in a common year, 31 April, …
            continue
        # An hour of slack: the police's clocks and the title's rounding are not ours.
        if moment <= local_pub + timedelta(hours=1):
            return moment
    return None


@cache
def _lans() -> dict[str, str]:
    """Normalised län name → official län name ('skane lan' → 'Skåne län')."""
    return {normalize_name(k.lan_name): k.lan_name for k in load_kommuner()}


@cache
def _lan_codes() -> dict[str, str]:
    return {k.lan_name: k.lan_code for k in load_kommuner()}


def resolve_place(text: str) -> Place | None:
    """A place name → kommun or län (exact, ignoring case and diacritics); None if neither."""
    return _resolve(" ".join(text.split()))


@lru_cache(maxsize=4096)  # a few hundred distinct places a day
def _resolve(text: str) -> Place | None:
    if not text:
        return None
    kommun = find_kommun_by_name(text)
    if kommun is not None and normalize_name(text) == normalize_name(kommun.name):
        return Place(KOMMUN, kommun, kommun.lan_name, text, miscased=text != kommun.name)
    lan = _lans().get(normalize_name(text))
    if lan is not None:
        return Place(LAN, None, lan, text)
    return None


def place_of(name: str, location_name: str) -> Place:
    """The last comma part of the title, else `location.name`, as a Place."""
    last = name.rsplit(",", 1)[-1] if "," in name else ""
    for candidate in (last, location_name):
        place = resolve_place(candidate)
        if place is not None:
            return place
    return Place(UNKNOWN_PLACE, text=(last.strip() or location_name.strip()))


def absolute_url(url: str) -> str:
    """Relative feed URLs get the site prefix; only https links on polisen.se are kept."""
    url = url.strip()
    if url.startswith("/"):
        return SITE + url
    if url.startswith(SITE + "/"):
        return url
    return SITE + "/aktuellt/handelser/"


def parse_event(raw: Any, tz: ZoneInfo) -> FeedEvent:
    """One event object → FeedEvent; raises ValueError (or KeyError/TypeError) if malformed."""
    if not isinstance(raw, dict):
        raise ValueError("event is not an object")
    event_id = raw["id"]
    if not isinstance(event_id, int) or isinstance(event_id, bool) or event_id <= 0:
        raise ValueError("id is not a positive integer")
    published = parse_published(str(raw["datetime"]))
    name = " ".join(str(raw.get("name") or "").split())
    location = raw.get("location") or {}
    location_name = str(location.get("name") or "").strip() if isinstance(location, dict) else ""
    event_type = clean_type(raw.get("type"))
    return FeedEvent(
        id=event_id,
        published_at=published,
        incident_at=incident_time(name, published, tz),
        name=name,
        summary=" ".join(str(raw.get("summary") or "").split()),
        url=absolute_url(str(raw.get("url") or "")),
        type=event_type,
        category=category_of(event_type),
        location_name=location_name,
        place=place_of(name, location_name),
    )


@dataclass(frozen=True)
class ParsedAnswer:
    """The events of one answer (in feed order) and how many objects were malformed."""

    events: list[FeedEvent]
    malformed: int


def parse_answer(body: bytes | str, tz: ZoneInfo) -> ParsedAnswer:
    """A response body → events. Raises FeedFormatError unless it is a JSON list.

    An empty body is an empty list (the caller treats it as a suspect answer).
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if not body.strip():
        return ParsedAnswer([], 0)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise FeedFormatError(f"not JSON: {exc.msg}") from None
    except (RecursionError, ValueError) as exc:  # nested too deep; a number too long
        raise FeedFormatError(f"not usable JSON: {str(exc).split(';')[0]}") from None
    if not isinstance(data, list):
        raise FeedFormatError("not a JSON list")
    events: list[FeedEvent] = []
    malformed = 0
    for raw in data:
        try:
            events.append(parse_event(raw, tz))
        except (ValueError, KeyError, TypeError):
            malformed += 1
    return ParsedAnswer(events, malformed)
