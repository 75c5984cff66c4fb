"""The police feed's calls to the API (feed_calls), its stored state (feed_state) and the
health figures drawn from them (outcomes, events seen, messages sent, unknown types)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timeutil import from_db_required, to_db


async def call_times(db: Database, since: datetime) -> list[datetime]:
    """Times of the calls made since `since`, oldest first."""
    rows = await db.fetch_all(
        "SELECT at FROM feed_calls WHERE at >= ? ORDER BY at", (to_db(since),)
    )
    return [from_db_required(r[0]) for r in rows]


async def start_call(db: Database, url: str, now: datetime) -> int:
    """Record a call before it is made; returns its id."""
    return await db.execute("INSERT INTO feed_calls (at, url) VALUES (?, ?)", (to_db(now), url))


async def finish_call(
    db: Database,
    call_id: int,
    outcome: str,
    *,
    http_status: int | None = None,
    events: int | None = None,
    new_events: int | None = None,
    sent: int | None = None,
) -> None:
    """Record how a call ended (see feed_calls.outcome for the values)."""
    await db.execute(
        "UPDATE feed_calls SET outcome = ?, http_status = ?, events = ?, new_events = ?,"
        " sent = ? WHERE id = ?",
        (outcome, http_status, events, new_events, sent, call_id),
    )


async def recent_calls(db: Database, limit: int = 10) -> list[aiosqlite.Row]:
    """The newest calls, newest first."""
    return await db.fetch_all("SELECT * FROM feed_calls ORDER BY id DESC LIMIT ?", (limit,))


async def get_state(db: Database, key: str) -> str | None:
    """One feed_state value (None when unset)."""
    value: str | None = await db.fetch_value("SELECT value FROM feed_state WHERE key = ?", (key,))
    return value


async def set_state(db: Database, values: dict[str, str | None]) -> None:
    """Set (or, for None, delete) state keys in one transaction."""
    async with db.transaction() as conn:
        for key, value in values.items():
            if value is None:
                await conn.execute("DELETE FROM feed_state WHERE key = ?", (key,))
            else:
                await conn.execute(
                    "INSERT INTO feed_state (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )


async def unknown_types(db: Database) -> list[tuple[str, int]]:
    """Unknown event types seen, with how many events had them, most frequent first."""
    rows = await db.fetch_all(
        "SELECT type, count FROM feed_unknown_types ORDER BY count DESC, type"
    )
    return [(r[0], r[1]) for r in rows]


async def outcome_counts(db: Database, since: datetime) -> dict[str, int]:
    """Calls since a moment, per outcome ('ok', 'suspect:…', 'http_429', …)."""
    rows = await db.fetch_all(
        "SELECT outcome, COUNT(*) FROM feed_calls WHERE at >= ? GROUP BY outcome", (to_db(since),)
    )
    return {r[0]: r[1] for r in rows}


async def sent_since(db: Database, since: datetime) -> int:
    """How many group messages the calls made since a moment enqueued (replays not counted)."""
    return int(
        await db.fetch_value(
            "SELECT COALESCE(SUM(sent), 0) FROM feed_calls WHERE at >= ?", (to_db(since),)
        )
    )


async def events_since(db: Database, since: datetime) -> int:
    """How many events were first seen since a moment."""
    return int(
        await db.fetch_value(
            "SELECT COUNT(*) FROM feed_events WHERE first_seen_at >= ?", (to_db(since),)
        )
    )
