"""The police's event types by name in a person's language (bot/i18n/feed_types.py): the
police's own name in Swedish, the catalog's name in English, and a type nobody has named
yet (the police add types) by the police's name, never an error. Every type the police
have used in the recorded answers and every type the code names has an English name."""

from __future__ import annotations

import json

import pytest

from bot.feed import types as feed_types
from bot.i18n.catalog.feed_types import ENGLISH
from bot.i18n.feed_types import event_type_name
from bot.lagesbild_chart import _MAX_LABEL, PANELS
from tests.feed_fixtures import RECORDED, recorded_files

# Words that are the same in both languages: an English name equal to the police's name is
# otherwise a type copied into the catalog untranslated.
SAME_IN_ENGLISH = {"Detonation", "Explosion", "Information"}


@pytest.mark.parametrize(
    ("police", "english"),
    [
        ("Inbrott", "Burglary"),
        ("Inbrott, försök", "Burglary, attempted"),
        ("Stöld", "Theft"),
        ("Stöld/inbrott", "Theft/burglary"),
        ("Trafikolycka", "Traffic accident"),
        ("Rattfylleri", "Drunk driving"),
        ("Misshandel", "Assault"),
        ("Brand", "Fire"),
        ("Skadegörelse", "Vandalism"),
        ("Narkotikabrott", "Drug offence"),
        ("Sammanfattning natt", "Night summary"),
    ],
)
def test_a_known_type_is_named_in_english_and_kept_in_swedish(police, english):
    assert event_type_name("en", police) == english
    assert event_type_name("sv", police) == police


def test_the_police_spacing_of_a_type_does_not_hide_its_english_name():
    """The police once sent a type with a trailing space (FEED-NOTES)."""
    assert event_type_name("en", "Stöld ") == "Theft"
    assert event_type_name("en", " Inbrott,  försök") == "Burglary, attempted"
    assert event_type_name("sv", "Stöld ") == "Stöld "  # Swedish: the police's name as it is


@pytest.mark.parametrize("lang", ["sv", "en", "de"])
@pytest.mark.parametrize("police", ["Drönarlarm", "Inbrott, grovt", "", "Fylleri/LOB 2"])
def test_a_type_nobody_named_keeps_the_police_name(lang, police):
    assert event_type_name(lang, police) == police


def test_swedish_is_the_police_name_unchanged_for_every_type():
    assert all(event_type_name("sv", name) == name for name in ENGLISH)


def _recorded_types() -> set[str]:
    seen: set[str] = set()
    for path in recorded_files():
        answer = json.loads(path.read_text(encoding="utf-8"))
        seen.update(feed_types.clean_type(e.get("type")) for e in answer)
    updated = RECORDED / "updated-events.json"
    for record in json.loads(updated.read_text(encoding="utf-8")):
        seen.update(feed_types.clean_type(v["event"].get("type")) for v in record["versions"])
    return seen - {""}


def test_every_type_in_the_recorded_answers_has_an_english_name():
    if not recorded_files() or not (RECORDED / "updated-events.json").is_file():
        pytest.skip(f"recorded answers not found at {RECORDED}")
    recorded = _recorded_types()
    assert len(recorded) > 60  # the recordings hold about 70 types: all of them were read
    assert sorted(name for name in recorded if name not in ENGLISH) == []


def test_every_type_the_code_names_has_an_english_name():
    """The routing table (the burglary and theft set, the traffic types, the types no group
    can opt into) names every type the bot knows; each must read in English."""
    named = {name for names in feed_types._CATEGORY_TYPES.values() for name in names}
    assert "Inbrott, försök" in named and len(named) > 80
    assert sorted(named - ENGLISH.keys()) == []
    assert all(event_type_name("en", name) == ENGLISH[name] for name in named)


def test_english_names_are_english_distinct_and_fit_the_chart_legend():
    limit = _MAX_LABEL[PANELS["feed"].columns]  # characters before a legend label is cut
    assert [p for p, e in ENGLISH.items() if e == p and p not in SAME_IN_ENGLISH] == []
    assert [e for e in ENGLISH.values() if len(e) > limit] == []
    assert len(set(ENGLISH.values())) == len(ENGLISH)  # two types never read as one
    assert all(not set("åäöÅÄÖ") & set(e) for e in ENGLISH.values())
