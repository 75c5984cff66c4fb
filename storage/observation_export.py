"""Rows for the observation CSV export (the bot's /export and the CLI)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db, from_db_required, to_db


@dataclass(frozen=True)
class ExportRow:
    reference: str
    created_at: datetime
    observed_at: datetime
    status: str
    category: str
    group_id: int
    area: str
    kommun_code: str | None
    place_text: str | None
    latitude: float | None
    longitude: float | None
    location_exact: bool
    description: str
    photo_count: int
    reporter_name: str | None  # None unless the resident allowed showing their identity
    forwarded_at: datetime | None
    handled_at: datetime | None
    notes: str


async def export_rows(
    db: Database,
    *,
    since: datetime,
    group_ids: Iterable[int] | None = None,
    forwarded_to: Iterable[str] | None = None,
    kommun_code: str | None = None,
) -> list[ExportRow]:
    """Observations created since a moment, oldest first, never withdrawn ones.

    With `group_ids` and/or `forwarded_to` given, only observations of those groups or
    forwarded to those kommuner (their union); with neither, all (the command line).
    `kommun_code` narrows to the kommun of the reporting group.
    """
    where = ["o.created_at >= ?", "o.status != 'withdrawn'"]
    params: list[object] = [to_db(since)]
    scopes: list[str] = []
    groups = sorted(set(group_ids)) if group_ids is not None else None
    kommuner = sorted(set(forwarded_to)) if forwarded_to is not None else None
    if groups is not None or kommuner is not None:
        if groups:
            scopes.append(f"o.group_id IN ({','.join('?' * len(groups))})")
            params.extend(groups)
        if kommuner:
            scopes.append(f"f.kommun_code IN ({','.join('?' * len(kommuner))})")
            params.extend(kommuner)
        where.append("(" + (" OR ".join(scopes) or "0") + ")")
    if kommun_code is not None:
        where.append("o.kommun_code = ?")
        params.append(kommun_code)
    rows = await db.fetch_all(
        f"""
        SELECT o.*, COALESCE(g.area_name, g.title, '') AS area,
               TRIM(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '')) AS name,
               f.forwarded_at, f.handled_at,
               (SELECT COUNT(*) FROM observation_photos p WHERE p.observation_id = o.id)
                   AS photo_count,
               (SELECT GROUP_CONCAT(n.text, ' | ') FROM observation_notes n
                 WHERE n.observation_id = o.id) AS notes
        FROM observations o
        JOIN groups g ON g.id = o.group_id
        LEFT JOIN users u ON u.telegram_id = o.reporter_id
        LEFT JOIN observation_forwards f ON f.observation_id = o.id
        WHERE {" AND ".join(where)}
        ORDER BY o.id
        """,
        params,
    )
    return [
        ExportRow(
            reference=r["reference"],
            created_at=from_db_required(r["created_at"]),
            observed_at=from_db_required(r["observed_at"]),
            status=r["status"],
            category=r["category"],
            group_id=r["group_id"],
            area=r["area"],
            kommun_code=r["kommun_code"],
            place_text=r["place_text"],
            latitude=r["latitude"],
            longitude=r["longitude"],
            location_exact=bool(r["location_exact"]),
            description=r["description"],
            photo_count=r["photo_count"],
            reporter_name=(r["name"] or str(r["reporter_id"])) if r["show_identity"] else None,
            forwarded_at=from_db(r["forwarded_at"]),
            handled_at=from_db(r["handled_at"]),
            notes=r["notes"] or "",
        )
        for r in rows
    ]
