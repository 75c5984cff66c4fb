"""Pure schedule arithmetic: next slots across DST, every other week, monthly, catch-up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.services.schedule import (
    CATCH_UP_WINDOW,
    Frequency,
    ScheduleRule,
    first_slot_after,
    following_slot,
    local_slot,
    parse_local_time,
    plan_due,
)

TZ = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC


def rule(freq: Frequency = Frequency.WEEKLY, weekday: int = 0, at: str = "18:00") -> ScheduleRule:
    return ScheduleRule(weekday, parse_local_time(at), freq, TZ)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def local(slot: dt.datetime) -> tuple[int, int, int, int, int]:
    moment = slot.astimezone(TZ)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute)


def test_weekly_next_slot_is_next_monday_1800_local():
    # Wednesday 2026-11-25 12:00 UTC -> Monday 30 November 18:00 CET = 17:00 UTC
    assert first_slot_after(rule(), utc(2026, 11, 25, 12)) == utc(2026, 11, 30, 17)


def test_slot_exactly_now_is_not_next():
    at = utc(2026, 11, 30, 17)
    assert first_slot_after(rule(), at) == utc(2026, 12, 7, 17)


def test_weekly_across_spring_dst_switch_keeps_1800_local():
    # Monday 23 March 2026 18:00 CET (17:00 UTC); DST starts Sunday 29 March.
    first = first_slot_after(rule(), utc(2026, 3, 23, 12))
    assert first == utc(2026, 3, 23, 17)
    after = following_slot(rule(), first)
    assert after == utc(2026, 3, 30, 16)  # 18:00 CEST
    assert local(after) == (2026, 3, 30, 18, 0)
    # computed fresh from a moment just after the switch, too
    assert first_slot_after(rule(), utc(2026, 3, 29, 3)) == utc(2026, 3, 30, 16)


def test_weekly_across_autumn_dst_switch_keeps_1800_local():
    # Monday 19 October 18:00 CEST (16:00 UTC); DST ends Sunday 25 October.
    first = first_slot_after(rule(), utc(2026, 10, 19, 12))
    assert first == utc(2026, 10, 19, 16)
    after = following_slot(rule(), first)
    assert after == utc(2026, 10, 26, 17)  # 18:00 CET
    assert local(after) == (2026, 10, 26, 18, 0)


def test_sunday_schedule_on_the_switch_days_themselves():
    sunday = rule(weekday=6)
    assert local(first_slot_after(sunday, utc(2026, 3, 28, 12))) == (2026, 3, 29, 18, 0)
    assert local(first_slot_after(sunday, utc(2026, 10, 24, 12))) == (2026, 10, 25, 18, 0)


def test_nonexistent_and_ambiguous_local_times_resolve_once():
    # 02:30 does not exist on 29 March: becomes 03:30 CEST (01:30 UTC)
    assert local_slot(dt.date(2026, 3, 29), dt.time(2, 30), TZ) == utc(2026, 3, 29, 1, 30)
    # 02:30 happens twice on 25 October: the first one (CEST) is used
    assert local_slot(dt.date(2026, 10, 25), dt.time(2, 30), TZ) == utc(2026, 10, 25, 0, 30)
    sunday_0230 = rule(weekday=6, at="02:30")
    slots = [first_slot_after(sunday_0230, utc(2026, 10, 18, 12))]
    for _ in range(2):
        slots.append(following_slot(sunday_0230, slots[-1]))
    assert len(set(slots)) == 3 and slots == sorted(slots)


def test_biweekly_steps_fourteen_local_days_across_dst():
    r = rule(Frequency.BIWEEKLY)
    first = first_slot_after(r, utc(2026, 3, 18, 12))
    assert local(first) == (2026, 3, 23, 18, 0)
    nxt = following_slot(r, first)
    assert local(nxt) == (2026, 4, 6, 18, 0)
    assert nxt - first == dt.timedelta(days=14, hours=-1)


def test_monthly_is_first_weekday_of_each_month():
    r = rule(Frequency.MONTHLY, weekday=0)
    first = first_slot_after(r, utc(2026, 9, 10, 12))
    assert local(first) == (2026, 10, 5, 18, 0)  # first Monday of October (CEST)
    assert local(following_slot(r, first)) == (2026, 11, 2, 18, 0)  # CET
    assert local(following_slot(r, utc(2026, 12, 7, 17))) == (2027, 1, 4, 18, 0)
    # before this month's first Monday has passed
    assert local(first_slot_after(r, utc(2026, 11, 1, 12))) == (2026, 11, 2, 18, 0)


def test_off_has_no_slots():
    assert first_slot_after(rule(Frequency.OFF), utc(2026, 1, 1)) is None
    assert following_slot(rule(Frequency.OFF), utc(2026, 1, 1)) is None
    assert plan_due(rule(Frequency.OFF), utc(2026, 1, 1), utc(2026, 1, 2)) is None


def test_not_due_yet():
    assert plan_due(rule(), utc(2026, 11, 30, 17), utc(2026, 11, 30, 16, 59)) is None


def test_due_on_time_sends_and_moves_to_next_week():
    plan = plan_due(rule(), utc(2026, 11, 30, 17), utc(2026, 11, 30, 17, 0, 30))
    assert plan is not None and plan.send
    assert plan.slot == utc(2026, 11, 30, 17)
    assert plan.next_run == utc(2026, 12, 7, 17)


def test_catch_up_less_than_a_day_sends_once():
    plan = plan_due(rule(), utc(2026, 11, 30, 17), utc(2026, 12, 1, 16, 59))
    assert plan is not None and plan.send
    assert plan.next_run == utc(2026, 12, 7, 17)


def test_catch_up_more_than_a_day_skips():
    plan = plan_due(rule(), utc(2026, 11, 30, 17), utc(2026, 12, 1, 17, 1))
    assert plan is not None and not plan.send
    assert plan.next_run == utc(2026, 12, 7, 17)
    assert CATCH_UP_WINDOW == dt.timedelta(days=1)


def test_long_outage_sends_at_most_the_latest_recent_slot():
    # down from 30 Nov (slot missed) to 7 Dec 20:00: only the 7 Dec slot (3 h old) is sent
    plan = plan_due(rule(), utc(2026, 11, 30, 17), utc(2026, 12, 7, 20))
    assert plan is not None and plan.send and plan.slot == utc(2026, 12, 7, 17)
    assert plan.next_run == utc(2026, 12, 14, 17)
    # down three weeks, back on a Friday: everything skipped
    plan = plan_due(rule(), utc(2026, 11, 30, 17), utc(2026, 12, 18, 9))
    assert plan is not None and not plan.send and plan.next_run == utc(2026, 12, 21, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18:00", dt.time(18)), ("7:05", dt.time(7, 5)), ("1830", dt.time(18, 30)),
     ("18.30", dt.time(18, 30))],
)  # fmt: skip
def test_parse_local_time(text, expected):
    assert parse_local_time(text) == expected


@pytest.mark.parametrize("text", ["", "18", "25:00", "18:60", "ab:cd", "18:5"])
def test_parse_local_time_rejects(text):
    with pytest.raises(ValueError):
        parse_local_time(text)


def test_weekday_validated():
    with pytest.raises(ValueError):
        ScheduleRule(7, dt.time(18), Frequency.WEEKLY, TZ)
