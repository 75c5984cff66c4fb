"""The figures `grannvakt status` and `/healthz` report, read in one pass over the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.db import Database
from storage.timeutil import from_db, to_db

# feed_calls.outcome values that mean the feed answered usefully (or a call is running).
FEED_OK_OUTCOMES = ("ok", "baseline", "pending")


@dataclass(frozen=True)
class HealthFigures:
    """Counts and moments (aware UTC datetimes, None when there is none yet)."""

    schema_version: int
    outbox_pending: int  # pending or sending, due or not
    outbox_oldest_due: datetime | None  # since when the longest-waiting due row waits
    outbox_failed_24h: int
    last_tip_pass: datetime | None
    last_digest: datetime | None
    last_feed_call: datetime | None
    last_feed_outcome: str | None
    feed_failing_since: datetime | None  # the first failed call after the last good one
    active_groups: int
    people: int
    open_observations: int


async def read_figures(db: Database, now: datetime) -> HealthFigures:
    """Read every figure; raises sqlite3.Error when the database cannot be read."""
    due = to_db(now)
    version = await db.fetch_value("PRAGMA user_version")
    # One query per status, so that each uses its partial index (migration 0007).
    pending = 0
    oldest: str | None = None
    for status in ("pending", "sending"):
        row = await db.fetch_one(
            "SELECT COUNT(*), MIN(CASE WHEN not_before IS NULL OR not_before <= ?"
            " THEN COALESCE(not_before, created_at) END) FROM outbox WHERE status = ?",
            (due, status),
        )
        if row is not None:
            pending += int(row[0] or 0)
            if row[1] is not None and (oldest is None or row[1] < oldest):
                oldest = row[1]
    failed = await db.fetch_value(
        "SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND updated_at >= ?",
        (to_db(now - timedelta(hours=24)),),
    )
    last_tip = await db.fetch_value("SELECT MAX(last_run_at) FROM tip_schedules")
    last_digest = await db.fetch_value("SELECT MAX(created_at) FROM digest_sends")
    call = await db.fetch_one("SELECT at, outcome FROM feed_calls ORDER BY id DESC LIMIT 1")
    failing_since = None
    if call is not None and call["outcome"] not in FEED_OK_OUTCOMES:
        marks = ", ".join("?" for _ in FEED_OK_OUTCOMES)
        failing_since = await db.fetch_value(
            "SELECT MIN(at) FROM feed_calls WHERE id > COALESCE("
            f"(SELECT MAX(id) FROM feed_calls WHERE outcome IN ({marks})), 0)",
            FEED_OK_OUTCOMES,
        )
    groups = await db.fetch_value(
        "SELECT COUNT(*) FROM groups WHERE registered_at IS NOT NULL AND bot_present = 1"
    )
    people = await db.fetch_value("SELECT COUNT(*) FROM users")
    observations = await db.fetch_value(
        "SELECT COUNT(*) FROM observations WHERE status IN ('new', 'reviewed', 'forwarded')"
    )
    return HealthFigures(
        schema_version=int(version or 0),
        outbox_pending=pending,
        outbox_oldest_due=from_db(oldest),
        outbox_failed_24h=int(failed or 0),
        last_tip_pass=from_db(last_tip),
        last_digest=from_db(last_digest),
        last_feed_call=from_db(call["at"]) if call is not None else None,
        last_feed_outcome=call["outcome"] if call is not None else None,
        feed_failing_since=from_db(failing_since),
        active_groups=int(groups or 0),
        people=int(people or 0),
        open_observations=int(observations or 0),
    )
