"""Tests for the prevention-tip library (bot/data/tips.csv and its loader)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from bot.services.tip_library import (
    FOCUS_AREAS,
    MAX_TEXT_LENGTH,
    SEASONS,
    TipFileError,
    TipSeed,
    easter_sunday,
    load_tip_seeds,
    parse_tips_csv,
    seasons_for,
    tips_to_csv,
)

HEADER = "key,focus,seasons,text_sv,text_en\n"
GOOD_ROW = "burglary-test,burglary,dark|all_year,Lås dörren.,Lock the door.\n"


# --- the shipped file -------------------------------------------------------


@pytest.fixture(scope="module")
def tips() -> tuple[TipSeed, ...]:
    return load_tip_seeds()


def test_shipped_file_parses_with_enough_tips(tips: tuple[TipSeed, ...]) -> None:
    assert len(tips) >= 60
    assert all(isinstance(tip, TipSeed) for tip in tips)


def test_every_focus_area_covered(tips: tuple[TipSeed, ...]) -> None:
    counts = Counter(tip.focus for tip in tips)
    assert set(counts) == set(FOCUS_AREAS)
    for focus in FOCUS_AREAS:
        assert counts[focus] >= 6, focus


def test_every_season_covered(tips: tuple[TipSeed, ...]) -> None:
    counts = Counter(season for tip in tips for season in tip.seasons)
    assert set(counts) == set(SEASONS)
    for season in SEASONS:
        assert counts[season] >= 5, season


def test_texts_short_plain_and_bilingual(tips: tuple[TipSeed, ...]) -> None:
    for tip in tips:
        for text in (tip.text_sv, tip.text_en):
            assert text.strip(), tip.key
            assert text == text.strip(), tip.key
            assert len(text) <= MAX_TEXT_LENGTH, tip.key
            assert not set(text) & set("<>&"), tip.key
            assert "\n" not in text, tip.key
        assert tip.text_sv != tip.text_en, tip.key


def test_keys_unique_and_slugs(tips: tuple[TipSeed, ...]) -> None:
    keys = [tip.key for tip in tips]
    assert len(keys) == len(set(keys))
    for tip in tips:
        assert tip.key == tip.key.lower()
        assert " " not in tip.key


def test_seasons_valid_and_unique_per_tip(tips: tuple[TipSeed, ...]) -> None:
    for tip in tips:
        assert tip.seasons, tip.key
        assert len(set(tip.seasons)) == len(tip.seasons), tip.key
        assert set(tip.seasons) <= set(SEASONS), tip.key


def test_load_is_cached_and_immutable(tips: tuple[TipSeed, ...]) -> None:
    assert load_tip_seeds() is tips
    with pytest.raises(AttributeError):
        tips[0].key = "other"  # type: ignore[misc]


def test_shipped_file_round_trips(tips: tuple[TipSeed, ...]) -> None:
    assert tuple(parse_tips_csv(tips_to_csv(tips))) == tips


# --- parsing and validation -------------------------------------------------


def test_parse_good_row() -> None:
    [tip] = parse_tips_csv(HEADER + GOOD_ROW)
    assert tip == TipSeed(
        key="burglary-test",
        focus="burglary",
        seasons=("dark", "all_year"),
        text_sv="Lås dörren.",
        text_en="Lock the door.",
    )


def test_parse_quoted_fields_bom_crlf_and_blank_lines() -> None:
    text = (
        "\ufeffkey,focus,seasons,text_sv,text_en\r\n"
        "\r\n"
        'fraud-test,fraud,all_year,"Lägg på, ring upp.","Hang up, call ""back""."\r\n'
    )
    [tip] = parse_tips_csv(text)
    assert tip.text_sv == "Lägg på, ring upp."
    assert tip.text_en == 'Hang up, call "back".'


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("x-1,burglars,dark,Text.,Text.\n", "unknown focus"),
        ("x-1,burglary,winter,Text.,Text.\n", "unknown season"),
        ("x-1,burglary,dark|,Text.,Text.\n", "unknown season"),
        ("x-1,burglary,,Text.,Text.\n", "no seasons"),
        ("x-1,burglary,dark|dark,Text.,Text.\n", "twice"),
        ("x-1,burglary,dark,,Text.\n", "empty text_sv"),
        ("x-1,burglary,dark,Text.,   \n", "empty text_en"),
        (f"x-1,burglary,dark,{'a' * (MAX_TEXT_LENGTH + 1)},Text.\n", "over the limit"),
        ("x-1,burglary,dark,Text.,Fish & chips.\n", "forbidden"),
        ("x-1,burglary,dark,Text <b>.,Text.\n", "forbidden"),
        ("x-1,burglary,dark,Text.\n", "expected 5 columns"),
        (",burglary,dark,Text.,Text.\n", "empty key"),
        ("Bad Key,burglary,dark,Text.,Text.\n", "slug"),
    ],
)
def test_parse_rejects_bad_rows(row: str, reason: str) -> None:
    with pytest.raises(TipFileError) as info:
        parse_tips_csv(HEADER + GOOD_ROW + row)
    assert info.value.row == 3
    assert reason in info.value.reason
    assert "row 3" in str(info.value)


def test_text_at_limit_is_accepted() -> None:
    text = "a" * MAX_TEXT_LENGTH
    [tip] = parse_tips_csv(HEADER + f"x-1,theft,summer,{text},{text}\n")
    assert len(tip.text_sv) == MAX_TEXT_LENGTH


def test_parse_rejects_duplicate_key() -> None:
    with pytest.raises(TipFileError) as info:
        parse_tips_csv(HEADER + GOOD_ROW + GOOD_ROW.replace("dark|", ""))
    assert info.value.row == 3
    assert "duplicate key 'burglary-test'" in str(info.value)
    assert "row 2" in info.value.reason


def test_parse_rejects_bad_header_and_empty_file() -> None:
    with pytest.raises(TipFileError) as info:
        parse_tips_csv("key,focus,text_sv,text_en\n" + GOOD_ROW)
    assert info.value.row == 1
    with pytest.raises(TipFileError):
        parse_tips_csv("")


def test_tip_file_error_is_value_error() -> None:
    assert issubclass(TipFileError, ValueError)


def test_parse_header_only_gives_no_tips() -> None:
    assert parse_tips_csv(HEADER) == []


# --- round trip -------------------------------------------------------------


def test_csv_round_trip_with_awkward_text() -> None:
    tips = [
        TipSeed(
            key="neighbour-quotes",
            focus="neighbour",
            seasons=("christmas", "dark"),
            text_sv='Säg "hej", och fråga: behöver du hjälp?',
            text_en='Say "hi", and ask: do you need help?\nCall 114 14.',
        ),
        TipSeed(
            key="traffic-plain",
            focus="traffic",
            seasons=("all_year",),
            text_sv="Sänk farten.",
            text_en="Slow down.",
        ),
    ]
    text = tips_to_csv(tips)
    assert text.startswith("key,focus,seasons,text_sv,text_en")
    assert parse_tips_csv(text) == tips
    assert tips_to_csv(parse_tips_csv(text)) == text


# --- seasons ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, dt.date(2024, 3, 31)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 5)),
        (2027, dt.date(2027, 3, 28)),
        (2038, dt.date(2038, 4, 25)),
        (2008, dt.date(2008, 3, 23)),
    ],
)
def test_easter_sunday(year: int, expected: dt.date) -> None:
    assert easter_sunday(year) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 3, 25), {"easter", "all_year"}),
        (dt.date(2026, 3, 22), {"easter", "all_year"}),  # 14 days before
        (dt.date(2026, 3, 21), {"all_year"}),  # 15 days before
        (dt.date(2026, 4, 6), {"easter", "all_year"}),  # Easter Monday
        (dt.date(2026, 4, 7), {"all_year"}),
        (dt.date(2026, 4, 10), {"all_year"}),
        (dt.date(2026, 7, 15), {"summer", "all_year"}),
        (dt.date(2026, 6, 19), {"summer", "all_year"}),  # midsommarafton 2026
        (dt.date(2026, 9, 15), {"autumn", "all_year"}),
        (dt.date(2026, 10, 15), {"dark", "autumn", "all_year"}),
        (dt.date(2026, 11, 19), {"dark", "autumn", "all_year"}),
        (dt.date(2026, 11, 20), {"dark", "christmas", "autumn", "all_year"}),
        (dt.date(2026, 12, 1), {"dark", "christmas", "all_year"}),
        (dt.date(2026, 12, 24), {"dark", "christmas", "all_year"}),
        (dt.date(2026, 12, 25), {"dark", "all_year"}),
        (dt.date(2026, 1, 15), {"all_year"}),
    ],
)
def test_seasons_for(date: dt.date, expected: set[str]) -> None:
    assert seasons_for(date) == expected


def test_seasons_for_accepts_datetime() -> None:
    assert seasons_for(dt.datetime(2026, 7, 15, 23, 59)) == {"summer", "all_year"}


def test_every_season_slug_reachable() -> None:
    start = dt.date(2026, 1, 1)
    seen: set[str] = set()
    for offset in range(365):
        seen |= seasons_for(start + dt.timedelta(days=offset))
    assert seen == set(SEASONS)
