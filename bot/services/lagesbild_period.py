"""The lägesbild's periods: whole ISO calendar weeks (Monday 00:00 to Monday 00:00, local).

A period of the bot (4 weeks, a quarter = 13 weeks, a year = 52 weeks) ends with the last
complete week: asked on Thursday of week 49, a 4-week period is weeks 45–48. The command
line chooses weeks by dates (the weeks that contain them). The chart's labels, the CSV's
week column and the text's week range are all read from :meth:`Period.iso_weeks`, so
they name the same weeks.

Bounds are aware datetimes in the local zone: adding a week to Monday 00:00 gives the next
Monday 00:00 local also across a change to or from summer time (a week is then 167 or 169
hours long), and `storage.timeutil.to_db` turns them into UTC for the queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum


class PeriodKind(StrEnum):
    WEEKS4 = "w4"
    QUARTER = "q"
    YEAR = "y"


WEEKS = {PeriodKind.WEEKS4: 4, PeriodKind.QUARTER: 13, PeriodKind.YEAR: 52}


@dataclass(frozen=True)
class IsoWeek:
    """One ISO 8601 calendar week: its year (the ISO year, 2027 for 2027-W01 even when it
    starts in December 2026), number (1–53) and Monday."""

    year: int
    week: int
    monday: date

    @property
    def key(self) -> str:
        """'2026-W48' (ISO 8601), as in the CSV."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def iso_week(day: date) -> IsoWeek:
    year, week, weekday = day.isocalendar()
    return IsoWeek(year, week, day - timedelta(days=weekday - 1))


@dataclass(frozen=True)
class Period:
    """[start, end): whole ISO weeks, each bound a Monday 00:00 in the local zone (aware).

    `kind` is None for a period chosen by dates (the command line)."""

    kind: PeriodKind | None
    start: datetime
    end: datetime

    @property
    def weeks(self) -> int:
        return max(1, (self.end.date() - self.start.date()).days // 7)

    @property
    def previous(self) -> Period:
        """The same number of weeks right before this period."""
        return Period(self.kind, self.start - timedelta(weeks=self.weeks), self.start)

    def week_start(self, index: int) -> datetime:
        """Monday 00:00 local of week `index` (0 = the first week of the period)."""
        return _midnight(self.start.date() + timedelta(weeks=index), self.start.tzinfo)

    def week_starts(self) -> list[datetime]:
        """Every week's Monday 00:00 local, first to last (len == weeks)."""
        return [self.week_start(i) for i in range(self.weeks)]

    def iso_weeks(self) -> list[IsoWeek]:
        """The period's calendar weeks, first to last: the chart's labels, the CSV's rows."""
        return [iso_week(self.start.date() + timedelta(weeks=i)) for i in range(self.weeks)]

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The Sunday that ends the period (the end itself is the next Monday)."""
        return self.end.date() - timedelta(days=1)


def _midnight(day: date, tz: tzinfo | None) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def week_monday(moment: datetime, tz: tzinfo) -> datetime:
    """Monday 00:00 local of the ISO week that holds `moment` (aware)."""
    local = moment.astimezone(tz).date()
    return _midnight(local - timedelta(days=local.weekday()), tz)


def period_ending(kind: PeriodKind, now: datetime, tz: tzinfo) -> Period:
    """The `kind` of period (4, 13 or 52 weeks) that ends with the last complete ISO week
    before `now` (aware): the current week, not over yet, is left out."""
    end = week_monday(now, tz)
    return Period(kind, end - timedelta(weeks=WEEKS[kind]), end)


def period_ended(kind: PeriodKind, end_monday: date, tz: tzinfo) -> Period:
    """The `kind` of period whose last week ends the day before `end_monday` (a Monday):
    the weeks a chart drawn earlier showed, though the clock has moved into a new week."""
    end = _midnight(end_monday, tz)
    return Period(kind, end - timedelta(weeks=WEEKS[kind]), end)


def weeks_covering(first: date, last: date, tz: tzinfo) -> Period:
    """The whole ISO weeks from the one holding `first` to the one holding `last`."""
    start = first - timedelta(days=first.weekday())
    end = last - timedelta(days=last.weekday()) + timedelta(weeks=1)
    return Period(None, _midnight(start, tz), _midnight(end, tz))
