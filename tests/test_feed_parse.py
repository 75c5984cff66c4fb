"""Units: the feed's event objects, titles, places and types (bot/feed/parse.py, types.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.feed.parse import (
    KOMMUN,
    LAN,
    UNKNOWN_PLACE,
    FeedFormatError,
    incident_time,
    parse_answer,
    parse_event,
    parse_published,
    place_of,
)
from bot.feed.types import BURGLARY, TRAFFIC, category_of, clean_type
from tests.feed_fixtures import STOCKHOLM, event, recorded_files


def test_one_digit_hours_are_accepted():
    moment = parse_published("2026-01-02 9:05:00 +01:00")
    assert moment == datetime(2026, 1, 2, 8, 5, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_published("2026-01-02T09:05:00")


@pytest.mark.parametrize(
    ("title", "published", "expected"),
    [
        ("22 augusti 17.59, Brand, Kävlinge", "2026-08-22 19:51:41 +02:00", (2026, 8, 22, 17, 59)),
        ("25 mars 13:54, Stöld, Malmö", "2023-03-25 14:00:00 +01:00", (2023, 3, 25, 13, 54)),
        # Seen on 1 January: 31 December is last year, never eleven months ahead.
        ("31 december 23.50, Inbrott, Ystad", "2027-01-01 0:20:00 +01:00", (2026, 12, 31, 23, 50)),
        ("2 januari 9.05, Stöld, Lund", "2026-01-02 9:30:00 +01:00", (2026, 1, 2, 9, 5)),
    ],
)
def test_incident_time_infers_the_year_and_is_never_in_the_future(title, published, expected):
    moment = incident_time(title, parse_published(published), STOCKHOLM)
    assert moment is not None
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == expected
    assert moment <= parse_published(published)


def test_title_without_time_has_no_incident_time():
    assert (
        incident_time(
            "Sammanfattning natt, Skåne län",
            parse_published("2026-08-22 7:00:00 +02:00"),
            STOCKHOLM,
        )
        is None
    )


@pytest.mark.parametrize(
    ("name", "location", "routing", "kommun"),
    [
        ("22 augusti 17.59, Inbrott, Sölvesborg", "Blekinge län", KOMMUN, "Sölvesborg"),
        # The type itself contains a comma: the place is the LAST part.
        ("22 augusti 17.59, Rån, försök, Köping", "Västmanlands län", KOMMUN, "Köping"),
        ("22 augusti 17.59, Trafikolycka, personskada, Sala", "Västmanlands län", KOMMUN, "Sala"),
        # Miscased official names.
        ("1 mars 10.00, Stöld, Upplands väsby", "Stockholms län", KOMMUN, "Upplands Väsby"),
        ("1 mars 10.00, Stöld, Upplands-bro", "Stockholms län", KOMMUN, "Upplands-Bro"),
        ("1 mars 10.00, Stöld, Östra göinge", "Skåne län", KOMMUN, "Östra Göinge"),
        ("1 mars 10.00, Stöld, Lilla edet", "Västra Götalands län", KOMMUN, "Lilla Edet"),
        ("1 mars 10.00, Stöld, Dals-ed", "Västra Götalands län", KOMMUN, "Dals-Ed"),
        ("1 mars 10.00, Stöld, solvesborg", "Blekinge län", KOMMUN, "Sölvesborg"),
        # Län-level: the title names a län.
        ("22 augusti 06.00, Sammanfattning natt, Skåne län", "Skåne län", LAN, None),
        # An empty last part: fall back to location.name (old era: a kommun).
        ("20 juni 16.00, Brand, ", "Älmhult", KOMMUN, "Älmhult"),
        ("20 juni 16.00, Brand, ", "Kronobergs län", LAN, None),
    ],
)
def test_place_is_the_last_title_part_matched_exactly(name, location, routing, kommun):
    place = place_of(name, location)
    assert place.routing == routing
    assert (place.kommun.name if place.kommun else None) == kommun


@pytest.mark.parametrize("near_miss", ["Jönköpin", "Berg x", "Upp", "ping", "Varber", "Sal"])
def test_no_substring_matches(near_miss):
    place = place_of(f"1 mars 10.00, Stöld, {near_miss}", "")
    assert place.routing == UNKNOWN_PLACE


def test_substring_kommun_names_never_match_their_containers():
    assert place_of("1 mars 10.00, Stöld, Köping", "").kommun.name == "Köping"
    assert place_of("1 mars 10.00, Stöld, Jönköping", "").kommun.name == "Jönköping"
    assert place_of("1 mars 10.00, Stöld, Sala", "").kommun.name == "Sala"
    assert place_of("1 mars 10.00, Stöld, Berg", "").kommun.name == "Berg"


def test_miscased_flag():
    assert place_of("1 mars 10.00, Stöld, Upplands väsby", "").miscased
    assert not place_of("1 mars 10.00, Stöld, Upplands Väsby", "").miscased


def test_types_are_stripped_and_categorised():
    assert clean_type("Stöld/inbrott ") == "Stöld/inbrott"
    assert category_of(clean_type(" Inbrott, försök ")) == BURGLARY
    assert category_of("Trafikolycka, vilt") == TRAFFIC
    assert category_of("Helt ny typ") is None


def test_event_fields_and_content_hash_ignores_trailing_slash():
    raw = event(1, datetime(2026, 8, 22, 15, tzinfo=UTC))
    a = parse_event(raw, STOCKHOLM)
    assert a.url.startswith("https://polisen.se/aktuellt/")
    assert a.category == BURGLARY and a.place.kommun.code == "1083"
    b = parse_event({**raw, "url": raw["url"].rstrip("/")}, STOCKHOLM)
    assert a.content_hash == b.content_hash
    c = parse_event({**raw, "summary": "Nu gripen."}, STOCKHOLM)
    assert a.content_hash != c.content_hash


def test_foreign_urls_are_not_linked():
    raw = event(1, datetime(2026, 8, 22, 15, tzinfo=UTC))
    assert parse_event({**raw, "url": "javascript:alert(1)"}, STOCKHOLM).url.startswith(
        "https://polisen.se/"
    )


def test_answer_shapes():
    assert parse_answer(b"", STOCKHOLM).events == []
    with pytest.raises(FeedFormatError):
        parse_answer(b"<html>busy</html>", STOCKHOLM)
    with pytest.raises(FeedFormatError):
        parse_answer(b'{"error": 1}', STOCKHOLM)
    good = event(5, datetime(2026, 8, 22, 15, tzinfo=UTC))
    parsed = parse_answer(
        json.dumps([good, {"id": "x"}, 7, {**good, "datetime": "igår"}]), STOCKHOLM
    )
    assert [e.id for e in parsed.events] == [5] and parsed.malformed == 3


@pytest.mark.parametrize("path", recorded_files(), ids=lambda p: p.name)
def test_every_recorded_answer_parses(path):
    parsed = parse_answer(path.read_bytes(), STOCKHOLM)
    assert parsed.malformed == 0 and len(parsed.events) == len(json.loads(path.read_bytes()))
    for e in parsed.events:
        assert e.incident_at is not None and e.incident_at <= e.published_at + timedelta(hours=1)
        assert e.place.routing in (KOMMUN, LAN)  # every recorded place resolves
        assert e.category is not None  # every recorded type is known
        if e.place.routing == KOMMUN:
            # never a substring: the title's last part (or location) equals the kommun
            tail = e.name.rsplit(",", 1)[-1].strip() or e.location_name
            assert (
                tail.casefold() == e.place.kommun.name.casefold()
                or e.location_name.casefold() == e.place.kommun.name.casefold()
            )


def test_recorded_folder_resolves_from_this_worktree():
    if not recorded_files():
        pytest.skip("../shared/polisen is absent")
    assert (recorded_files()[0].parent / "SOURCES.md").exists()
