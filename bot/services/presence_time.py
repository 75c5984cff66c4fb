"""When and where a presence is: the time span people type, how it is shown, and the
iCalendar (.ics) file residents add to their calendar. Pure functions, no storage."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.i18n.dates import Part, format_when
from bot.services.refusals import Refused
from storage.presence import PresenceRecord

MAX_LENGTH = timedelta(hours=24)

# -- the time span -------------------------------------------------------------------------

_DAY = r"(?:(?P<iso>\d{4}-\d{1,2}-\d{1,2})|(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{2,4}))?)"
_TIME = r"(?:kl\.?\s*)?(?P<{n}h>\d{{1,2}})[:.](?P<{n}m>\d{{2}})"
_PERIOD = re.compile(
    rf"^{_DAY}\s+{_TIME.format(n='s')}\s*(?:-|–|—|till|to)\s*{_TIME.format(n='e')}$", re.I
)


def _exists(local: datetime) -> bool:
    """Whether a wall-clock time happens in its zone (02:30 on the night summer time
    begins does not: zoneinfo would read it as 03:30)."""
    tz = local.tzinfo
    assert tz is not None
    return local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None)


EXAMPLE_DAYS_AHEAD = 7  # within /enkat's 30 days and always ahead of the clock


def typed_examples(now: datetime, tz: tzinfo, days: int = EXAMPLE_DAYS_AHEAD) -> dict[str, str]:
    """The day prompts and refusals use in their examples of a typed time, `days` after
    `now` (negative: before) in local time `tz`, in both forms: {"day": "2026-12-07",
    "short_day": "7/12"}. A fixed date in a text would one day be too early or too late,
    and refused when typed."""
    day = now.astimezone(tz).date() + timedelta(days=days)
    return {"day": day.isoformat(), "short_day": f"{day.day}/{day.month}"}


def parse_period(text: str, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """`2026-12-03 14:00-16:00` or `3/12 14:00–16:00` (local time; an end before the start
    is the next day) → (start, end) in UTC. Refused("dialog.presence.bad_period") for
    another form, ("dialog.presence.past") for a start not in the future, at most 24 h;
    ("dialog.presence.no_such_time") for a start or end in the hour skipped when summer
    time begins."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        raise Refused("dialog.presence.bad_period", **typed_examples(now, tz))
    try:
        day = _day(match, now.astimezone(tz).date())
        start_t = time(int(match["sh"]), int(match["sm"]))
        end_t = time(int(match["eh"]), int(match["em"]))
        start = datetime.combine(day, start_t, tz)
        end = datetime.combine(day + timedelta(days=1 if end_t <= start_t else 0), end_t, tz)
        for moment in (start, end):
            if not _exists(moment):  # the spring-forward night's missing hour
                raise Refused("dialog.presence.no_such_time", time=moment.strftime("%H:%M"))
        # In `now`'s zone; a day in year 1 or 9999 may fall off the calendar (OverflowError).
        span = start.astimezone(now.tzinfo), end.astimezone(now.tzinfo)
    except (ValueError, OverflowError):
        raise Refused("dialog.presence.bad_period", **typed_examples(now, tz)) from None
    if start <= now:
        raise Refused("dialog.presence.past")
    if end - start > MAX_LENGTH:
        raise Refused("dialog.presence.bad_period", **typed_examples(now, tz))
    return span


_MOMENT = re.compile(rf"^{_DAY}\s+{_TIME.format(n='s')}$", re.I)


def _day(match: re.Match[str], today: date) -> date:
    """The day of a `_DAY` match; a day and month without a year is the next such date
    (today included). ValueError for a day not in the calendar."""
    if match["iso"]:
        return date.fromisoformat("-".join(f"{int(x):02d}" for x in match["iso"].split("-")))
    year = int(match["y"]) if match["y"] else today.year
    year += 2000 if year < 100 else 0
    day = date(year, int(match["m"]), int(match["d"]))
    if not match["y"] and day < today:
        day = day.replace(year=year + 1)
    return day


def parse_moment(text: str, now: datetime, tz: tzinfo) -> datetime | None:
    """`2026-12-24 18:00`, `24/12 18:00` or `24/12/2026 kl. 18.00` (local time `tz`, a day
    without a year the next such date) as an aware datetime in `now`'s zone; None for
    another form or a day or time not in the calendar."""
    match = _MOMENT.fullmatch(text.strip())
    if match is None:
        return None
    try:
        day = _day(match, now.astimezone(tz).date())
        moment = datetime.combine(day, time(int(match["sh"]), int(match["sm"])), tz)
        return moment.astimezone(now.tzinfo)
    except (ValueError, OverflowError):  # 31/2, 25:00, or year 1 / 9999 past the calendar
        return None


def format_period(
    lang: str, start: datetime, end: datetime, tz: tzinfo, *, now: datetime | None = None
) -> str:
    """ "tors 3 dec kl. 14.00–16.00" / "Thu 3 Dec at 14:00–16:00" in local time (both
    days, "… – fre 4 dec kl. 02.00", when it ends on another day). The day is always
    named, never "i morgon": periods are shown in posts and lists that stay in a chat.
    With `now`, the year is added when it is not `now`'s."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    part: Part = "clock" if a.date() == b.date() else "datetime"
    first = format_when(lang, a, now=now, weekday=True)
    if part == "clock":
        return f"{first}–{format_when(lang, b, part=part)}"
    return f"{first} – {format_when(lang, b, now=now, weekday=True)}"


def _ics_escape(text: str) -> str:
    # A typed CRLF or a lone CR is a line break too, never a new line of the file.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str, limit: int = 75) -> str:
    """RFC 5545 §3.1: a content line longer than 75 octets goes on in lines starting with a
    space; cut between characters, never inside a UTF-8 sequence. (The icalendar package
    would do this, but it reads a typed backslash before "N" as a line break.)"""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def ics(p: PresenceRecord, summary: str, host: str = "grannvakt") -> str:
    """An iCalendar (RFC 5545) event for a presence, times in UTC."""

    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y%m%dT%H%M%SZ")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Grannvakt//Narvaro//SV",
        "BEGIN:VEVENT",
        f"UID:presence-{p.id}@{host}",
        f"DTSTAMP:{stamp(p.starts_at)}",
        f"DTSTART:{stamp(p.starts_at)}",
        f"DTEND:{stamp(p.ends_at)}",
        f"SUMMARY:{_ics_escape(summary)}",
        f"DESCRIPTION:{_ics_escape(p.what)}",
        f"LOCATION:{_ics_escape(p.place)}",
    ]
    if p.latitude is not None and p.longitude is not None:
        lines.append(f"GEO:{p.latitude:.6f};{p.longitude:.6f}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
