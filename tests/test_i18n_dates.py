"""Dates and times are shown the way people write them, through one function."""

import re
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n.dates import format_when
from bot.services.presence_time import format_period

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("lang", "part", "expected"),
    [
        ("sv", "datetime", "30 nov kl. 00.55"),
        ("en", "datetime", "30 Nov at 00:55"),
        ("sv", "date", "30 nov"),
        ("en", "date", "30 Nov"),
        ("sv", "time", "kl. 00.55"),
        ("en", "time", "00:55"),
    ],
)
def test_moment_in_local_time_as_people_write_it(lang, part, expected):
    moment = datetime(2026, 11, 29, 23, 55, tzinfo=UTC)  # 00:55 on 30 Nov in Stockholm
    assert format_when(lang, moment, STOCKHOLM, part=part) == expected


def test_summer_time_is_respected():
    moment = datetime(2026, 6, 30, 22, 5, tzinfo=UTC)  # UTC+2 in summer
    assert format_when("sv", moment, STOCKHOLM) == "1 juli kl. 00.05"
    assert format_when("en", moment, STOCKHOLM) == "1 Jul at 00:05"


def test_year_only_when_it_is_not_this_year_or_asked_for():
    moment = datetime(2025, 12, 24, 14, 0, tzinfo=UTC)
    this_year = datetime(2025, 12, 30, tzinfo=UTC)
    next_year = datetime(2026, 1, 2, tzinfo=UTC)
    assert format_when("sv", moment, STOCKHOLM, now=this_year) == "24 dec kl. 15.00"
    assert format_when("sv", moment, STOCKHOLM, now=next_year) == "24 dec 2025 kl. 15.00"
    assert format_when("en", moment, STOCKHOLM, now=next_year) == "24 Dec 2025 at 15:00"
    assert format_when("en", moment, STOCKHOLM, part="date", year=True) == "24 Dec 2025"


def test_a_bare_time():
    assert format_when("sv", time(2, 30)) == "kl. 02.30"
    assert format_when("en", time(2, 30)) == "02:30"
    assert format_when("sv", time(22, 0), part="clock") == "22.00"  # in a range: 22.00–07.00
    assert format_when("en", time(22, 0), part="clock") == "22:00"


NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wednesday 25 Nov, 13:00 in Stockholm


@pytest.mark.parametrize(
    ("lang", "moment", "expected"),
    [
        ("sv", datetime(2026, 11, 26, 17, 0, tzinfo=UTC), "i morgon kl. 18.00"),
        ("en", datetime(2026, 11, 26, 17, 0, tzinfo=UTC), "tomorrow at 18:00"),
        ("sv", datetime(2026, 11, 25, 22, 59, tzinfo=UTC), "i dag kl. 23.59"),
        ("en", datetime(2026, 11, 25, 23, 0, tzinfo=UTC), "tomorrow at 00:00"),  # local day
        ("sv", datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "i går kl. 09.00"),
        ("en", datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "yesterday at 09:00"),
        ("sv", datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "mån 30 nov kl. 18.00"),
        ("en", datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "Mon 30 Nov at 18:00"),
        ("en", datetime(2027, 1, 4, 17, 0, tzinfo=UTC), "Mon 4 Jan 2027 at 18:00"),
    ],
)
def test_relative_days_read_naturally(lang, moment, expected):
    assert format_when(lang, moment, STOCKHOLM, now=NOW, relative=True) == expected


def test_a_named_day_and_relative_dates():
    moment = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert format_when("sv", moment, STOCKHOLM, weekday=True) == "mån 30 nov kl. 18.00"
    assert format_when("en", moment, STOCKHOLM, weekday=True, part="date") == "Mon 30 Nov"
    assert format_when("sv", NOW, STOCKHOLM, now=NOW, relative=True, part="date") == "i dag"
    with pytest.raises(ValueError):
        format_when("en", moment, STOCKHOLM, relative=True)  # relative to what?


def test_periods_always_name_the_day():
    start = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
    end = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    assert format_period("sv", start, end, STOCKHOLM) == "tors 26 nov kl. 14.00–16.00"
    assert format_period("en", start, end, STOCKHOLM) == "Thu 26 Nov at 14:00–16:00"
    # `now` only adds a year that is not its own: a period is never "i morgon" (it stays)
    assert format_period("sv", start, end, STOCKHOLM, now=NOW) == "tors 26 nov kl. 14.00–16.00"
    assert format_period("en", start, end, STOCKHOLM, now=NOW) == "Thu 26 Nov at 14:00–16:00"
    overnight = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    assert (
        format_period("en", start, overnight, STOCKHOLM, now=NOW)
        == "Thu 26 Nov at 14:00 – Fri 27 Nov at 02:00"
    )
    later = datetime(2027, 1, 5, 13, 0, tzinfo=UTC)
    assert format_period("sv", later, later, STOCKHOLM, now=NOW) == "tis 5 jan 2027 kl. 14.00–14.00"


# Where "i morgon" / "tomorrow" may be said: answers that go away. A toast, and a
# dialogue's preview (replaced by the sent or cancelled screen when the dialogue ends).
RELATIVE_ALLOWED = {
    "handlers/presence.py": "the Påminn mig toast",
    "handlers/surveys.py": "the survey dialogue's preview",
}


def test_relative_days_only_in_answers_that_go_away():
    """A kept message or button said "i morgon kl. 23.30" (/narvarolista, /enkater's
    result, the tips panel): read the next day it was wrong."""
    found = {
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("handlers/*.py"), *ROOT.glob("bot/**/*.py")]
        if path.name != "dates.py" and "relative=True" in path.read_text()
    }
    assert found == set(RELATIVE_ALLOWED)


# Files that build texts for people; their dates go through format_when. Exports (CSV, file
# names) and the CLI keep ISO 8601 on purpose.
TEXT_BUILDERS = [
    *sorted((ROOT / "handlers").glob("*.py")),
    ROOT / "bot/feed/render.py",
    ROOT / "bot/services/alerts.py",
    ROOT / "bot/services/digests.py",
    ROOT / "bot/services/presence.py",
    ROOT / "bot/services/surveys.py",
    ROOT / "bot/services/digest_content.py",
    ROOT / "bot/services/digest_text.py",
    ROOT / "bot/services/digest_charts.py",
]
MACHINE_READABLE = {"observations_export.py"}  # the export's file name stamp


def test_texts_do_not_format_dates_by_hand():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in TEXT_BUILDERS
        if path.name not in MACHINE_READABLE
        for number, line in enumerate(path.read_text().splitlines(), 1)
        # a day named by hand ("tips.weekday.{local.weekday()}") is a date formatted by hand
        if re.search(r"\.strftime\(|\.isoformat\(|\.weekday\(\)\}", line)
    ]
    assert offenders == []
