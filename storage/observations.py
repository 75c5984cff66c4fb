"""Observations reported by residents: photos, notes, forwards to the police, listings."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

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


@dataclass(frozen=True)
class ListItem:
    """One line of a listing (coordinator list, police inbox, resident's own list)."""

    id: int
    reference: str
    group_id: int
    category: str
    status: str
    created_at: datetime
    handled: bool = False


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


def _item(row: aiosqlite.Row, handled: bool = False) -> ListItem:
    return ListItem(
        id=row["id"],
        reference=row["reference"],
        group_id=row["group_id"],
        category=row["category"],
        status=row["status"],
        created_at=from_db_required(row["created_at"]),
        handled=handled,
    )


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" * len(list(values)))


def _union(select: str, count: int) -> str:
    """`count` copies of an ordered, limited SELECT joined by UNION ALL (each in a subquery,
    where SQLite allows ORDER BY and LIMIT)."""
    return " UNION ALL ".join([f"SELECT * FROM ({select})"] * count)


async def list_for_groups(
    db: Database,
    group_ids: Iterable[int],
    *,
    status: str | None,
    category: str | None,
    since: datetime | None,
    limit: int,
    offset: int = 0,
) -> list[ListItem]:
    """A page of the groups' observations, newest first (withdrawn ones never included)."""
    groups = sorted(set(group_ids))
    if not groups:
        return []
    where = "group_id = ?"
    filters: list[object] = []
    if status is not None:
        where += " AND status = ?"
        filters.append(status)
    else:
        where += " AND status != 'withdrawn'"
    if category is not None:
        where += " AND category = ?"
        filters.append(category)
    if since is not None:
        where += " AND created_at >= ?"
        filters.append(to_db(since))
    # One newest-first walk per group, each stopping after limit + offset rows, then a
    # small sort: SQLite cannot merge `group_id IN (…) ORDER BY id` from an index, it
    # would read and sort every row of every group.
    newest = _union(
        f"SELECT id FROM observations WHERE {where} ORDER BY id DESC LIMIT ?", len(groups)
    )
    sql = (
        "SELECT id, reference, group_id, category, status, created_at FROM observations "
        f"WHERE id IN ({newest}) ORDER BY id DESC LIMIT ? OFFSET ?"
    )
    params: list[object] = []
    for group in groups:
        params.extend((group, *filters, limit + offset))
    params.extend((limit, offset))
    return [_item(row) for row in await db.fetch_all(sql, params)]


async def list_for_reporter(db: Database, reporter_id: int, limit: int) -> list[ListItem]:
    """A resident's own observations, newest first."""
    rows = await db.fetch_all(
        "SELECT id, reference, group_id, category, status, created_at FROM observations "
        "WHERE reporter_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (reporter_id, limit),
    )
    return [_item(row) for row in rows]


async def inbox(
    db: Database, kommun_codes: Iterable[str], *, limit: int, offset: int = 0
) -> list[ListItem]:
    """A page of what was forwarded to the police of these kommuner, newest first."""
    codes = sorted(set(kommun_codes))
    if not codes:
        return []
    # Per kommun, then a small sort (see list_for_groups).
    newest = _union(
        "SELECT observation_id FROM observation_forwards WHERE kommun_code = ?"
        " ORDER BY forwarded_at DESC, observation_id DESC LIMIT ?",
        len(codes),
    )
    rows = await db.fetch_all(
        f"""
        SELECT o.id, o.reference, o.group_id, o.category, o.status, o.created_at,
               f.handled_at IS NOT NULL AS handled
        FROM observation_forwards f JOIN observations o ON o.id = f.observation_id
        WHERE f.observation_id IN ({newest})
        ORDER BY f.forwarded_at DESC, f.observation_id DESC LIMIT ? OFFSET ?
        """,
        [*(p for code in codes for p in (code, limit + offset)), limit, offset],
    )
    return [_item(row, bool(row["handled"])) for row in rows]


async def set_status(
    db: Database,
    obs_id: int,
    allowed_from: Iterable[str],
    status: str,
    now: datetime,
    notices: Iterable[OutgoingMessage] = (),
    held: Iterable[tuple[int, str]] = (),
) -> bool:
    """Change the status if it currently is one of `allowed_from`; True if changed. With
    the change (only then, in its transaction) `notices` are enqueued and `held`
    ((user id, viewer) pairs) are held for the person's next private message."""
    sources = list(allowed_from)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            f"UPDATE observations SET status = ?, updated_at = ? "
            f"WHERE id = ? AND status IN ({_marks(sources)})",
            [status, to_db(now), obs_id, *sources],
        )
        if cursor.rowcount == 0:
            return False
        await _announce(conn, obs_id, notices, held, now)
        return True


async def _announce(
    conn: aiosqlite.Connection,
    obs_id: int,
    notices: Iterable[OutgoingMessage],
    held: Iterable[tuple[int, str]],
    now: datetime,
) -> None:
    await outbox.enqueue_many(conn, list(notices), now)
    for user_id, viewer in held:
        await reach.hold_in(conn, [user_id], obs_id, viewer, now)


async def withdraw(
    db: Database,
    obs_id: int,
    reporter_id: int,
    now: datetime,
    notice_kind: str | None = None,
    edits: Iterable[OutgoingMessage] = (),
) -> bool:
    """The resident takes back their own observation while it is still new; its unsent
    outbox rows of `notice_kind` (announcements to coordinators) are skipped with it, and
    `edits` (of the announcements already delivered) are enqueued with it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE observations SET status = 'withdrawn', updated_at = ? "
            "WHERE id = ? AND reporter_id = ? AND status = 'new'",
            (to_db(now), obs_id, reporter_id),
        )
        if cursor.rowcount == 0:
            return False
        if notice_kind is not None:
            await outbox.skip_pending(conn, notice_kind, obs_id, "withdrawn", now)
        await outbox.enqueue_many(conn, list(edits), now)
        return True


async def add_note(db: Database, obs_id: int, author_id: int, text: str, now: datetime) -> None:
    """Append a coordinator's note."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO observation_notes (observation_id, author_id, text, created_at) "
            "VALUES (?, ?, ?, ?)",
            (obs_id, author_id, text, to_db(now)),
        )
        await conn.execute(
            "UPDATE observations SET updated_at = ? WHERE id = ?", (to_db(now), obs_id)
        )


async def forward(
    db: Database,
    obs_id: int,
    kommun_code: str,
    by: int,
    now: datetime,
    notices: Iterable[OutgoingMessage] = (),
    hold_for: Iterable[int] = (),
    held: Iterable[tuple[int, str]] = (),
) -> bool:
    """Mark forwarded, record the forward, enqueue `notices` (to the police, and the
    reporter's) and hold the notification for `hold_for` (police known to be unreachable
    privately) and `held` (see set_status) in one transaction; False (nothing written) if
    not forwardable."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE observations SET status = 'forwarded', updated_at = ? "
            "WHERE id = ? AND status IN ('new', 'reviewed')",
            (to_db(now), obs_id),
        )
        if cursor.rowcount == 0:
            return False
        await conn.execute(
            "INSERT INTO observation_forwards (observation_id, kommun_code, forwarded_by,"
            " forwarded_at) VALUES (?, ?, ?, ?)",
            (obs_id, kommun_code, by, to_db(now)),
        )
        await reach.hold_in(conn, hold_for, obs_id, "police", now)
        await _announce(conn, obs_id, notices, held, now)
        return True


async def mark_handled(
    db: Database,
    obs_id: int,
    by: int,
    now: datetime,
    notices: Iterable[OutgoingMessage] = (),
    held: Iterable[tuple[int, str]] = (),
) -> bool:
    """A police officer marks a forwarded observation handled; False if already handled.
    `notices` and `held` as in set_status."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE observation_forwards SET handled_by = ?, handled_at = ? "
            "WHERE observation_id = ? AND handled_at IS NULL",
            (by, to_db(now), obs_id),
        )
        if cursor.rowcount == 0:
            return False
        await _announce(conn, obs_id, notices, held, now)
        return True
