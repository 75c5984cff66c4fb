"""Plural texts: every Plural renders for one and many; no counted text lacks plural forms."""

import ast
import re
from pathlib import Path

import pytest

from bot.i18n import LANGUAGES, Plural, catalogs, placeholders, t

PLURAL_KEYS = sorted(key for key, text in catalogs()["sv"].items() if isinstance(text, Plural))

# Nouns whose singular differs from the plural, in the forms a count is written with. A
# number placeholder right before one of them ("{count} grupper", "{n} groups") must be a
# Plural, or "1 grupper" reaches a person.
PLURAL_NOUNS = {
    "sv": (
        "grupper",
        "iakttagelser",
        "rapporter",
        "medlemmar",
        "dagar",
        "personer",
        "kommuner",
        "poliser",
        "timmar",
        "veckor",
        "minuter",
        "sidor",
        "aktiva",
        "foton",
        "skickade",  # "1 skickat" (ett larm)
        "levererade",
        "enkäter",
    ),
    "en": (
        "groups",
        "observations",
        "reports",
        "members",
        "days",
        "people",
        "recipients",
        "officers",
        "hours",
        "weeks",
        "minutes",
        "pages",
        "alerts",
        "tips",
        "photos",
        "kommuner",
        "characters",
        "times",
        "answers",
        "surveys",
        "visits",
    ),
}
# Placeholders that are configured limits, not counts of things: "at most {max} photos"
# reads as a limit, and the texts that carry them are about going over it.
LIMITS = {"max", "min", "max_mb", "length", "max_answer"}


# Plurals whose number only changes the grammar ("Välkommen Anna!" / "Välkomna Anna och Bo!").
GRAMMAR_ONLY = {"onb.pointer", "privacy.forget.kept"}


def _dummy(names: set[str]) -> dict[str, str]:
    return {name: "x" for name in names if name != "count"}


@pytest.mark.parametrize("key", PLURAL_KEYS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_plural_renders_for_one_and_many(lang, key):
    text = catalogs()[lang][key]
    assert isinstance(text, Plural), f"{lang}:{key} is Plural in sv but not in {lang}"
    if key in GRAMMAR_ONLY:
        return
    assert "{count}" in text.one + text.other, f"{lang}:{key} never shows the count"
    params = _dummy(placeholders(text))
    one, two = t(lang, key, count=1, **params), t(lang, key, count=2, **params)
    if "{count}" in text.one:
        assert "1" in one
    assert "2" in two
    for noun in PLURAL_NOUNS[lang]:
        assert not re.search(rf"\b1\b(</b>)? {noun}\b", one), f"{lang}:{key}: {one!r}"


def test_plural_keys_are_the_same_in_every_language():
    for lang in LANGUAGES:
        keys = sorted(k for k, text in catalogs()[lang].items() if isinstance(text, Plural))
        assert keys == PLURAL_KEYS, lang


def counted_but_not_plural() -> list[str]:
    """Catalog texts with a number placeholder before a plural noun that are not Plural."""
    found: list[str] = []
    for lang in LANGUAGES:
        nouns = "|".join(PLURAL_NOUNS[lang])
        pattern = re.compile(rf"\{{(\w+)\}}(?:</b>)? (?:more )?(?:{nouns})\b")
        for key, text in catalogs()[lang].items():
            if isinstance(text, Plural):
                continue
            for match in pattern.finditer(text):
                if match.group(1) not in LIMITS:
                    found.append(f"{lang}:{key}: {match.group(0)}")
    return found


def test_no_counted_text_without_plural_forms():
    assert counted_but_not_plural() == []


def test_the_scan_finds_a_counted_text(monkeypatch):
    monkeypatch.setitem(catalogs()["sv"], "x.bad", "Inget nytt i {count} grupper till.")
    monkeypatch.setitem(
        catalogs()["en"], "x.bad", "Reached {delivered} of <b>{targeted}</b> groups"
    )
    assert sorted(counted_but_not_plural()) == [
        "en:x.bad: {targeted}</b> groups",
        "sv:x.bad: {count} grupper",
    ]


# The functions that render a catalog key with its parameters (other functions may take a
# key and pass it on, like the digest's section helper; their own call to t() is checked).
TEXT_FUNCTIONS = {"t", "t_plain", "reply", "answer_callback", "Refused", "_button", "_btn"}


def plural_calls_without_count() -> list[str]:
    """Calls in the bot's code that render a Plural key named literally without `count=`."""
    root = Path(__file__).resolve().parent.parent
    plural = set(PLURAL_KEYS)
    missing: list[str] = []
    for path in sorted([*root.glob("bot/**/*.py"), *root.glob("handlers/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in TEXT_FUNCTIONS:
                continue
            keys = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            named = {keyword.arg for keyword in node.keywords}
            for key in keys:
                if key in plural and "count" not in named:
                    missing.append(f"{path.relative_to(root)}:{node.lineno} {key}")
    return missing


def test_every_call_of_a_plural_text_passes_count():
    assert plural_calls_without_count() == []
