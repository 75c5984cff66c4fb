"""Sweden's 290 municipalities (kommuner) and a small, pure-Python name matcher.

The data lives in ``bot/data/kommuner.csv`` (UTF-8, header
``code,name,lan_code,lan_name``) and is loaded once via :mod:`importlib.resources`.

Matching is forgiving about case, diacritics, hyphens and a trailing "kommun", so
``"solvesborg"``, ``"Sölvesborgs kommun"`` and ``"SÖLVESBORG"`` all resolve to Sölvesborg.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.textlen import utf16_len
from storage.name_order import NameKey, name_key

__all__ = [
    "MAX_QUERY_LENGTH",
    "Kommun",
    "find_kommun_by_code",
    "find_kommun_by_name",
    "load_kommuner",
    "match_kommuner",
    "normalize_name",
    "split_trailing_kommun",
    "suggest_kommuner",
]

#: Queries longer than this (in characters, before normalisation) never match.
MAX_QUERY_LENGTH = 60

_DATA_PACKAGE = "bot"
_DATA_PATH = ("data", "kommuner.csv")

_NON_WORD = re.compile(r"[\W_]+")
_KOMMUN_SUFFIX = " kommun"
_REGION_PREFIX = "region "


@dataclass(frozen=True, slots=True)
class Kommun:
    """One Swedish municipality.

    Attributes:
        code: Official four-digit kommun code, e.g. ``"1083"``.
        name: Name without the word "kommun", e.g. ``"Sölvesborg"``.
        lan_code: Two-digit län (county) code, e.g. ``"10"``.
        lan_name: Län name, e.g. ``"Blekinge län"``.
    """

    code: str
    name: str
    lan_code: str
    lan_name: str


def _fold(text: str, *, strip_diacritics: bool = True) -> str:
    """Casefold ``text``; optionally strip diacritics (NFKD + drop combining marks)."""
    folded = text.casefold()
    if not strip_diacritics:
        return unicodedata.normalize("NFC", folded)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str, *, strip_diacritics: bool = True) -> str:
    """Fold ``text`` and turn hyphens/punctuation/whitespace runs into single spaces."""
    return " ".join(_NON_WORD.sub(" ", _fold(text, strip_diacritics=strip_diacritics)).split())


def _strip_affixes(words: str) -> str:
    """Drop a trailing "kommun" and a leading "region" (as in "Region Gotland")."""
    if words.endswith(_KOMMUN_SUFFIX):
        words = words[: -len(_KOMMUN_SUFFIX)].rstrip()
    if words.startswith(_REGION_PREFIX):
        words = words[len(_REGION_PREFIX) :].lstrip()
    return words


def normalize_name(text: str, *, strip_diacritics: bool = True) -> str:
    """Normalise a kommun name or user query for comparison.

    Casefolds, strips diacritics (unless ``strip_diacritics`` is False), treats
    hyphens/punctuation like spaces, collapses whitespace and drops a trailing
    "kommun" and a leading "region" (as in "Region Gotland").

    Note that two kommuner differ only by diacritics: Habo and Håbo.

    >>> normalize_name("  Malung-Sälen kommun. ")
    'malung salen'
    """
    return _strip_affixes(_words(text, strip_diacritics=strip_diacritics))


def _exact_keys(text: str, *, strip_diacritics: bool = True) -> tuple[str, ...]:
    """Normalised forms of ``text`` that may equal a kommun name exactly.

    Besides the plain normalised form, "Sölvesborgs kommun" (genitive -s, the
    usual official form) also yields "sölvesborg".
    """
    key = normalize_name(text, strip_diacritics=strip_diacritics)
    if not key:
        return ()
    had_suffix = _words(text, strip_diacritics=strip_diacritics).endswith(_KOMMUN_SUFFIX)
    if had_suffix and key.endswith("s") and len(key) > 1:
        return (key, key[:-1])
    return (key,)


def _exact_matches(text: str) -> list[Kommun]:
    """Kommuner whose name equals ``text`` after normalisation.

    Usually zero or one. A diacritic-free query that fits several names (only
    "habo": Habo and Håbo) returns all of them, unless the query's own
    diacritics single one out ("Håbo" -> Håbo only).
    """
    index = _by_normalized_name()
    for key in _exact_keys(text):
        hits = index.get(key)
        if not hits:
            continue
        if len(hits) > 1:
            exact_keys = _exact_keys(text, strip_diacritics=False)
            if key not in exact_keys:  # the query carries diacritics: honour them
                narrowed = [
                    k for k in hits if normalize_name(k.name, strip_diacritics=False) in exact_keys
                ]
                if narrowed:
                    return narrowed
        return list(hits)
    return []


def _swedish_sort_key(kommun: Kommun) -> tuple[NameKey, str]:
    """Sort key ordering names like every list shown to people (storage/name_order.py:
    Swedish, å, ä, ö after z), then by code."""
    return (name_key(kommun.name), kommun.code)


@cache
def load_kommuner() -> tuple[Kommun, ...]:
    """Load all kommuner from the packaged CSV (cached after the first call).

    Returns:
        All kommuner in file order (grouped by län, ascending code).
    """
    resource = resources.files(_DATA_PACKAGE).joinpath(*_DATA_PATH)
    text = resource.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return tuple(
        Kommun(
            code=row["code"].strip(),
            name=row["name"].strip(),
            lan_code=row["lan_code"].strip(),
            lan_name=row["lan_name"].strip(),
        )
        for row in reader
    )


@cache
def _by_code() -> dict[str, Kommun]:
    """Index of kommuner by four-digit code."""
    return {k.code: k for k in load_kommuner()}


@cache
def _by_normalized_name() -> dict[str, tuple[Kommun, ...]]:
    """Index of kommuner by normalised (diacritic-free) name, in Swedish order."""
    index: dict[str, tuple[Kommun, ...]] = {}
    for key, kommun in _sorted_with_keys():
        index[key] = (*index.get(key, ()), kommun)
    return index


@cache
def _sorted_with_keys() -> tuple[tuple[str, Kommun], ...]:
    """(normalised name, kommun) pairs in Swedish alphabetical order."""
    ordered = sorted(load_kommuner(), key=_swedish_sort_key)
    return tuple((normalize_name(k.name), k) for k in ordered)


def find_kommun_by_code(code: str | int) -> Kommun | None:
    """Look up a kommun by its official code.

    Args:
        code: Four-digit code such as ``"0980"``; surrounding whitespace is
            ignored and numeric input is zero-padded (``980`` -> ``"0980"``).

    Returns:
        The matching kommun, or None.
    """
    key = str(code).strip()
    if key.isdigit() and len(key) < 4:
        key = key.zfill(4)
    return _by_code().get(key)


def by_kommun_name(codes: Iterable[str]) -> list[str]:
    """Kommun codes in the order of their names as people see them listed (`name_key`:
    Swedish, å, ä, ö after z); an unknown code sorts by itself."""

    def key(code: str) -> tuple[NameKey, str]:
        kommun = find_kommun_by_code(code)
        return (name_key(kommun.name if kommun else code), code)

    return sorted(set(codes), key=key)


def find_kommun_by_name(name: str) -> Kommun | None:
    """Look up a kommun by name, exact after normalisation.

    Case, diacritics, hyphens vs. spaces and a trailing "kommun" (including
    the genitive form "Sölvesborgs kommun") are ignored. Where diacritics are
    the only difference (Habo vs. Håbo) the exact spelling decides; "habo"
    means Habo.

    Returns:
        The matching kommun, or None if there is none or it is ambiguous.
    """
    hits = _exact_matches(name)
    if len(hits) > 1:
        exact_keys = _exact_keys(name, strip_diacritics=False)
        hits = [k for k in hits if normalize_name(k.name, strip_diacritics=False) in exact_keys]
    return hits[0] if len(hits) == 1 else None


def match_kommuner(query: str, limit: int = 8) -> list[Kommun]:
    """Find kommuner matching a free-text query, best matches first.

    * An exact (normalised) name match returns only that kommun. The one
      diacritic-only clash is the exception: "habo" returns Habo and Håbo,
      while "Håbo" returns just Håbo.
    * Otherwise names starting with the query come first, then names
      containing it elsewhere; each group in Swedish alphabetical order.
    * An empty query, one longer than :data:`MAX_QUERY_LENGTH` characters or
      a non-positive ``limit`` yields ``[]``.

    Args:
        query: What the user typed, e.g. ``"solvesborg"`` or ``"kung"``.
        limit: Maximum number of results.

    Returns:
        Up to ``limit`` matching kommuner.
    """
    if not query or utf16_len(query) > MAX_QUERY_LENGTH or limit <= 0:
        return []
    exact = _exact_matches(query)
    if exact:
        return exact[:limit]
    needle = normalize_name(query)
    if not needle:
        return []
    prefix: list[Kommun] = []
    contains: list[Kommun] = []
    for key, kommun in _sorted_with_keys():
        if key.startswith(needle):
            prefix.append(kommun)
        elif needle in key:
            contains.append(kommun)
    return (prefix + contains)[:limit]


# --------------------------------------------------------------------------- how people type

#: Words joining an area and its kommun: "Ljungvägen i Sölvesborg".
_JOINERS = frozenset({"i", "in"})
#: The longest kommun name with "kommun" after it, in words ("Upplands Väsby kommun").
_MAX_KOMMUN_WORDS = 4
#: How alike a misspelt name must be to a kommun's (difflib ratio, 0–1) to be suggested.
SUGGEST_CUTOFF = 0.75


@dataclass(frozen=True, slots=True)
class TrailingKommun:
    """An area text split before the kommun it ends with.

    Attributes:
        area: The words before the kommun (without a joining "i"), never empty.
        query: The words taken for the kommun, as typed.
        kommuner: The kommuner they name (exact) or may mean (suggestions).
    """

    area: str
    query: str
    kommuner: tuple[Kommun, ...]


def _area_before(words: list[str]) -> str:
    if len(words) > 1 and words[-1].casefold() in _JOINERS:
        words = words[:-1]
    return " ".join(words)


def split_trailing_kommun(text: str) -> TrailingKommun | None:
    """Split "Norra Möllebacken Sölvesborg" (or "Ljungvägen i Sölvesborg", "… Upplands
    Väsby", "… Sölvesborgs kommun") into the area and the kommun named exactly at its end.

    The longest kommun name wins; at least one word must stay for the area. None when the
    text does not end with a kommun's name.
    """
    words = text.split()
    for size in range(min(_MAX_KOMMUN_WORDS, len(words) - 1), 0, -1):
        tail = " ".join(words[-size:])
        hits = _exact_matches(tail)
        if hits:
            return TrailingKommun(_area_before(words[:-size]), tail, tuple(hits))
    return None


def suggest_kommuner(query: str, limit: int = 4) -> list[Kommun]:
    """Kommuner whose name is spelt like ``query`` ("Solvesbrg" → Sölvesborg), best first;
    [] when none is close (difflib ratio below :data:`SUGGEST_CUTOFF`) or for a query
    longer than :data:`MAX_QUERY_LENGTH`."""
    if not query or utf16_len(query) > MAX_QUERY_LENGTH or limit <= 0:
        return []
    needle = normalize_name(query)
    if not needle:
        return []
    index = _by_normalized_name()
    close = difflib.get_close_matches(needle, list(index), n=limit, cutoff=SUGGEST_CUTOFF)
    found: list[Kommun] = []
    for key in close:
        found.extend(k for k in index[key] if k not in found)
    return found[:limit]


def split_misspelt_kommun(text: str) -> TrailingKommun | None:
    """Like :func:`split_trailing_kommun` for a misspelt kommun at the end ("Norra
    Möllebacken Solvesbrg"): the last one or two words and the kommuner they may mean.
    None when nothing is close enough."""
    words = text.split()
    for size in range(min(2, len(words) - 1), 0, -1):
        tail = " ".join(words[-size:])
        suggestions = suggest_kommuner(tail)
        if suggestions:
            return TrailingKommun(_area_before(words[:-size]), tail, tuple(suggestions))
    return None


#: The most words a län is written with ("Västra Götalands län").
_MAX_LAN_WORDS = 3
_LAN_SUFFIXES = (" lan", " county")


@cache
def _lan_by_name() -> dict[str, str]:
    """Normalised ways to write each län → its code: "blekinge lan", "blekinge",
    "stockholms lan", "stockholm", "vastra gotaland", "blekinge county"."""
    names: dict[str, str] = {}
    for kommun in load_kommuner():
        full = _words(kommun.lan_name)  # "stockholms lan"
        base = full.removesuffix(" lan")  # "stockholms"
        bare = base[:-1] if base.endswith("s") else base  # "stockholm" (genitive dropped)
        for key in {full, base, bare, f"{bare} county", f"{base} county"}:
            names[key] = kommun.lan_code
    return names


def split_trailing_lan(text: str) -> tuple[str, str] | None:
    """Split off a län written after the kommun, as people add it: "Norra Möllebacken
    Sölvesborg Blekinge län", "… Sölvesborg, Blekinge län", "Sölvesborg, Blekinge" →
    (the text before it, without a trailing comma; the län code, "10"). None when the
    text does not end with a län's name or nothing stays before it. The caller decides
    whether the rest names a kommun of that län (a län may share a kommun's name).
    """
    words = text.replace(",", ", ").split()
    names = _lan_by_name()
    for size in range(min(_MAX_LAN_WORDS, len(words) - 1), 0, -1):
        code = names.get(_words(" ".join(words[-size:])))
        rest = " ".join(words[:-size]).rstrip(" ,")
        if code is not None and rest:
            return rest, code
    return None
