"""Pure schedule arithmetic for tips: when is the next slot, and what to do with a due one.

A rule is "on <weekday> at <HH:MM> local time, every week / every other week / once a
month (the first <weekday> of the month), or off". Slots are computed on local *dates*
and then converted to UTC with :mod:`zoneinfo`, so 18:00 stays 18:00 local across both
daylight-saving switches (the UTC instant moves by an hour instead).

Every-other-week slots are anchored on the previous slot (previous + 14 local days); the
first slot after a change is the next matching weekday. Monthly slots are the first
matching weekday of each month.

Catch-up (:func:`plan_due`): when a schedule is found due, the latest slot that has
passed is sent if it is less than :data:`CATCH_UP_WINDOW` old, otherwise it is skipped;
either way the next run moves to the first slot after now, so nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "CATCH_UP_WINDOW",
    "DuePlan",
    "Frequency",
    "ScheduleRule",
    "first_slot_after",
    "following_slot",
    "local_slot",
    "parse_local_time",
    "plan_due",
]

CATCH_UP_WINDOW = dt.timedelta(hours=24)
"""A slot missed (bot down) by less than this is still sent once; older ones are skipped."""


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    OFF = "off"


@dataclass(frozen=True)
class ScheduleRule:
    """When a group gets tips. ``weekday`` 0 = Monday … 6 = Sunday; ``time`` is local."""

    weekday: int
    time: dt.time
    frequency: Frequency
    tz: ZoneInfo

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")


DEFAULT_WEEKDAY = 0
DEFAULT_TIME = dt.time(18, 0)
DEFAULT_FREQUENCY = Frequency.WEEKLY


def parse_local_time(text: str) -> dt.time:
    """Parse ``HH:MM`` (also ``HH.MM`` and ``HHMM``) into a time; ValueError when invalid."""
    cleaned = text.strip().replace(".", ":")
    if ":" not in cleaned and len(cleaned) == 4 and cleaned.isdigit():
        cleaned = f"{cleaned[:2]}:{cleaned[2:]}"
    hours, sep, minutes = cleaned.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"not a time: {text!r}")
    return dt.time(int(hours), int(minutes))


def local_slot(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of local ``day`` at ``at`` in ``tz``.

    A time that does not exist (the spring-forward gap) is moved forward by the gap
    (02:30 becomes 03:30); an ambiguous one (autumn) means its first occurrence.
    """
    naive = dt.datetime.combine(day, at)
    # zoneinfo gives a non-existent wall time the pre-transition offset, which is the
    # same instant as "moved forward by the gap"; fold=0 picks the first of two.
    return naive.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)


def _first_weekday_of_month(year: int, month: int, weekday: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def first_slot_after(rule: ScheduleRule, moment: dt.datetime) -> dt.datetime | None:
    """The first slot strictly after ``moment`` for a new or changed rule (None when off)."""
    if rule.frequency is Frequency.OFF:
        return None
    local_day = moment.astimezone(rule.tz).date()
    if rule.frequency is Frequency.MONTHLY:
        year, month = local_day.year, local_day.month
        while True:
            day = _first_weekday_of_month(year, month, rule.weekday)
            slot = local_slot(day, rule.time, rule.tz)
            if slot > moment:
                return slot
            year, month = _next_month(year, month)
    day = local_day + dt.timedelta(days=(rule.weekday - local_day.weekday()) % 7)
    while True:
        slot = local_slot(day, rule.time, rule.tz)
        if slot > moment:
            return slot
        day += dt.timedelta(days=7)


def following_slot(rule: ScheduleRule, slot: dt.datetime) -> dt.datetime | None:
    """The slot after ``slot`` under ``rule`` (same local time, DST-correct; None when off)."""
    if rule.frequency is Frequency.OFF:
        return None
    local_day = slot.astimezone(rule.tz).date()
    if rule.frequency is Frequency.MONTHLY:
        year, month = _next_month(local_day.year, local_day.month)
        return local_slot(_first_weekday_of_month(year, month, rule.weekday), rule.time, rule.tz)
    step = 14 if rule.frequency is Frequency.BIWEEKLY else 7
    return local_slot(local_day + dt.timedelta(days=step), rule.time, rule.tz)


@dataclass(frozen=True)
class DuePlan:
    """What to do with a schedule whose next run has come."""

    send: bool  # True: send one tip now for ``slot``
    slot: dt.datetime  # the latest slot that has passed (the one sent or skipped)
    next_run: dt.datetime | None  # first slot after now


def plan_due(rule: ScheduleRule, next_run: dt.datetime, now: dt.datetime) -> DuePlan | None:
    """Decide about a schedule whose stored next run is ``next_run`` (None when not due).

    Walks forward from ``next_run`` to the latest slot at or before ``now``: that slot is
    sent if it is less than :data:`CATCH_UP_WINDOW` old, otherwise skipped. Older missed
    slots are always skipped, so a long outage yields at most one tip.
    """
    if next_run > now or rule.frequency is Frequency.OFF:
        return None
    latest = next_run
    while True:
        nxt = following_slot(rule, latest)
        if nxt is None or nxt > now:
            break
        latest = nxt
    return DuePlan(send=now - latest < CATCH_UP_WINDOW, slot=latest, next_run=nxt)
