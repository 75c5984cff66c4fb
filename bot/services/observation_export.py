"""CSV export of observations: UTF-8 with BOM, formula-neutralised cells.

Columns (documented in docs/observations.md): see `COLUMNS`. A person's export reads in
their language (headers, status, category, yes/no: `to_csv(..., lang=)`); the command
line's keeps the stable English column names and codes for scripts.

Who reads a coordinator's note: the coordinators of the observation's group, nobody else
(not the police it was forwarded to, not the reporter). The card, the detail view and
this export follow that one rule (`notes_readable`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock, SystemClock
from bot.i18n import t_plain
from bot.services import privacy
from bot.services.refusals import Refused
from bot.services.roles import (
    Actor,
    ChatAdminCheck,
    SystemActor,
    access_following_telegram,
    require,
)
from config import Settings
from storage.db import Database
from storage.observation_export import ExportRow, export_rows

COLUMNS = (
    "reference",
    "reported_at",
    "observed_at",
    "status",
    "category",
    "group_id",
    "area",
    "kommun_code",
    "place",
    "latitude",
    "longitude",
    "location_exact",
    "description",
    "photos",
    "reporter",
    "forwarded_at",
    "handled_at",
    "notes",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_PERIODS = (7, 30, 365)


def neutralise(value: str) -> str:
    """Prefix a cell that a spreadsheet would read as a formula with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _stamp(moment: datetime | None, tz: ZoneInfo) -> str:
    return "" if moment is None else moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def notes_readable(coordinator_of: Iterable[int], group_id: int) -> bool:
    """Whether someone who coordinates the groups `coordinator_of` may read the notes of an
    observation of `group_id` (see the module's docstring)."""
    return group_id in set(coordinator_of)


def _cells(row: ExportRow, tz: ZoneInfo, lang: str | None) -> list[str]:
    def word(key: str, code: str) -> str:
        return code if lang is None else t_plain(lang, key)

    exact = "yes" if row.location_exact else "no"
    values = [
        row.reference,
        _stamp(row.created_at, tz),
        _stamp(row.observed_at, tz),
        word(f"obs.status.{row.status}", row.status),
        word(f"obs.cat.{row.category}", row.category),
        str(row.group_id),
        row.area,
        row.kommun_code or "",
        row.place_text or "",
        "" if row.latitude is None else f"{row.latitude}",
        "" if row.longitude is None else f"{row.longitude}",
        word(f"fb.csv.{exact}", exact),
        row.description,
        str(row.photo_count),
        row.reporter_name or "",
        _stamp(row.forwarded_at, tz),
        _stamp(row.handled_at, tz),
        row.notes,
    ]
    return [neutralise(value) for value in values]


def to_csv(rows: list[ExportRow], tz: ZoneInfo, lang: str | None = None) -> bytes:
    """The CSV file's bytes: a header row, then one row per observation; in `lang`
    (headers and values) or, with None, the English column names and stored codes."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        COLUMNS if lang is None else [t_plain(lang, f"fb.csv.col.{c}") for c in COLUMNS]
    )
    for row in rows:
        writer.writerow(_cells(row, tz, lang))
    return buffer.getvalue().encode("utf-8-sig")


async def export_for(
    db: Database,
    settings: Settings,
    clock: Clock,
    user_id: int,
    days: int,
    is_chat_admin: ChatAdminCheck,
    lang: str | None = None,
) -> tuple[bytes, int]:
    """The CSV (bytes, number of rows) a coordinator/police officer may have for the last
    `days` days: their groups' observations (groups `is_chat_admin` says they still
    administer) and those forwarded to their kommuner, read from storage here, in `lang`
    (see to_csv). Notes only where `notes_readable`.
    Raises `Refused("obs.export.not_allowed")` for anyone else."""
    access = await access_following_telegram(db, settings, is_chat_admin, user_id)
    if not access.coordinator_of and not access.police_kommuner:
        raise Refused("obs.export.not_allowed")
    rows = await export_rows(
        db,
        since=clock.now() - timedelta(days=days),
        group_ids=access.coordinator_of,
        forwarded_to=access.police_kommuner,
    )
    rows = [
        row if notes_readable(access.coordinator_of, row.group_id) else replace(row, notes="")
        for row in rows
    ]
    await privacy.record_access(db, clock, user_id, "export", "observations",
                                days=days, rows=len(rows))  # fmt: skip
    return to_csv(rows, settings.tzinfo, lang), len(rows)


async def export_all(
    db: Database,
    settings: Settings,
    actor: Actor,
    since: datetime,
    kommun_code: str | None,
    clock: Clock | None = None,
) -> tuple[bytes, int]:
    """Everything since a moment (optionally one kommun): for a system actor (the command
    line) only; a person is refused (`core.not_allowed`), even an admin. Written to the
    access log as an export by the command line."""
    require(isinstance(actor, SystemActor))
    rows = await export_rows(db, since=since, kommun_code=kommun_code)
    await privacy.record_access(db, clock or SystemClock(), None, "export", "observations",
                                since=since.isoformat(), kommun=kommun_code,
                                rows=len(rows))  # fmt: skip
    return to_csv(rows, settings.tzinfo), len(rows)
