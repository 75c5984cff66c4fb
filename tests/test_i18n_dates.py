"""Dates and times are shown the way people write them, through one function."""

import re
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n.dates import format_when

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("lang", "part", "expected"),
    [
        ("sv", "datetime", "30 nov kl. 00.55"),
        ("en", "datetime", "30 Nov, 00:55"),
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
    assert format_when("en", moment, STOCKHOLM) == "1 Jul, 00:05"


def test_year_only_when_it_is_not_this_year_or_asked_for():
    moment = datetime(2025, 12, 24, 14, 0, tzinfo=UTC)
    this_year = datetime(2025, 12, 30, tzinfo=UTC)
    next_year = datetime(2026, 1, 2, tzinfo=UTC)
    assert format_when("sv", moment, STOCKHOLM, now=this_year) == "24 dec kl. 15.00"
    assert format_when("sv", moment, STOCKHOLM, now=next_year) == "24 dec 2025 kl. 15.00"
    assert format_when("en", moment, STOCKHOLM, now=next_year) == "24 Dec 2025, 15:00"
    assert format_when("en", moment, STOCKHOLM, part="date", year=True) == "24 Dec 2025"


def test_a_bare_time():
    assert format_when("sv", time(2, 30)) == "kl. 02.30"
    assert format_when("en", time(2, 30)) == "02:30"
    assert format_when("sv", time(22, 0), part="clock") == "22.00"  # in a range: 22.00–07.00
    assert format_when("en", time(22, 0), part="clock") == "22:00"


# Files that build texts for people; their dates go through format_when. Exports (CSV, file
# names) and the CLI keep ISO 8601 on purpose.
TEXT_BUILDERS = [
    *sorted((ROOT / "handlers").glob("*.py")),
    ROOT / "bot/feed/render.py",
    ROOT / "bot/services/alerts.py",
    ROOT / "bot/services/digests.py",
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
        if re.search(r"\.strftime\(|\.isoformat\(", line)
    ]
    assert offenders == []
