"""Police alerts and acknowledgements (tables from migration 0003)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timeutil import from_db, from_db_required, to_db


@dataclass(frozen=True)
class AlertRecord:
    id: int
    sender_id: int
    sender_language: str
    category: str
    body: str
    photo_file_id: str | None
    target_kind: str
    target_scope: list[str]
    status: str
    update_text: str | None
    status_chat_id: int | None
    status_message_id: int | None
    created_at: datetime
    done_at: datetime | None
    withdrawn_at: datetime | None

    @property
    def is_withdrawn(self) -> bool:
        return self.status == "withdrawn"


@dataclass(frozen=True)
class NewAlert:
    """What an officer composed, ready to be stored."""

    sender_id: int
    sender_language: str
    category: str
    body: str
    photo_file_id: str | None
    target_kind: str
    target_scope: list[str]


@dataclass(frozen=True)
class AlertStats:
    """Delivery and acknowledgement numbers of one alert."""

    alert: AlertRecord
    targeted: int
    delivered: int
    failed: int
    inactive: int
    pending: int
    seen: int
    withdrawn_unsent: int = 0  # copies never sent because the alert was withdrawn first


def _record(row: aiosqlite.Row) -> AlertRecord:
    return AlertRecord(
        id=row["id"],
        sender_id=row["sender_id"],
        sender_language=row["sender_language"],
        category=row["category"],
        body=row["body"],
        photo_file_id=row["photo_file_id"],
        target_kind=row["target_kind"],
        target_scope=[str(s) for s in json.loads(row["target_scope"])],
        status=row["status"],
        update_text=row["update_text"],
        status_chat_id=row["status_chat_id"],
        status_message_id=row["status_message_id"],
        created_at=from_db_required(row["created_at"]),
        done_at=from_db(row["done_at"]),
        withdrawn_at=from_db(row["withdrawn_at"]),
    )


async def insert_alert(conn: aiosqlite.Connection, alert: NewAlert, now: datetime) -> int:
    """Insert an alert inside the caller's transaction (with its outbox rows); returns its id."""
    cursor = await conn.execute(
        "INSERT INTO alerts (sender_id, sender_language, category, body, photo_file_id,"
        " target_kind, target_scope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            alert.sender_id,
            alert.sender_language,
            alert.category,
            alert.body,
            alert.photo_file_id,
            alert.target_kind,
            json.dumps(alert.target_scope),
            to_db(now),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def get_alert(db: Database, alert_id: int) -> AlertRecord | None:
    row = await db.fetch_one("SELECT * FROM alerts WHERE id = ?", (alert_id,))
    return None if row is None else _record(row)


async def set_status_message(db: Database, alert_id: int, chat_id: int, message_id: int) -> None:
    """Remember the officer's status message, edited when the delivery is done."""
    await db.execute(
        "UPDATE alerts SET status_chat_id = ?, status_message_id = ? WHERE id = ?",
        (chat_id, message_id, alert_id),
    )


async def mark_done(db: Database, alert_id: int, now: datetime) -> bool:
    """Mark the delivery finished; True only for the first caller (so one report is sent)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE alerts SET done_at = ? WHERE id = ? AND done_at IS NULL",
            (to_db(now), alert_id),
        )
        return cursor.rowcount > 0


async def undone_alert_ids(db: Database) -> list[int]:
    """Alerts whose delivery report has not been sent yet."""
    rows = await db.fetch_all("SELECT id FROM alerts WHERE done_at IS NULL ORDER BY id")
    return [r[0] for r in rows]


async def set_update(conn: aiosqlite.Connection, alert_id: int, text: str, now: datetime) -> None:
    """Store an update text (inside the caller's transaction)."""
    await conn.execute(
        "UPDATE alerts SET update_text = ?, updated_text_at = ? WHERE id = ?",
        (text, to_db(now), alert_id),
    )


async def set_withdrawn(conn: aiosqlite.Connection, alert_id: int, now: datetime) -> bool:
    """Withdraw an alert (inside the caller's transaction); False if it already was."""
    cursor = await conn.execute(
        "UPDATE alerts SET status = 'withdrawn', withdrawn_at = ?"
        " WHERE id = ? AND status = 'active'",
        (to_db(now), alert_id),
    )
    return cursor.rowcount > 0


async def add_ack(
    db: Database, alert_id: int, user_id: int, group_id: int | None, now: datetime
) -> bool:
    """Record that a person has seen an alert; False if they already had."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO alert_acks (alert_id, user_id, group_id, acked_at)"
            " VALUES (?, ?, ?, ?)",
            (alert_id, user_id, group_id, to_db(now)),
        )
        return cursor.rowcount > 0


async def ack_count(db: Database, alert_id: int) -> int:
    return int(
        await db.fetch_value("SELECT COUNT(*) FROM alert_acks WHERE alert_id = ?", (alert_id,))
    )


# Delivery numbers come from outbox_counts (kept by triggers, migration 0007): reading
# them costs the same for 30 copies as for 30,000.
_STATS_SQL = """
SELECT a.*,
    COALESCE(c.total, 0) AS targeted,
    COALESCE(c.sent, 0) AS delivered,
    COALESCE(c.failed, 0) AS failed,
    COALESCE(c.skipped - c.withdrawn, 0) AS inactive,
    COALESCE(c.withdrawn, 0) AS withdrawn_unsent,
    COALESCE(c.unfinished, 0) AS pending,
    (SELECT COUNT(*) FROM alert_acks k WHERE k.alert_id = a.id) AS seen
FROM alerts a LEFT JOIN outbox_counts c ON c.kind = 'alert' AND c.ref_id = a.id
"""


async def unfinished_copies(db: Database, alert_id: int) -> int:
    """How many copies of the alert are still waiting or being sent (one row read)."""
    # execute_fetchall: one hand-off to the database thread (fetch_value takes three).
    rows = await db.conn.execute_fetchall(
        "SELECT unfinished FROM outbox_counts WHERE kind = 'alert' AND ref_id = ?", (alert_id,)
    )
    return int(next(iter(rows))[0]) if rows else 0


def _stats(row: aiosqlite.Row) -> AlertStats:
    return AlertStats(
        alert=_record(row),
        targeted=row["targeted"],
        delivered=row["delivered"],
        failed=row["failed"],
        inactive=row["inactive"],
        pending=row["pending"],
        seen=row["seen"],
        withdrawn_unsent=row["withdrawn_unsent"],
    )


async def alert_stats(db: Database, alert_id: int) -> AlertStats | None:
    """Delivery and acknowledgement numbers of one alert."""
    row = await db.fetch_one(_STATS_SQL + " WHERE a.id = ?", (alert_id,))
    return None if row is None else _stats(row)


async def recent_alerts(db: Database, sender_id: int | None, limit: int = 10) -> list[AlertStats]:
    """The newest alerts of one sender (or of everyone when sender_id is None), with numbers."""
    if sender_id is None:
        rows = await db.fetch_all(_STATS_SQL + " ORDER BY a.id DESC LIMIT ?", (limit,))
    else:
        rows = await db.fetch_all(
            _STATS_SQL + " WHERE a.sender_id = ? ORDER BY a.id DESC LIMIT ?", (sender_id, limit)
        )
    return [_stats(r) for r in rows]


async def failure_reasons(db: Database, alert_id: int) -> list[tuple[str, int]]:
    """Distinct errors of the failed deliveries of an alert, most frequent first."""
    rows = await db.fetch_all(
        "SELECT COALESCE(error, '?'), COUNT(*) AS n FROM outbox WHERE kind = 'alert'"
        " AND ref_id = ? AND status = 'failed' GROUP BY 1 ORDER BY n DESC",
        (alert_id,),
    )
    return [(r[0], r[1]) for r in rows]


async def delivered_messages(db: Database, alert_id: int) -> list[tuple[int, int]]:
    """(group id, message id) of every group the alert reached."""
    rows = await db.fetch_all(
        "SELECT group_id, message_id FROM outbox WHERE kind = 'alert' AND ref_id = ?"
        " AND status = 'sent' AND group_id IS NOT NULL AND message_id IS NOT NULL ORDER BY id",
        (alert_id,),
    )
    return [(r[0], r[1]) for r in rows]
