"""One definition of text length: Telegram's, in UTF-16 code units.

Telegram measures message and caption limits (4096 / 1024) and entity offsets in UTF-16
code units, so an emoji outside the Basic Multilingual Plane (🚓) counts twice. Every
length check on user text and on rendered messages uses these functions.
"""

from __future__ import annotations

import html
import re
import unicodedata

ELLIPSIS = "…"
_TAG = re.compile(r"<[^>]+>")


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(text_html: str) -> int:
    """Length Telegram counts for an HTML message: tags removed, entities decoded, UTF-16."""
    return utf16_len(html.unescape(_TAG.sub("", text_html)))


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units (ending in "…" when cut); never splits
    a character. For echoing user input back inside a message of bounded length."""
    if utf16_len(text) <= limit:
        return text
    budget = limit - utf16_len(ELLIPSIS)
    kept: list[str] = []
    for ch in text:
        budget -= utf16_len(ch)
        if budget < 0:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + ELLIPSIS


def is_blank(text: str | None) -> bool:
    """True when nothing would be visible: empty, whitespace, or only invisible format and
    control characters (zero-width spaces and the like)."""
    return all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text or "")
