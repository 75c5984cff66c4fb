"""Dates and times as people write them, the one way every text shows a moment.

Swedish: "30 nov kl. 00.55" (Språkrådet: the time with a full stop, "kl." before it);
English: "30 Nov at 00:55". With `weekday=True` the day is named ("mån 30 nov kl. 18.00",
"Mon 30 Nov at 18:00"); with `relative=True` (and `now`) today, tomorrow and yesterday are
said so ("i morgon kl. 18.00", "tomorrow at 18:00") and other days are named. Relative
words only suit answers that go away (toasts, a dialogue's preview, replaced when it
ends): a message or a button that stays in a chat (posts, lists, result screens, panels)
names the day instead, since "tomorrow" is wrong the day after. The year is added only
when it is not the year of `now` (so "30 nov 2025 kl. 00.55" in January 2026), or always
when `year=True`. Machine-readable places (CSV exports, the CLI, logs) keep ISO 8601.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

_MONTHS = {
    "sv": ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_WEEKDAYS = {
    "sv": ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
# days from today → the word for that day
_NEAR_DAYS = {
    "sv": {-1: "i går", 0: "i dag", 1: "i morgon"},
    "en": {-1: "yesterday", 0: "today", 1: "tomorrow"},
}
# the word between a day and its time
_AT = {"sv": "kl.", "en": "at"}

Part = Literal["datetime", "date", "time", "clock"]


def _lang(lang: str) -> str:
    return "sv" if lang == "sv" else "en"


def _clock(lang: str, at: time) -> str:
    if lang == "sv":
        return f"{at.hour:02d}.{at.minute:02d}"
    return f"{at.hour:02d}:{at.minute:02d}"


def _day(lang: str, day: date, with_year: bool, weekday: bool) -> str:
    text = f"{day.day} {_MONTHS[lang][day.month - 1]}"
    if with_year:
        text = f"{text} {day.year}"
    return f"{_WEEKDAYS[lang][day.weekday()]} {text}" if weekday else text


def format_when(
    lang: str,
    moment: datetime | time,
    tz: tzinfo | None = None,
    *,
    part: Part = "datetime",
    now: datetime | None = None,
    year: bool = False,
    weekday: bool = False,
    relative: bool = False,
) -> str:
    """`moment` in `lang` ('sv' or 'en', others get English) in local time `tz`.

    `part`: "datetime" → "30 nov kl. 00.55" / "30 Nov at 00:55"; "date" → "30 nov" /
    "30 Nov"; "time" → "kl. 00.55" / "00:55" (a bare `time` is shown so by default);
    "clock" → "00.55" / "00:55", for ranges such as "22.00–07.00".
    `weekday`: the day is named first ("mån 30 nov", "Mon 30 Nov"). `relative` (needs
    `now`): "i dag" / "i går" / "i morgon" ("today" / "yesterday" / "tomorrow") for those
    days, other days named as with `weekday`.
    The year is shown when `year` is true, or when `now` is given and its year differs.
    An aware `moment` is converted to `tz` first; `tz` is required for aware datetimes.
    `ValueError` for `relative` without `now`.
    """
    lang = _lang(lang)
    if isinstance(moment, time):
        if part == "clock":
            return _clock(lang, moment)
        return ("kl. " if lang == "sv" else "") + _clock(lang, moment)
    local = moment.astimezone(tz) if tz is not None else moment
    if part in ("time", "clock"):
        return format_when(lang, local.time(), part=part)
    if relative and now is None:
        raise ValueError("relative=True needs now")
    near = None
    if relative and now is not None:
        offset = (local.date() - now.astimezone(local.tzinfo).date()) // timedelta(days=1)
        near = _NEAR_DAYS[lang].get(offset)
    if near is None:
        with_year = year or (now is not None and now.astimezone(local.tzinfo).year != local.year)
        near = _day(lang, local.date(), with_year, weekday or relative)
    if part == "date":
        return near
    return f"{near} {_AT[lang]} {_clock(lang, local.time())}"
