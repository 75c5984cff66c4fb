"""What a resident types or shares in a report: categories, limits, location, time.

Pure validation (no storage, no Telegram types); re-exported by bot.services.observations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# Category name in storage -> short code used in callback data.
CATEGORIES: dict[str, str] = {
    "suspicious_person": "sp",
    "suspicious_vehicle": "sv",
    "burglary": "bu",
    "theft": "th",
    "vehicle_crime": "vc",
    "vandalism": "va",
    "drugs": "dr",
    "traffic": "tr",
    "other": "ot",
}
CATEGORY_BY_CODE = {code: name for name, code in CATEGORIES.items()}

MAX_DESCRIPTION = 2000
MAX_PLACE = 200
MAX_NOTE = 1000
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
FUTURE_SLACK = timedelta(minutes=5)
OLDEST = timedelta(days=365)

# Sweden's bounding box with a margin of about half a degree.
LAT_RANGE = (54.5, 70.0)
LON_RANGE = (10.0, 25.0)


def in_sweden(latitude: float, longitude: float) -> bool:
    """True when a location is in or near Sweden (a generous bounding box)."""
    return LAT_RANGE[0] <= latitude <= LAT_RANGE[1] and LON_RANGE[0] <= longitude <= LON_RANGE[1]


def stored_location(latitude: float, longitude: float, exact: bool) -> tuple[float, float]:
    """The location as stored: rounded to 3 decimals (about 100 m) unless exact."""
    if exact:
        return latitude, longitude
    return round(latitude, 3), round(longitude, 3)


class WhenError(StrEnum):
    FORMAT = "format"
    NO_TIME = "no_time"
    FUTURE = "future"
    TOO_OLD = "too_old"


class WhenNote(StrEnum):
    """Why the moment used differs from (or needs a word about) the local time typed."""

    GAP = "gap"  # the time does not exist that day (spring forward): moved forward by the gap
    REPEATED_LATER = "repeated_later"  # it happened twice (fall back): the later one is used
    REPEATED_EARLIER = "repeated_earlier"  # ...the earlier one (the later is still to come)


@dataclass(frozen=True)
class When:
    """A moment a resident typed: `moment` is aware UTC, the one time used everywhere.

    `note` is set when the local time typed (`typed`, "HH:MM") did not exist that day or
    happened twice; the summary then says which moment is used.
    """

    moment: datetime
    note: WhenNote | None = None
    typed: str | None = None


# The day: a word (today, yesterday, the day before) or a date; a time: 22:30, 22.30, 2230,
# "kl 22", "kl. 0.10". Either may come first ("igår 22:00", "22:00 igår").
# None: "last night", the most recent such time (today after midnight, else yesterday).
_DAY_WORDS: dict[int | None, tuple[str, ...]] = {
    None: ("i natt", "inatt", "last night"),
    0: (
        "idag",
        "i dag",
        "today",
        "i morse",
        "imorse",
        "i kväll",
        "ikväll",
        "this morning",
        "this evening",
        "tonight",
    ),
    1: (
        "igår",
        "i går",
        "igar",
        "i gar",
        "yesterday",
        "igår kväll",
        "i går kväll",
        "igårkväll",
        "igår morse",
        "i går morse",
        "igår morgon",
        "i går morgon",
        "yesterday evening",
        "yesterday morning",
        "last evening",
    ),
    2: (
        "i förrgår",
        "iförrgår",
        "förrgår",
        "i forrgar",
        "forrgar",
        "day before yesterday",
        "the day before yesterday",
    ),
}
_DAYS_AGO = {word: n for n, words in _DAY_WORDS.items() for word in words}
_DAY = (
    r"(?P<word>" + "|".join(sorted(map(re.escape, _DAYS_AGO), key=len, reverse=True)) + r")"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<dd>\d{1,2})/(?P<dm>\d{1,2})(?:/(?P<dy>\d{4}|\d{2}))?"
)
_CLOCK = r"(?:(?:kl\.?|klockan|at)\s*)"
_TIME = (
    rf"{_CLOCK}?(?P<h>\d{{1,2}})[:.](?P<m>\d{{2}})"
    rf"|{_CLOCK}(?P<hour>\d{{1,2}})"
    r"|(?P<hhmm>\d{4})"
)
_SEP = r"(?:\s*,\s*|\s+)"
_FORMS = [
    re.compile(rf"(?:(?:{_DAY}){_SEP})?(?:{_TIME})"),
    re.compile(rf"(?:{_TIME}){_SEP}(?:{_DAY})"),
]
_DAY_ONLY = re.compile(_DAY)


def _check_moment(moment: datetime, now: datetime) -> datetime | WhenError:
    if moment > now + FUTURE_SLACK:
        return WhenError.FUTURE
    if moment < now - OLDEST:
        return WhenError.TOO_OLD
    return min(moment, now)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower()).rstrip(".")


def _day(match: re.Match[str], today: date) -> date | None:
    """The date a matched day part names; None when it is not a real date.

    A day/month without a year is the most recent such date that is not in the future."""
    if match.group("word"):
        days_ago = _DAYS_AGO[match.group("word")]
        return today - timedelta(days=days_ago or 0)
    try:
        if match.group("iy"):
            return date(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
        if match.group("dd") is None:
            return today
        day, month = int(match.group("dd")), int(match.group("dm"))
        if match.group("dy"):
            year = int(match.group("dy"))
            return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None
    for year in range(today.year, today.year - 5, -1):  # 29/2 looks back to a leap year
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def _is_last_night(match: re.Match[str]) -> bool:
    word = match.group("word")
    return word is not None and _DAYS_AGO[word] is None


def _time(match: re.Match[str]) -> time | None:
    if match.group("h") is not None:
        hour, minute = int(match.group("h")), int(match.group("m"))
    elif match.group("hour") is not None:
        hour, minute = int(match.group("hour")), 0
    else:
        hour, minute = divmod(int(match.group("hhmm")), 100)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def resolve_local(day: date, at: time, tz: ZoneInfo, now: datetime) -> When:
    """The UTC moment of local `day` at `at` in `tz`.

    A time inside the spring-forward gap (02:30 on the last Sunday of March) is moved forward
    by the gap (03:30), as the tip schedule does. A time that happened twice (02:30 on the
    last Sunday of October) is the later occurrence unless that is still to come: the most
    recent moment that is not in the future, like a date without a year.
    """
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    typed = at.strftime("%H:%M")
    if first.astimezone(tz).replace(tzinfo=None) != naive:
        # zoneinfo gives a gap time the offset from before the switch: 02:30+01 = 03:30+02.
        return When(first, WhenNote.GAP, typed)
    if first == second:
        return When(first)
    if second <= now + FUTURE_SLACK:
        return When(second, WhenNote.REPEATED_LATER, typed)
    return When(first, WhenNote.REPEATED_EARLIER, typed)


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> When | WhenError:
    """A moment typed in a report, in local time, not in the future, at most a year old.

    Accepted (case does not matter): a time alone (today) as `22:30`, `22.30`, `2230`,
    `kl 22`, `kl. 0.10`; with a day before or after it: `idag`/`i dag`/`today` (also
    `i morse`, `i kväll`), `igår`/`i går`/`yesterday` (also `igår kväll`, `igår morse`),
    `i förrgår`/`förrgår`/`day before yesterday`, `i natt`/`last night` (the most recent
    such time: 02:00 today, 23:30 yesterday),
    `2026-11-24`, `24/11` (the most recent 24 November that is not in the future),
    `24/11/2026` or `24/11/26`. Returns WhenError.NO_TIME for a day without a time.
    """
    cleaned = _normalise(text)
    local_today = now.astimezone(tz).date()
    for form in _FORMS:
        match = form.fullmatch(cleaned)
        if match is None:
            continue
        day, at = _day(match, local_today), _time(match)
        if day is None or at is None:
            return WhenError.FORMAT
        when = resolve_local(day, at, tz, now)
        if _is_last_night(match) and when.moment > now + FUTURE_SLACK:
            when = resolve_local(day - timedelta(days=1), at, tz, now)
        checked = _check_moment(when.moment, now)
        if isinstance(checked, WhenError):
            return checked
        return When(checked, when.note, when.typed)
    day_only = _DAY_ONLY.fullmatch(cleaned)
    if day_only:  # asked for a time only once the day itself can be right
        day = _day(day_only, local_today)
        if day is None:
            return WhenError.FORMAT
        if day > local_today:
            return WhenError.FUTURE
        if day < (now - OLDEST).astimezone(tz).date():
            return WhenError.TOO_OLD
        return WhenError.NO_TIME
    return WhenError.FORMAT


def parse_time_today(text: str, now: datetime, tz: ZoneInfo) -> datetime | WhenError:
    """The moment of `parse_when` (a time alone means today); kept for callers of old."""
    result = parse_when(text, now, tz)
    return result if isinstance(result, WhenError) else result.moment


def parse_day_time(text: str, now: datetime, tz: ZoneInfo) -> datetime | WhenError:
    """The moment of `parse_when` ('YYYY-MM-DD HH:MM', 'D/M HH:MM', 'igår 22:00', ...)."""
    return parse_time_today(text, now, tz)
