"""Dates and times as people write them, the one way every text shows a moment.

Swedish: "30 nov kl. 00.55" (Språkrådet: the time with a full stop, "kl." before it);
English: "30 Nov, 00:55". The year is added only when it is not the year of `now` (so
"30 nov 2025 kl. 00.55" in January 2026), or always when no `now` is given and
`year=True`. Machine-readable places (CSV exports, the CLI, logs) keep ISO 8601.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import Literal

_MONTHS = {
    "sv": ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

Part = Literal["datetime", "date", "time", "clock"]


def _clock(lang: str, at: time) -> str:
    if lang == "sv":
        return f"{at.hour:02d}.{at.minute:02d}"
    return f"{at.hour:02d}:{at.minute:02d}"


def _day(lang: str, day: date, with_year: bool) -> str:
    month = _MONTHS.get(lang, _MONTHS["en"])[day.month - 1]
    text = f"{day.day} {month}"
    return f"{text} {day.year}" if with_year else text


def format_when(
    lang: str,
    moment: datetime | time,
    tz: tzinfo | None = None,
    *,
    part: Part = "datetime",
    now: datetime | None = None,
    year: bool = False,
) -> str:
    """`moment` in `lang` ('sv' or 'en', others get English) in local time `tz`.

    `part`: "datetime" → "30 nov kl. 00.55" / "30 Nov, 00:55"; "date" → "30 nov" /
    "30 Nov"; "time" → "kl. 00.55" / "00:55" (a bare `time` is shown so by default);
    "clock" → "00.55" / "00:55", for ranges such as "22.00–07.00".
    The year is shown when `year` is true, or when `now` is given and its year differs.
    An aware `moment` is converted to `tz` first; `tz` is required for aware datetimes.
    """
    if isinstance(moment, time):
        if part == "clock":
            return _clock(lang, moment)
        return ("kl. " if lang == "sv" else "") + _clock(lang, moment)
    local = moment.astimezone(tz) if tz is not None else moment
    with_year = year or (now is not None and now.astimezone(local.tzinfo).year != local.year)
    if part in ("time", "clock"):
        return format_when(lang, local.time(), part=part)
    day = _day(lang, local.date(), with_year)
    if part == "date":
        return day
    if lang == "sv":
        return f"{day} kl. {_clock(lang, local.time())}"
    return f"{day}, {_clock(lang, local.time())}"
