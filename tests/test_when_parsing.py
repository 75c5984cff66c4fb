"""Units: the dates and times residents type (issue 9 §8), with an injected clock across
both daylight-saving switches. Every result is one UTC moment used everywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.observation_input import When, WhenError, WhenNote, parse_when

TZ = ZoneInfo("Europe/Stockholm")
JAN_2 = datetime(2027, 1, 2, 12, 0, tzinfo=UTC)  # Saturday 13:00 in Stockholm
NOV_25 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 13:00 in Stockholm


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def moment(text: str, now: datetime) -> datetime:
    result = parse_when(text, now, TZ)
    assert isinstance(result, When), (text, result)
    return result.moment


def test_day_and_month_without_year_is_the_most_recent_past_such_date():
    # 31/12 typed on 2 January is last New Year's Eve, not next one.
    assert moment("31/12 23:30", JAN_2) == utc(2026, 12, 31, 22, 30)
    assert moment("2/1 09:00", JAN_2) == utc(2027, 1, 2, 8, 0)  # today's date stays this year
    assert moment("1/1 00:15", JAN_2) == utc(2026, 12, 31, 23, 15)
    assert moment("24/11 18:30", NOV_25) == utc(2026, 11, 24, 17, 30)
    # Today's date with a time still to come is in the future, not a year ago.
    assert parse_when("2/1 20:00", JAN_2, TZ) is WhenError.FUTURE
    # 29 February looks back to the last leap year: more than a year ago.
    assert parse_when("29/2 10:00", JAN_2, TZ) is WhenError.TOO_OLD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kl 0.10", utc(2027, 1, 1, 23, 10)),  # 00:10 today, local
        ("kl. 0.10", utc(2027, 1, 1, 23, 10)),
        ("KL 9", utc(2027, 1, 2, 8, 0)),
        ("kl. 12", utc(2027, 1, 2, 11, 0)),
        ("klockan 11.45", utc(2027, 1, 2, 10, 45)),
        ("12.30", utc(2027, 1, 2, 11, 30)),
        ("1230", utc(2027, 1, 2, 11, 30)),
        ("9:05", utc(2027, 1, 2, 8, 5)),
        ("idag 10:00", utc(2027, 1, 2, 9, 0)),
        ("i dag kl 10", utc(2027, 1, 2, 9, 0)),
        ("today 10:00", utc(2027, 1, 2, 9, 0)),
        ("igår 22:00", utc(2027, 1, 1, 21, 0)),
        ("i går 22.00", utc(2027, 1, 1, 21, 0)),
        ("Igår, kl 22", utc(2027, 1, 1, 21, 0)),
        ("yesterday 22:00", utc(2027, 1, 1, 21, 0)),
        ("22:00 igår", utc(2027, 1, 1, 21, 0)),
        ("i förrgår 21:15", utc(2026, 12, 31, 20, 15)),
        ("förrgår kl 21", utc(2026, 12, 31, 20, 0)),
        ("day before yesterday 21:15", utc(2026, 12, 31, 20, 15)),
        ("i morse kl 7", utc(2027, 1, 2, 6, 0)),
        ("igår kväll 21.30", utc(2027, 1, 1, 20, 30)),
        ("yesterday evening 21:30", utc(2027, 1, 1, 20, 30)),
        ("i natt 02:00", utc(2027, 1, 2, 1, 0)),  # after midnight: today
        ("inatt kl 23.30", utc(2027, 1, 1, 22, 30)),  # before midnight: yesterday
        ("last night 23:30", utc(2027, 1, 1, 22, 30)),
        ("2026-12-24 15:00", utc(2026, 12, 24, 14, 0)),
        ("24/12/2026 15:00", utc(2026, 12, 24, 14, 0)),
        ("24/12/26 1500", utc(2026, 12, 24, 14, 0)),
    ],
)
def test_common_swedish_and_english_forms(text, expected):
    assert moment(text, JAN_2) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("igår", WhenError.NO_TIME),
        ("24/12", WhenError.NO_TIME),
        ("noon", WhenError.FORMAT),
        ("22", WhenError.FORMAT),  # a bare number is not a time without "kl"
        ("24:00", WhenError.FORMAT),
        ("kl 25", WhenError.FORMAT),
        ("2399", WhenError.FORMAT),
        ("31/2 10:00", WhenError.FORMAT),
        ("2026-02-30 10:00", WhenError.FORMAT),
        ("14:00", WhenError.FUTURE),
        ("2027-01-03 10:00", WhenError.FUTURE),
        ("2025-12-01 10:00", WhenError.TOO_OLD),
    ],
)
def test_refusals(text, error):
    assert parse_when(text, JAN_2, TZ) is error


def test_spring_forward_gap_is_moved_forward_and_said():
    now = utc(2026, 3, 30, 10, 0)
    result = parse_when("2026-03-29 02:30", now, TZ)
    assert isinstance(result, When)
    # One moment: 01:30 UTC, which is 03:30 local summer time, for the resident and
    # the coordinator alike.
    assert result.moment == utc(2026, 3, 29, 1, 30)
    assert result.moment.astimezone(TZ).strftime("%H:%M") == "03:30"
    assert result.note is WhenNote.GAP and result.typed == "02:30"
    assert parse_when("igår 02:00", now, TZ) == When(utc(2026, 3, 29, 1, 0), WhenNote.GAP, "02:00")
    # Just outside the gap nothing is said.
    assert parse_when("igår 01:59", now, TZ) == When(utc(2026, 3, 29, 0, 59))
    assert parse_when("igår 03:00", now, TZ) == When(utc(2026, 3, 29, 1, 0))


def test_fall_back_repeated_hour_is_the_most_recent_past_one():
    day_after = utc(2026, 10, 26, 10, 0)
    later = parse_when("igår 02:30", day_after, TZ)
    assert later == When(utc(2026, 10, 25, 1, 30), WhenNote.REPEATED_LATER, "02:30")
    # During the second 02:00-03:00 hour, a time not yet repeated is the first occurrence.
    at_0210_second = utc(2026, 10, 25, 1, 10)
    earlier = parse_when("02:30", at_0210_second, TZ)
    assert earlier == When(utc(2026, 10, 25, 0, 30), WhenNote.REPEATED_EARLIER, "02:30")
    assert parse_when("02:05", at_0210_second, TZ) == When(
        utc(2026, 10, 25, 1, 5), WhenNote.REPEATED_LATER, "02:05"
    )
    assert parse_when("igår 03:00", day_after, TZ) == When(utc(2026, 10, 25, 2, 0))


def test_result_is_utc_so_every_reader_shows_the_same_local_time():
    result = parse_when("2026-03-29 02:30", utc(2026, 3, 30, 10, 0), TZ)
    assert isinstance(result, When) and result.moment.tzinfo is UTC
