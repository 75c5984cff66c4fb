"""Storage of the police events feed: events seen, deliveries, group settings, calls, state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import aiosqlite

from storage.db import Database
from storage.outbox import (
    Message,
    OutgoingMessage,
    enqueue_encoded,
    enqueue_many,
    replace_payloads,
)
from storage.timeutil import to_db

KIND = "police_feed"
DEFAULT_QUIET = ("22:00", "07:00")
_CHUNK = 500


@dataclass(frozen=True)
class SeenEvent:
    """What is remembered of an event already seen."""

    id: int
    content_hash: str
    kommun_code: str | None
    lan_code: str | None
    routing: str
    status: str


@dataclass(frozen=True)
class EventRow:
    """One feed_events row to insert or replace (times aware)."""

    id: int
    content_hash: str
    name: str
    summary: str
    url: str
    type: str
    category: str | None
    routing: str
    kommun_code: str | None
    lan_code: str | None
    incident_at: datetime | None
    published_at: datetime
    status: str


@dataclass(frozen=True)
class GroupFeedSettings:
    """A group's feed choices (defaults when the coordinator never changed them).

    `quiet` is (start, end) as local 'HH:MM', or None for no quiet hours.
    """

    group_id: int
    categories: str = "burglary"
    lan_mode: str = "summary"
    quiet: tuple[str, str] | None = DEFAULT_QUIET


class FeedTarget(NamedTuple):
    """An active registered group as the router needs it, with its feed settings.

    A named tuple, not a dataclass: a poll builds one per registered group (thousands).
    `quiet` is (start, end) as local 'HH:MM', or None for no quiet hours.
    """

    group_id: int
    kommun_code: str
    language: str
    categories: str
    lan_mode: str
    quiet: tuple[str, str] | None


def _settings(group_id: int, row: aiosqlite.Row | None) -> GroupFeedSettings:
    if row is None or row["s_group"] is None:
        return GroupFeedSettings(group_id)
    quiet = (row["quiet_start"], row["quiet_end"]) if row["quiet_start"] else None
    return GroupFeedSettings(group_id, row["categories"], row["lan_mode"], quiet)


_SETTINGS_COLS = "s.group_id AS s_group, s.categories, s.lan_mode, s.quiet_start, s.quiet_end"


async def targets(db: Database) -> list[FeedTarget]:
    """Every registered group the bot is still in, with a kommun, and its feed settings
    (the defaults for a group that never changed them); one query for all groups."""
    defaults = GroupFeedSettings(0)
    rows = await db.fetch_all(
        "SELECT g.id, g.kommun_code, g.language, COALESCE(s.categories, ?),"
        " COALESCE(s.lan_mode, ?), CASE WHEN s.group_id IS NULL THEN ? ELSE s.quiet_start END,"
        " CASE WHEN s.group_id IS NULL THEN ? ELSE s.quiet_end END"
        " FROM groups g LEFT JOIN feed_group_settings s ON s.group_id = g.id"
        " WHERE g.registered_at IS NOT NULL AND g.bot_present = 1 AND g.kommun_code IS NOT NULL"
        " ORDER BY g.id",
        (defaults.categories, defaults.lan_mode, *DEFAULT_QUIET),
    )
    quiet_hours: dict[tuple[str, str], tuple[str, str]] = {}  # one tuple per distinct setting
    out = []
    for gid, kommun, language, categories, lan_mode, start, end in rows:
        quiet = quiet_hours.setdefault((start, end), (start, end)) if start else None
        out.append(FeedTarget(gid, kommun, language, categories, lan_mode, quiet))
    return out


async def group_settings(db: Database, group_id: int) -> GroupFeedSettings:
    """The feed settings of one group (defaults if never changed)."""
    row = await db.fetch_one(
        f"SELECT {_SETTINGS_COLS} FROM feed_group_settings s WHERE s.group_id = ?", (group_id,)
    )
    return _settings(group_id, row)


async def save_group_settings(
    db: Database, settings: GroupFeedSettings, actor_id: int | None, now: datetime
) -> None:
    """Store a group's feed settings (insert or replace)."""
    start, end = settings.quiet if settings.quiet else (None, None)
    await db.execute(
        "INSERT INTO feed_group_settings (group_id, categories, lan_mode, quiet_start,"
        " quiet_end, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (group_id) DO UPDATE SET categories = excluded.categories,"
        " lan_mode = excluded.lan_mode, quiet_start = excluded.quiet_start,"
        " quiet_end = excluded.quiet_end, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
        (settings.group_id, settings.categories, settings.lan_mode, start, end, actor_id,
         to_db(now)),
    )  # fmt: skip


# -- events seen ---------------------------------------------------------------------------


async def seen(db: Database, ids: Iterable[int]) -> dict[int, SeenEvent]:
    """The remembered events among `ids`."""
    ids = list(ids)
    found: dict[int, SeenEvent] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = await db.fetch_all(
            "SELECT id, content_hash, kommun_code, lan_code, routing, status FROM feed_events"
            f" WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for r in rows:
            found[r["id"]] = SeenEvent(*r)
    return found


async def any_seen(db: Database) -> bool:
    """Whether any event was ever remembered."""
    return await db.fetch_value("SELECT 1 FROM feed_events LIMIT 1") is not None


class Delivery(NamedTuple):
    """One message for one group about one event (enqueued only if never enqueued before).

    `payload` is the outbox payload already JSON-encoded: the groups of one language share
    one string (a poll may fan 500 events out to thousands of groups). A named tuple, not a
    dataclass: it is built once per (event, group), in the hot path of a poll.
    """

    event_id: int
    group_id: int
    priority: int
    payload: str


async def save_pass(
    db: Database,
    events: list[EventRow],
    deliveries: list[Delivery],
    extra_messages: list[OutgoingMessage],
    unknown_types: list[str],
    now: datetime,
    replacements: Sequence[tuple[int, Message]] = (),
) -> int:
    """One transaction: remember events, record deliveries and enqueue their messages.

    A (event, group) pair already delivered is skipped, so a message goes to a group at
    most once per event whatever the callers do. `extra_messages` (edits, notices) are
    enqueued as they are; `replacements` rewrite still-pending rows.
    Returns how many deliveries were enqueued.
    """
    stamp = to_db(now)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO feed_events (id, content_hash, name, summary, url, type, category,"
            " routing, kommun_code, lan_code, incident_at, published_at, status,"
            " first_seen_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash,"
            " name = excluded.name, summary = excluded.summary, url = excluded.url,"
            " type = excluded.type, category = excluded.category, routing = excluded.routing,"
            " kommun_code = excluded.kommun_code, lan_code = excluded.lan_code,"
            " incident_at = excluded.incident_at, status = excluded.status,"
            " updated_at = excluded.updated_at",
            [
                (e.id, e.content_hash, e.name, e.summary, e.url, e.type, e.category, e.routing,
                 e.kommun_code, e.lan_code, to_db(e.incident_at) if e.incident_at else None,
                 to_db(e.published_at), e.status, stamp, stamp)
                for e in events
            ],
        )  # fmt: skip
        fresh = await _undelivered(conn, deliveries)
        await conn.executemany(
            "INSERT INTO feed_deliveries (event_id, group_id, created_at) VALUES (?, ?, ?)",
            [(d.event_id, d.group_id, stamp) for d in fresh],
        )
        await enqueue_encoded(
            conn, [(d.priority, KIND, d.event_id, d.group_id, None, d.payload) for d in fresh], now
        )
        await enqueue_many(conn, extra_messages, now)
        await replace_payloads(conn, list(replacements), now)
        await conn.executemany(
            "INSERT INTO feed_unknown_types (type, count, first_seen_at, last_seen_at)"
            " VALUES (?, 1, ?, ?) ON CONFLICT (type) DO UPDATE SET count = count + 1,"
            " last_seen_at = excluded.last_seen_at",
            [(name, stamp, stamp) for name in unknown_types],
        )
    return len(fresh)


async def _undelivered(conn: aiosqlite.Connection, deliveries: list[Delivery]) -> list[Delivery]:
    event_ids = sorted({d.event_id for d in deliveries})
    done: set[tuple[int, int]] = set()
    for start in range(0, len(event_ids), _CHUNK):
        chunk = event_ids[start : start + _CHUNK]
        async with conn.execute(
            "SELECT event_id, group_id FROM feed_deliveries"
            f" WHERE event_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ) as cursor:
            done.update((r[0], r[1]) for r in await cursor.fetchall())
    fresh: list[Delivery] = []
    for d in deliveries:
        if (d.event_id, d.group_id) not in done:
            done.add((d.event_id, d.group_id))
            fresh.append(d)
    return fresh


async def prune(db: Database, seen_before: datetime, calls_before: datetime) -> None:
    """Forget events first seen before `seen_before` and calls made before `calls_before`."""
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM feed_deliveries WHERE event_id IN"
            " (SELECT id FROM feed_events WHERE first_seen_at < ?)",
            (to_db(seen_before),),
        )
        await conn.execute("DELETE FROM feed_events WHERE first_seen_at < ?", (to_db(seen_before),))
        await conn.execute("DELETE FROM feed_calls WHERE at < ?", (to_db(calls_before),))


# -- figures ---------------------------------------------------------------------------------


async def type_counts(
    db: Database, kommun_code: str, since: datetime, until: datetime
) -> list[tuple[str, int]]:
    """Events of a kommun (and its län-level events) published in [since, until), per type."""
    rows = await db.fetch_all(
        "SELECT type, COUNT(*) FROM feed_events WHERE published_at >= ? AND published_at < ?"
        " AND (kommun_code = ? OR (routing = 'lan' AND lan_code = ?))"
        " GROUP BY type ORDER BY COUNT(*) DESC, type",
        (to_db(since), to_db(until), kommun_code, kommun_code[:2]),
    )
    return [(r[0], r[1]) for r in rows]


async def copies(db: Database, event_id: int) -> list[aiosqlite.Row]:
    """The original (non-edit) outbox rows of an event: id, group_id, status, message_id."""
    return await db.fetch_all(
        "SELECT id, group_id, status, message_id, payload FROM outbox WHERE kind = ?"
        " AND ref_id = ? AND json_extract(payload, '$.op') IS NULL"
        " AND json_extract(payload, '$.reply_to_message_id') IS NULL ORDER BY id",
        (KIND, event_id),
    )


async def edited_texts(db: Database, event_id: int) -> dict[int, str]:
    """Group id → the text of the newest edit enqueued for the event's copy there."""
    rows = await db.fetch_all(
        "SELECT group_id, json_extract(payload, '$.text') FROM outbox WHERE kind = ?"
        " AND ref_id = ? AND json_extract(payload, '$.op') = 'edit' ORDER BY id",
        (KIND, event_id),
    )
    return {r[0]: r[1] for r in rows}


async def kommun_type_counts(
    db: Database, kommun_codes: list[str], since: datetime, until: datetime
) -> dict[str, dict[str, int]]:
    """Feed events per kommun and type, published in [since, until) (weekly digest)."""
    if not kommun_codes:
        return {}
    rows = await db.fetch_all(
        "SELECT kommun_code, type, COUNT(*) FROM feed_events WHERE published_at >= ?"
        f" AND published_at < ? AND kommun_code IN ({','.join('?' * len(kommun_codes))})"
        " GROUP BY kommun_code, type",
        (to_db(since), to_db(until), *kommun_codes),
    )
    out: dict[str, dict[str, int]] = {}
    for code, event_type, count in rows:
        out.setdefault(code, {})[event_type] = count
    return out


async def lan_event_counts(
    db: Database, lan_codes: list[str], since: datetime, until: datetime
) -> dict[str, int]:
    """Län-level feed events (no kommun named) per län code, published in [since, until)."""
    if not lan_codes:
        return {}
    rows = await db.fetch_all(
        "SELECT lan_code, COUNT(*) FROM feed_events WHERE routing = 'lan' AND published_at >= ?"
        f" AND published_at < ? AND lan_code IN ({','.join('?' * len(lan_codes))})"
        " GROUP BY lan_code",
        (to_db(since), to_db(until), *lan_codes),
    )
    return {r[0]: r[1] for r in rows}
