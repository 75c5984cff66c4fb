"""Translations: every user-facing text lives in `bot/i18n/catalog/*.py`, per language.

Each catalog module defines two dicts, `SV` and `EN`, with the same keys and the same
named placeholders (`{name}`). Texts are HTML (the bot sends with parse_mode HTML), so
`t()` escapes every placeholder value unless it is wrapped in `Html` (already safe), and
returns `Html`, so a text can be nested into another without wrapping it by hand.

A text that depends on a number is a `Plural(one=..., other=...)`; `t(lang, key, count=n)`
picks the form (Swedish and English share the rule: 1 → one, anything else → other) and
`{count}` is available as a placeholder.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import string
from functools import lru_cache
from typing import Any, NamedTuple

from bot.i18n import catalog as _catalog_pkg

LANGUAGES: tuple[str, ...] = ("sv", "en")


class Html(str):
    """A string that is already valid, escaped HTML and must not be escaped again."""

    __slots__ = ()


class Plural(NamedTuple):
    """A catalog text with a singular and a plural form, chosen by `count`."""

    one: str
    other: str

    def form(self, count: int) -> str:
        return self.one if count == 1 else self.other


Text = str | Plural
"""A catalog entry: a plain template, or a `Plural`."""


@lru_cache(maxsize=1)
def catalogs() -> dict[str, dict[str, Text]]:
    """All catalog modules merged per language; duplicate keys across modules are an error."""
    merged: dict[str, dict[str, Text]] = {lang: {} for lang in LANGUAGES}
    for info in sorted(pkgutil.iter_modules(_catalog_pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{_catalog_pkg.__name__}.{info.name}")
        for lang in LANGUAGES:
            texts: dict[str, Text] = getattr(module, lang.upper())
            clash = merged[lang].keys() & texts.keys()
            if clash:
                raise RuntimeError(f"duplicate i18n keys in {info.name}: {sorted(clash)}")
            merged[lang].update(texts)
    return merged


def placeholders(text: Text) -> set[str]:
    """The named placeholders used in a catalog text (both forms of a `Plural`)."""
    forms = text if isinstance(text, Plural) else (text,)
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def template(lang: str, key: str, count: int | None = None) -> str:
    """The raw template for `key` in `lang` (the form for `count` when it is a `Plural`)."""
    table = catalogs().get(lang) or catalogs()["sv"]
    try:
        entry = table[key]
    except KeyError:
        raise KeyError(f"missing i18n key {key!r} for {lang!r}") from None
    if isinstance(entry, Plural):
        if count is None:
            raise TypeError(f"i18n key {key!r} is plural: pass count=")
        return entry.form(count)
    return entry


#: The language of people whose Telegram app is in neither of LANGUAGES.
FOREIGN_LANGUAGE = "en"


def normalize_language(code: str | None, default: str = "sv") -> str:
    """Map a Telegram `language_code` to a supported language: sv* → sv, else
    FOREIGN_LANGUAGE (en); no code → `default`."""
    if not code:
        return default if default in LANGUAGES else "sv"
    return "sv" if code.lower().startswith("sv") else FOREIGN_LANGUAGE


def t(lang: str, key: str, /, **params: Any) -> Html:
    """The text for `key` in `lang`, with placeholders filled in and HTML-escaped.

    `KeyError` for an unknown key; `TypeError` for a `Plural` without `count=`.
    """
    raw = template(lang, key, params.get("count"))
    safe = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in params.items()
    }
    return Html(raw.format_map(safe))


def t_plain(lang: str, key: str, /, **params: Any) -> str:
    """A catalog text without HTML escaping, for plain-text places (button labels, menus)."""
    raw = template(lang, key, params.get("count"))
    return raw.format_map({k: str(v) for k, v in params.items()})
