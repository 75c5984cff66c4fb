"""Translations: every user-facing text lives in `bot/i18n/catalog/*.py`, per language.

Each catalog module defines two dicts, `SV` and `EN`, with the same keys and the same
named placeholders (`{name}`). Texts are HTML (the bot sends with parse_mode HTML), so
`t()` escapes every placeholder value unless it is wrapped in `Html` (already safe).
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import string
from functools import lru_cache
from typing import Any

from bot.i18n import catalog as _catalog_pkg

LANGUAGES: tuple[str, ...] = ("sv", "en")


class Html(str):
    """A string that is already valid, escaped HTML and must not be escaped again."""

    __slots__ = ()


@lru_cache(maxsize=1)
def catalogs() -> dict[str, dict[str, str]]:
    """All catalog modules merged per language; duplicate keys across modules are an error."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in sorted(pkgutil.iter_modules(_catalog_pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{_catalog_pkg.__name__}.{info.name}")
        for lang in LANGUAGES:
            texts: dict[str, str] = getattr(module, lang.upper())
            clash = merged[lang].keys() & texts.keys()
            if clash:
                raise RuntimeError(f"duplicate i18n keys in {info.name}: {sorted(clash)}")
            merged[lang].update(texts)
    return merged


def placeholders(text: str) -> set[str]:
    """The named placeholders used in a catalog text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def normalize_language(code: str | None, default: str = "sv") -> str:
    """Map a Telegram `language_code` to a supported language: sv* → sv, else en."""
    if not code:
        return default if default in LANGUAGES else "sv"
    return "sv" if code.lower().startswith("sv") else "en"


def t(lang: str, key: str, /, **params: Any) -> str:
    """The text for `key` in `lang`, with placeholders filled in and HTML-escaped."""
    table = catalogs().get(lang) or catalogs()["sv"]
    try:
        template = table[key]
    except KeyError:
        raise KeyError(f"missing i18n key {key!r} for {lang!r}") from None
    safe = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in params.items()
    }
    return template.format_map(safe)


def t_plain(lang: str, key: str, /, **params: Any) -> str:
    """A catalog text without HTML escaping, for plain-text places (button labels, menus)."""
    table = catalogs().get(lang) or catalogs()["sv"]
    return table[key].format_map({k: str(v) for k, v in params.items()})
