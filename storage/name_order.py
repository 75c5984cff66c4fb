"""The one order of names shown to people: natural ("Område 2" before "Område 10"),
case-insensitive and Swedish (å, ä, ö after z).

SQL sorts text by code point ("Område 10" < "Område 2", "Ängen" < "almvägen"), so every
list of groups, people or kommuner shown by name is sorted in Python with `name_key`,
ties broken by the caller's id: the order is total and the same on every read, which a
list paged by offset needs (each press reads the list again).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Swedish alphabetical order: å, ä, ö are letters of their own after z (æ and ø sort as
# ä and ö, ü as y). They are mapped onto the code points right after "z" ("{", "|", "}"),
# so that plain comparison puts them last; other accents are dropped (é as e).
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"})
_DIGITS = re.compile(r"([0-9]+)")
_SPACES = re.compile(r"[\s_-]+")

NameKey = tuple[object, ...]


def name_key(name: str | None) -> NameKey:
    """The sort key of a name: its text parts folded (case, accents, Swedish letters), its
    digit runs as numbers (compared by value: "2" < "10"; "02" equals "2"), then the name
    itself so that names differing only in case or accents still have one order.

    >>> sorted(["Område 10", "ängen", "Område 2", "almvägen"], key=name_key)
    ['almvägen', 'Område 2', 'Område 10', 'ängen']
    """
    text = name or ""
    folded = unicodedata.normalize("NFC", text.casefold()).translate(_SWEDISH)
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    plain = _SPACES.sub(" ", plain).strip()
    parts: list[object] = []
    for index, part in enumerate(_DIGITS.split(plain)):
        if index % 2:  # a digit run: shorter (without leading zeros) is smaller
            digits = part.lstrip("0")
            parts.append((len(digits), digits))
        else:
            parts.append(part)
    # Text and number parts alternate from a text part, so tuples compare part by part.
    return (tuple(parts), text)


def by_name(
    items: Iterable[T], name: Callable[[T], str | None], id_of: Callable[[T], object]
) -> list[T]:
    """`items` in name order (`name_key`), equal names by `id_of` (a total, stable order)."""
    return sorted(items, key=lambda item: (name_key(name(item)), id_of(item)))
