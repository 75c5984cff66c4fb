"""What people type about a watch group: its area name (cleaned and measured in UTF-16
code units, Telegram's measure) and its kommun (matched, suggested when misspelt, narrowed
by a län), and the `/register` arguments that carry both.

Separate from bot/services/groups.py (the groups' rules: registration, coordinators,
links, lifecycle) because this is pure text reading with no storage: the handlers ask it
before they call a service, and bot/services/places.py reads "what, kommun" the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from bot.services.kommuner import (
    Kommun,
    match_kommuner,
    split_misspelt_kommun,
    split_trailing_kommun,
    split_trailing_lan,
    suggest_kommuner,
)
from bot.textlen import utf16_len

AREA_MIN_LENGTH = 2
AREA_MAX_LENGTH = 64
KOMMUN_CHOICES = 8
KOMMUN_QUERY_LIMIT = 60  # characters of a typed kommun answer that are read

_SPACES = re.compile(r"\s+")


def area_name_length(raw: str | None) -> int:
    """How long a typed area name is as :func:`clean_area_name` measures it (UTF-16 code
    units, whitespace collapsed), for a refusal that says the typed length."""
    return utf16_len(_SPACES.sub(" ", raw or "").strip())


def clean_area_name(raw: str | None) -> str | None:
    """An area name fit to store: control/format characters dropped, whitespace collapsed.

    Returns None when the result is shorter than AREA_MIN_LENGTH or longer than
    AREA_MAX_LENGTH characters.
    """
    if raw is None:
        return None
    kept = "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in unicodedata.normalize("NFC", raw)
        if ch in "\t\n\r\v\f" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    name = _SPACES.sub(" ", kept).strip()
    if not AREA_MIN_LENGTH <= utf16_len(name) <= AREA_MAX_LENGTH:
        return None
    return name


def split_area_and_kommun(args: str) -> tuple[str, str | None]:
    """`Storgatan, Sölvesborg` → ("Storgatan", "Sölvesborg"); without a comma no kommun."""
    if "," in args:
        area, _, kommun = args.rpartition(",")
        return area.strip(), (kommun.strip() or None)
    return args.strip(), None


def kommun_candidates(query: str) -> list[Kommun]:
    """Kommuner a typed name may mean: one when it is unambiguous, else the best few."""
    return match_kommuner(query, limit=KOMMUN_CHOICES)


@dataclass(frozen=True)
class KommunChoice:
    """What a typed kommun may mean: `kommuner` best first; `guessed` when they are
    spelling suggestions ("did you mean …?") rather than matches."""

    query: str | None
    kommuner: list[Kommun]
    guessed: bool = False


@dataclass(frozen=True)
class RegistrationInput:
    """`/register` arguments as read: the area (not yet cleaned) and its kommun."""

    area: str
    kommun: KommunChoice


def _in_lan(choice: KommunChoice, lan_code: str) -> KommunChoice | None:
    """`choice` narrowed to the kommuner of a län; None when it names none there."""
    kommuner = [k for k in choice.kommuner if k.lan_code == lan_code]
    return replace(choice, kommuner=kommuner) if kommuner else None


def choose_kommun(query: str | None) -> KommunChoice:
    """The kommuner a typed name matches, else the ones it may be a misspelling of. A län
    after the name ("Sölvesborg, Blekinge län") narrows them to that län."""
    if not query:
        return KommunChoice(None, [])
    if (lan := split_trailing_lan(query)) is not None:
        narrowed = _in_lan(_choose(lan[0]), lan[1])
        if narrowed is not None:
            return narrowed
    return _choose(query)


def _choose(query: str) -> KommunChoice:
    found = kommun_candidates(query)
    if found:
        return KommunChoice(query, found)
    return KommunChoice(query, suggest_kommuner(query), guessed=bool(suggest_kommuner(query)))


def read_registration(args: str) -> RegistrationInput:
    """Read `/register` arguments as people type them.

    `Storgatan, Sölvesborg` (comma), `Norra Möllebacken Sölvesborg`, `Ljungvägen i
    Sölvesborg`, `Torget Lilla Edet`, `Gatan Sölvesborgs kommun` (a kommun at the end) and
    `Norra Möllebacken Solvesbrg` (a misspelt one: suggestions) all give the area and the
    kommun; without any, `kommun.query` is None and the kommun must be asked for. A län
    written after the kommun (`… Sölvesborg Blekinge län`, `…, Sölvesborg, Blekinge`) is
    left out when the kommun lies in it.
    """
    if (lan := split_trailing_lan(args)) is not None:
        reading = _read_registration(lan[0])
        narrowed = _in_lan(reading.kommun, lan[1])
        if narrowed is not None:
            return RegistrationInput(reading.area, narrowed)
    return _read_registration(args)


def _read_registration(args: str) -> RegistrationInput:
    area, query = split_area_and_kommun(args)
    if query is not None or not area:
        return RegistrationInput(area, choose_kommun(query))
    trailing = split_trailing_kommun(area)
    if trailing is not None:
        return RegistrationInput(
            trailing.area, KommunChoice(trailing.query, list(trailing.kommuner))
        )
    misspelt = split_misspelt_kommun(area)
    if misspelt is not None:
        return RegistrationInput(
            misspelt.area, KommunChoice(misspelt.query, list(misspelt.kommuner), guessed=True)
        )
    return RegistrationInput(area, KommunChoice(None, []))
