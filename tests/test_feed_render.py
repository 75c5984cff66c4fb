"""The message a group gets for a feed event, and quiet hours (bot/feed/render.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feed.parse import parse_event
from bot.feed.render import event_text, in_quiet_hours
from tests.feed_fixtures import STOCKHOLM, event

PUBLISHED = datetime(2026, 1, 2, 8, 5, tzinfo=UTC)  # 09:05 in Stockholm


def parsed(**overrides):
    raw = event(900100, PUBLISHED, incident=datetime(2026, 1, 1, 22, 50, tzinfo=UTC))
    return parse_event({**raw, **overrides}, STOCKHOLM)


@pytest.mark.parametrize(
    ("lang", "heading", "type_", "link", "marking", "footer"),
    [
        ("sv", "Från polisens händelselista", "Inbrott", "Läs mer på polisen.se",
         "polisens öppna lista över händelser", "ring 112. Tips till polisen: 114 14"),
        ("en", "From the police's event list", "Burglary", "Read more on polisen.se",
         "the police's public list of events", "call 112. Tips to the police: 114 14"),
    ],
)  # fmt: skip
def test_message_has_every_part_residents_need(lang, heading, type_, link, marking, footer):
    text = event_text(lang, parsed(), STOCKHOLM)
    assert heading in text and marking in text and footer in text
    # The type in the group's language, with its emoji, and the kommun.
    assert f"🏠 <b>{type_}</b> · Sölvesborg" in text
    when = "🕒 1 jan kl. 23.50" if lang == "sv" else "🕒 1 Jan at 23:50"
    assert when in text  # the title's local incident time, not publication
    assert f'<a href="{parsed().url}">{link}</a>' in text


def test_police_words_are_escaped_and_the_link_stays_on_polisen_se():
    event_ = parsed(summary='<a href="https://evil.example">klicka</a> & mer',
                    type="Inbrott", url="https://evil.example/x")  # fmt: skip
    text = event_text("sv", event_, STOCKHOLM)
    assert "&lt;a href=" in text and "&amp; mer" in text
    assert '<a href="https://evil' not in text  # the link is polisen.se's event list instead
    assert '<a href="https://polisen.se/aktuellt/handelser/">' in text


def test_lan_level_event_names_the_lan_and_a_title_without_time_says_so():
    event_ = parsed(name="Sammanfattning natt, Blekinge län", type="Sammanfattning natt")
    text = event_text("sv", event_, STOCKHOLM)
    assert "· Blekinge län" in text and "🕒 okänd tid" in text and "ℹ️" in text


def test_english_names_the_type_in_english_and_keeps_the_police_words():
    """The type is a label (English); the summary is the police's own text (kept)."""
    event_ = parsed(type="Inbrott, försök", summary="Försök till inbrott i villa.")
    text = event_text("en", event_, STOCKHOLM)
    assert "<b>Burglary, attempted</b>" in text and "Försök till inbrott i villa." in text
    assert "Inbrott, försök</b>" not in text
    # A type the catalog lacks (the police add types) keeps the police's name.
    text = event_text("en", parsed(type="Drönarlarm"), STOCKHOLM)
    assert "ℹ️ <b>Drönarlarm</b> · Sölvesborg" in text


def test_replay_is_marked_in_both_languages():
    assert event_text("sv", parsed(), STOCKHOLM, replay=True).startswith("🔁 <b>Uppspelning")
    assert event_text("en", parsed(), STOCKHOLM, replay=True).startswith("🔁 <b>Replay")


@pytest.mark.parametrize(
    ("utc_hour", "minute", "quiet", "expected"),
    [
        (20, 59, ("22:00", "07:00"), False),  # 21:59 local
        (21, 0, ("22:00", "07:00"), True),  # 22:00 local
        (5, 59, ("22:00", "07:00"), True),  # 06:59 local
        (6, 0, ("22:00", "07:00"), False),  # 07:00 local
        (12, 0, ("12:00", "18:00"), True),  # 13:00 local, inside
        (12, 0, None, False),
    ],
)
def test_quiet_hours_span_midnight_in_local_time(utc_hour, minute, quiet, expected):
    moment = datetime(2026, 1, 15, utc_hour, minute, tzinfo=UTC)
    assert in_quiet_hours(moment, quiet, STOCKHOLM) is expected
