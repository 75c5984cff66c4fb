"""CSV export of observations: UTF-8 with BOM, formula-neutralised cells.

Columns (documented in docs/observations.md): see `COLUMNS`.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock, SystemClock
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


def _cells(row: ExportRow, tz: ZoneInfo) -> list[str]:
    values = [
        row.reference,
        _stamp(row.created_at, tz),
        _stamp(row.observed_at, tz),
        row.status,
        row.category,
        str(row.group_id),
        row.area,
        row.kommun_code or "",
        row.place_text or "",
        "" if row.latitude is None else f"{row.latitude}",
        "" if row.longitude is None else f"{row.longitude}",
        "yes" if row.location_exact else "no",
        row.description,
        str(row.photo_count),
        row.reporter_name or "",
        _stamp(row.forwarded_at, tz),
        _stamp(row.handled_at, tz),
        row.notes,
    ]
    return [neutralise(value) for value in values]


def to_csv(rows: list[ExportRow], tz: ZoneInfo) -> bytes:
    """The CSV file's bytes: a header row, then one row per observation."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_cells(row, tz))
    return buffer.getvalue().encode("utf-8-sig")


async def export_for(
    db: Database,
    settings: Settings,
    clock: Clock,
    user_id: int,
    days: int,
    is_chat_admin: ChatAdminCheck,
) -> tuple[bytes, int]:
    """The CSV (bytes, number of rows) a coordinator/police officer may have for the last
    `days` days: their groups' observations (groups `is_chat_admin` says they still
    administer) and those forwarded to their kommuner, read from storage here.
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
    await privacy.record_access(db, clock, user_id, "export", "observations",
                                days=days, rows=len(rows))  # fmt: skip
    return to_csv(rows, settings.tzinfo), len(rows)


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
