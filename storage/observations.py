"""Observations reported by residents: saving a report with its photos, reading one back.

Listings are in storage/observation_lists.py; status changes, notes and forwards in
storage/observation_status.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from storage import observation_reach as reach
from storage import outbox
from storage.db import Database
from storage.outbox import OutgoingMessage
from storage.timeutil import from_db, from_db_required, to_db

# Statuses a coordinator sees; 'withdrawn' (by the resident) is only shown to the resident.
VISIBLE_STATUSES = ("new", "reviewed", "forwarded", "closed")


@dataclass(frozen=True)
class Photo:
    file_id: str
    file_unique_id: str
    file_size: int | None = None


@dataclass(frozen=True)
class NewObservation:
    """Everything a resident filled in, validated by the service."""

    group_id: int
    kommun_code: str | None
    reporter_id: int
    show_identity: bool
    category: str
    observed_at: datetime
    place_text: str | None
    latitude: float | None
    longitude: float | None
    location_exact: bool
    description: str
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True)
class Note:
    author_id: int
    author_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Observation:
    """One observation with everything a detail view shows."""

    id: int
    reference: str
    group_id: int
    group_area: str
    kommun_code: str | None
    reporter_id: int
    reporter_name: str
    show_identity: bool
    category: str
    observed_at: datetime
    place_text: str | None
    latitude: float | None
    longitude: float | None
    location_exact: bool
    description: str
    status: str
    created_at: datetime
    forward_kommun: str | None
    forwarded_at: datetime | None
    handled_at: datetime | None
    photos: tuple[Photo, ...]
    notes: tuple[Note, ...]


_INSERT = """
INSERT INTO observations (ref_year, ref_number, group_id, kommun_code, reporter_id,
    show_identity, category, observed_at, place_text, latitude, longitude, location_exact,
    description, created_at, updated_at)
SELECT :year,
    COALESCE((SELECT MAX(ref_number) FROM observations WHERE ref_year = :year), 0) + 1,
    :group_id, :kommun_code, :reporter_id, :show_identity, :category, :observed_at,
    :place_text, :latitude, :longitude, :location_exact, :description, :now, :now
WHERE (SELECT COUNT(*) FROM observations
       WHERE reporter_id = :reporter_id AND created_at >= :since) < :limit
RETURNING id, reference
"""


def _insert_params(
    new: NewObservation,
    now: datetime,
    year: int,
    rate_since: datetime | None,
    rate_limit: int | None,
) -> dict[str, object]:
    return {
        "year": year,
        "group_id": new.group_id,
        "kommun_code": new.kommun_code,
        "reporter_id": new.reporter_id,
        "show_identity": int(new.show_identity),
        "category": new.category,
        "observed_at": to_db(new.observed_at),
        "place_text": new.place_text,
        "latitude": new.latitude,
        "longitude": new.longitude,
        "location_exact": int(new.location_exact),
        "description": new.description,
        "now": to_db(now),
        # Without a limit: count reports newer than "9999" (none), so the check passes.
        "since": "9999" if rate_since is None else to_db(rate_since),
        "limit": 1 if rate_limit is None else rate_limit,
    }


async def create_observation(
    db: Database,
    new: NewObservation,
    now: datetime,
    year: int,
    rate_since: datetime,
    rate_limit: int,
    notices: Callable[[int, str], list[OutgoingMessage]] | None = None,
    hold_for: Iterable[int] = (),
    idempotency_key: str | None = None,
) -> tuple[int, str] | None:
    """Save an observation and its photos in one transaction unless the reporter already
    filed `rate_limit` observations since `rate_since` (then None, nothing saved).

    `notices(id, reference)` gives the outbox messages that announce it (to the group's
    coordinators); they are enqueued in the same transaction, so a stored report is never
    left unannounced by a crash or a failed send. `hold_for`: coordinators known to be
    unreachable privately; their notification is held for their next private message.
    `idempotency_key`: the observation already stored under this key is returned instead
    of a new one (a Send handled again after a crash stores nothing twice).

    The whole transaction runs in one hand-off to SQLite's thread (the hot path of
    bench/storage.py)."""
    params = _insert_params(new, now, year, rate_since, rate_limit)
    held = list(hold_for)
    photo_rows = [
        (pos, p.file_id, p.file_unique_id, p.file_size) for pos, p in enumerate(new.photos)
    ]

    def work(conn: sqlite3.Connection) -> tuple[int, str] | None:
        if idempotency_key is not None:
            stored = conn.execute(
                "SELECT o.id, o.reference FROM observation_submissions s"
                " JOIN observations o ON o.id = s.observation_id WHERE s.idempotency_key = ?",
                (idempotency_key,),
            ).fetchone()
            if stored is not None:
                return int(stored[0]), str(stored[1])
        row = conn.execute(_INSERT, params).fetchone()
        if row is None:
            return None
        obs_id, reference = row[0], row[1]
        if idempotency_key is not None:
            conn.execute(
                "INSERT INTO observation_submissions (idempotency_key, observation_id)"
                " VALUES (?, ?)",
                (idempotency_key, obs_id),
            )
        if photo_rows:
            conn.executemany(
                "INSERT INTO observation_photos (observation_id, position, file_id,"
                " file_unique_id, file_size) VALUES (?, ?, ?, ?, ?)",
                [(obs_id, *photo) for photo in photo_rows],
            )
        if notices is not None:
            outbox.enqueue_many_in_thread(conn, notices(obs_id, reference), now)
        reach.hold_in_thread(conn, held, obs_id, "coordinator", now)
        return obs_id, reference

    return await db.run_transaction(work)


async def count_recent(db: Database, reporter_id: int, since: datetime) -> int:
    """How many observations a resident filed since a moment (for the hourly limit)."""
    return int(
        await db.fetch_value(
            "SELECT COUNT(*) FROM observations WHERE reporter_id = ? AND created_at >= ?",
            (reporter_id, to_db(since)),
        )
        or 0
    )


_DETAIL_SQL = """
SELECT o.*, COALESCE(g.area_name, g.title, '') AS group_area,
       TRIM(COALESCE(u.first_name, '') || ' ' || COALESCE(u.last_name, '')) AS reporter_name,
       f.kommun_code AS forward_kommun, f.forwarded_at, f.handled_at
FROM observations o
JOIN groups g ON g.id = o.group_id
LEFT JOIN users u ON u.telegram_id = o.reporter_id
LEFT JOIN observation_forwards f ON f.observation_id = o.id
WHERE o.id = ?
"""


async def forwarded_by(db: Database, obs_id: int) -> int | None:
    """The user id of whoever forwarded the observation to the police, or None."""
    value = await db.fetch_value(
        "SELECT forwarded_by FROM observation_forwards WHERE observation_id = ?", (obs_id,)
    )
    return None if value is None else int(value)


async def get_observation(db: Database, obs_id: int) -> Observation | None:
    """One observation with its photos, notes and forward, or None."""
    row = await db.fetch_one(_DETAIL_SQL, (obs_id,))
    if row is None:
        return None
    photos = await db.fetch_all(
        "SELECT file_id, file_unique_id, file_size FROM observation_photos "
        "WHERE observation_id = ? ORDER BY position",
        (obs_id,),
    )
    notes = await db.fetch_all(
        """
        SELECT n.author_id, n.text, n.created_at, COALESCE(u.first_name, '') AS name
        FROM observation_notes n LEFT JOIN users u ON u.telegram_id = n.author_id
        WHERE n.observation_id = ? ORDER BY n.id
        """,
        (obs_id,),
    )
    return Observation(
        id=row["id"],
        reference=row["reference"],
        group_id=row["group_id"],
        group_area=row["group_area"],
        kommun_code=row["kommun_code"],
        reporter_id=row["reporter_id"],
        reporter_name=row["reporter_name"] or "",
        show_identity=bool(row["show_identity"]),
        category=row["category"],
        observed_at=from_db_required(row["observed_at"]),
        place_text=row["place_text"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        location_exact=bool(row["location_exact"]),
        description=row["description"],
        status=row["status"],
        created_at=from_db_required(row["created_at"]),
        forward_kommun=row["forward_kommun"],
        forwarded_at=from_db(row["forwarded_at"]),
        handled_at=from_db(row["handled_at"]),
        photos=tuple(Photo(p[0], p[1], p[2]) for p in photos),
        notes=tuple(
            Note(n["author_id"], n["name"], n["text"], from_db_required(n["created_at"]))
            for n in notes
        ),
    )
