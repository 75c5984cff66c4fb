"""Prevention-tip library: the shipped tip data and the rules for reading it.

The tips live in ``bot/data/tips.csv`` (UTF-8, RFC 4180 as written by Python's
:mod:`csv` module) with the header ``key,focus,seasons,text_sv,text_en``.
Each tip belongs to one focus area and to one or more seasons (separated by
``|``).  :func:`load_tip_seeds` reads and validates the shipped file,
:func:`parse_tips_csv` and :func:`tips_to_csv` convert between CSV text and
:class:`TipSeed` objects, and :func:`seasons_for` tells which seasons are
active on a given date so callers can pick tips that fit the time of year.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.textlen import utf16_len

__all__ = [
    "CSV_HEADER",
    "FOCUS_AREAS",
    "FORBIDDEN_CHARS",
    "MAX_TEXT_LENGTH",
    "SEASONS",
    "TipFileError",
    "TipSeed",
    "easter_sunday",
    "load_tip_seeds",
    "parse_tips_csv",
    "seasons_for",
    "tips_to_csv",
    "tips_to_csv_file",
]

FOCUS_AREAS: tuple[str, ...] = (
    "burglary",  # burglary and home security
    "theft",  # theft and pickpocketing
    "vehicle",  # vehicle and bicycle theft (incl. boat engines)
    "fraud",  # fraud against the elderly
    "youth",  # alcohol and drugs among the young
    "traffic",  # traffic safety
    "neighbour",  # being a good neighbour
)
"""Every focus area a tip may belong to."""

SEASONS: tuple[str, ...] = (
    "dark",  # the dark season, October-December
    "christmas",  # Christmas shopping, 20 November - 24 December
    "summer",  # summer holidays and midsommar, June-August
    "easter",  # 14 days before to 1 day after Easter Sunday
    "autumn",  # holiday homes and boat engines, September-November
    "all_year",  # always relevant
)
"""Every season a tip may be tagged with."""

CSV_HEADER: tuple[str, ...] = ("key", "focus", "seasons", "text_sv", "text_en")
"""Required header row of the tip file, in order."""

MAX_TEXT_LENGTH = 400
"""Maximum length of a tip text, in characters, per language."""

FORBIDDEN_CHARS = frozenset("<>&")
"""Characters never allowed in tip texts (they would need escaping in HTML messages)."""

SEASON_SEPARATOR = "|"

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATA_PACKAGE = "bot"
_DATA_PATH = "data/tips.csv"


class TipFileError(ValueError):
    """A tip file could not be parsed or failed validation.

    ``row`` is the 1-based CSV record number (the header is row 1, the first
    tip row 2), or ``None`` for problems not tied to a single row.
    """

    def __init__(self, row: int | None, reason: str) -> None:
        self.row = row
        self.reason = reason
        where = f"row {row}" if row is not None else "tip file"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class TipSeed:
    """One prevention tip as shipped in the tip file.

    ``key`` is a stable slug (``burglary-timers-dark``), ``focus`` one of
    :data:`FOCUS_AREAS`, ``seasons`` one or more of :data:`SEASONS`.
    """

    key: str
    focus: str
    seasons: tuple[str, ...]
    text_sv: str
    text_en: str

    def text(self, lang: str) -> str:
        """Return the text for ``lang`` (``"sv"``; anything else gives English)."""
        return self.text_sv if lang == "sv" else self.text_en

    def fits(self, seasons: Iterable[str]) -> bool:
        """Return True if the tip is tagged with any of ``seasons``."""
        wanted = set(seasons)
        return any(season in wanted for season in self.seasons)


def _check_text(row: int, column: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise TipFileError(row, f"empty {column}")
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise TipFileError(
            row, f"{column} is {utf16_len(text)} characters, over the limit of {MAX_TEXT_LENGTH}"
        )
    bad = sorted(FORBIDDEN_CHARS.intersection(text))
    if bad:
        raise TipFileError(row, f"{column} contains forbidden character(s) {' '.join(bad)}")
    return text


def _parse_row(row: int, fields: list[str]) -> TipSeed:
    if len(fields) != len(CSV_HEADER):
        raise TipFileError(row, f"expected {len(CSV_HEADER)} columns, got {len(fields)}")
    key, focus, seasons_field, text_sv, text_en = (field.strip() for field in fields)

    if not key:
        raise TipFileError(row, "empty key")
    if not _KEY_RE.fullmatch(key):
        raise TipFileError(row, f"key {key!r} is not a lowercase slug (a-z, 0-9, '-')")
    if focus not in FOCUS_AREAS:
        raise TipFileError(row, f"unknown focus {focus!r}")

    seasons = tuple(s.strip() for s in seasons_field.split(SEASON_SEPARATOR))
    if seasons == ("",):
        raise TipFileError(row, "no seasons given")
    for season in seasons:
        if season not in SEASONS:
            raise TipFileError(row, f"unknown season {season!r}")
    if len(set(seasons)) != len(seasons):
        raise TipFileError(row, f"season listed twice in {seasons_field!r}")

    return TipSeed(
        key=key,
        focus=focus,
        seasons=seasons,
        text_sv=_check_text(row, "text_sv", text_sv),
        text_en=_check_text(row, "text_en", text_en),
    )


def parse_tips_csv(text: str) -> list[TipSeed]:
    """Parse and validate tip-file CSV text.

    Blank lines are ignored and a leading byte-order mark is tolerated.
    Raises :class:`TipFileError` (a :class:`ValueError`) naming the row and the
    reason on a wrong header, wrong column count, bad key, unknown focus or
    season, empty text, text over :data:`MAX_TEXT_LENGTH` characters, a
    forbidden character or a duplicate key.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    tips: list[TipSeed] = []
    seen: dict[str, int] = {}
    header_seen = False
    try:
        for row_number, fields in enumerate(reader, start=1):
            if not fields or fields == [""]:
                continue
            if not header_seen:
                if tuple(f.strip() for f in fields) != CSV_HEADER:
                    raise TipFileError(
                        row_number, f"header must be {','.join(CSV_HEADER)!r}, got {fields!r}"
                    )
                header_seen = True
                continue
            tip = _parse_row(row_number, fields)
            if tip.key in seen:
                raise TipFileError(
                    row_number, f"duplicate key {tip.key!r} (first used in row {seen[tip.key]})"
                )
            seen[tip.key] = row_number
            tips.append(tip)
    except csv.Error as exc:
        raise TipFileError(reader.line_num or None, f"malformed CSV: {exc}") from exc
    if not header_seen:
        raise TipFileError(None, "file is empty (no header row)")
    return tips


def tips_to_csv(tips: Iterable[TipSeed]) -> str:
    """Serialise ``tips`` to CSV text that :func:`parse_tips_csv` reads back unchanged.

    Output uses the csv module's default (RFC 4180, CRLF line endings) dialect
    and starts with the header row.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for tip in tips:
        writer.writerow(
            (tip.key, tip.focus, SEASON_SEPARATOR.join(tip.seasons), tip.text_sv, tip.text_en)
        )
    return buffer.getvalue()


def tips_to_csv_file(tips: Iterable[TipSeed]) -> bytes:
    """The bytes of an exported tip file: :func:`tips_to_csv` as UTF-8 with a byte-order
    mark, the convention of the observation export (so a spreadsheet reads å, ä, ö right);
    :func:`parse_tips_csv` tolerates the mark on import."""
    return tips_to_csv(tips).encode("utf-8-sig")


@cache
def load_tip_seeds() -> tuple[TipSeed, ...]:
    """Load and validate the tip file shipped in the ``bot`` package (cached)."""
    raw = resources.files(_DATA_PACKAGE).joinpath(_DATA_PATH).read_bytes()
    return tuple(parse_tips_csv(raw.decode("utf-8")))


def easter_sunday(year: int) -> dt.date:
    """Return the date of (Western) Easter Sunday in ``year``.

    Uses the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def seasons_for(date: dt.date) -> set[str]:
    """Return the seasons active on ``date`` (always including ``all_year``).

    * ``dark``: October-December
    * ``christmas``: 20 November to 24 December
    * ``summer``: June-August (covers midsommar)
    * ``easter``: from 14 days before to 1 day after Easter Sunday
    * ``autumn``: September-November

    A :class:`datetime.datetime` is accepted and only its date is used.
    """
    if isinstance(date, dt.datetime):
        date = date.date()
    active = {"all_year"}
    month = date.month
    if month >= 10:
        active.add("dark")
    if dt.date(date.year, 11, 20) <= date <= dt.date(date.year, 12, 24):
        active.add("christmas")
    if 6 <= month <= 8:
        active.add("summer")
    easter = easter_sunday(date.year)
    if easter - dt.timedelta(days=14) <= date <= easter + dt.timedelta(days=1):
        active.add("easter")
    if 9 <= month <= 11:
        active.add("autumn")
    return active
