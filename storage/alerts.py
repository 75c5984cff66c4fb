"""Police alerts, acknowledgements (migration 0003) and delivered copies (0016); the
per-group figures are in storage/alert_figures.py."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.timeutil import from_db, from_db_required, to_db

#: The outbox kind of an alert's copies (one row per target group, ref_id = alerts.id).
KIND_ALERT = "alert"


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
    version: int = 0  # +1 with every update and the withdrawal; 0 is the original text

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
        version=row["version"],
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


async def mark_done(conn: aiosqlite.Connection, alert_id: int, now: datetime) -> bool:
    """Mark the delivery finished inside the caller's transaction (which enqueues the
    report); True only for the first caller (so one report is sent)."""
    cursor = await conn.execute(
        "UPDATE alerts SET done_at = ? WHERE id = ? AND done_at IS NULL",
        (to_db(now), alert_id),
    )
    return cursor.rowcount > 0


async def undone_alert_ids(db: Database) -> list[int]:
    """Alerts whose delivery report has not been sent yet."""
    rows = await db.fetch_all("SELECT id FROM alerts WHERE done_at IS NULL ORDER BY id")
    return [r[0] for r in rows]


async def set_update(conn: aiosqlite.Connection, alert_id: int, text: str, now: datetime) -> int:
    """Store an update text (inside the caller's transaction); returns the new version."""
    await conn.execute(
        "UPDATE alerts SET update_text = ?, updated_text_at = ?, version = version + 1"
        " WHERE id = ?",
        (text, to_db(now), alert_id),
    )
    return await _version(conn, alert_id)


async def set_withdrawn(conn: aiosqlite.Connection, alert_id: int, now: datetime) -> int | None:
    """Withdraw an alert (inside the caller's transaction); returns the new version, None
    if it already was withdrawn."""
    cursor = await conn.execute(
        "UPDATE alerts SET status = 'withdrawn', withdrawn_at = ?, version = version + 1"
        " WHERE id = ? AND status = 'active'",
        (to_db(now), alert_id),
    )
    return await _version(conn, alert_id) if cursor.rowcount > 0 else None


async def _version(conn: aiosqlite.Connection, alert_id: int) -> int:
    cursor = await conn.execute("SELECT version FROM alerts WHERE id = ?", (alert_id,))
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


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
# them costs the same for 30 copies as for 30,000. Sent rows the retention pass deleted
# are counted in `pruned` (migration 0016).
_STATS_SQL = """
SELECT a.*,
    COALESCE(c.total + c.pruned, 0) AS targeted,
    COALESCE(c.sent + c.pruned, 0) AS delivered,
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


# -- delivered copies (alert_copies, migration 0016) ------------------------------------


@dataclass(frozen=True)
class AlertCopy:
    """One delivered copy: where it is and which version of the alert its message shows."""

    alert_id: int
    group_id: int
    chat_id: int
    message_id: int
    version: int


# A delivered copy from its outbox row (a no-op for other kinds): where it went (the chat
# the worker sent to, else the group's chat) and the version its text shows.
RECORD_COPY_SQL = (
    "INSERT OR REPLACE INTO alert_copies (alert_id, group_id, chat_id, message_id, version,"
    " sent_at) SELECT o.ref_id, o.group_id, COALESCE(?, g.chat_id), o.message_id,"
    " COALESCE(json_extract(o.payload, '$.version'), 0), ? FROM outbox o"
    " JOIN groups g ON g.id = o.group_id JOIN alerts a ON a.id = o.ref_id"
    f" WHERE o.id = ? AND o.kind = '{KIND_ALERT}' AND o.message_id IS NOT NULL"
)
COPIES_SQL = (
    "SELECT alert_id, group_id, chat_id, message_id, version FROM alert_copies"
    " WHERE alert_id = ? ORDER BY group_id"
)
COPY_SQL = (
    "SELECT alert_id, group_id, chat_id, message_id, version FROM alert_copies"
    " WHERE alert_id = ? AND group_id = ?"
)
SET_COPIES_VERSION_SQL = "UPDATE alert_copies SET version = ? WHERE alert_id = ? AND version < ?"
SET_COPY_VERSION_SQL = "UPDATE alert_copies SET version = ? WHERE alert_id = ? AND group_id = ?"
#: The queries an update, a withdrawal and each delivered copy run (tests check their plans).
COPY_QUERIES = {
    "record copy": RECORD_COPY_SQL,
    "copies of an alert": COPIES_SQL,
    "one copy": COPY_SQL,
    "bring copies to a version": SET_COPIES_VERSION_SQL,
    "bring one copy to a version": SET_COPY_VERSION_SQL,
}


def record_copy(conn: sqlite3.Connection, row_id: int, chat_id: int | None, now: datetime) -> None:
    """If outbox row `row_id` is an alert copy just marked sent, record it (plain sqlite3:
    called by storage.outbox_worker.mark_sent inside the transaction of the row's 'sent')."""
    conn.execute(RECORD_COPY_SQL, (chat_id, to_db(now), row_id))


async def copies(conn: aiosqlite.Connection | Database, alert_id: int) -> list[AlertCopy]:
    """Every delivered copy of an alert (pass the transaction's connection to read under
    its write lock)."""
    connection = conn.conn if isinstance(conn, Database) else conn
    rows = await connection.execute_fetchall(COPIES_SQL, (alert_id,))
    return [AlertCopy(*r) for r in rows]


async def get_copy(db: Database, alert_id: int, group_id: int) -> AlertCopy | None:
    """The copy of an alert delivered to one group, None if there is none."""
    row = await db.fetch_one(COPY_SQL, (alert_id, group_id))
    return None if row is None else AlertCopy(*row)


async def set_copies_version(conn: aiosqlite.Connection, alert_id: int, version: int) -> None:
    """All copies of an alert now show `version` (their edits are enqueued in the same
    transaction)."""
    await conn.execute(SET_COPIES_VERSION_SQL, (version, alert_id, version))


async def set_copy_version(
    conn: aiosqlite.Connection, alert_id: int, group_id: int, version: int
) -> None:
    """One copy now shows `version` (its edit is enqueued in the same transaction)."""
    await conn.execute(SET_COPY_VERSION_SQL, (version, alert_id, group_id))


async def delivered_messages(db: Database, alert_id: int) -> list[tuple[int, int]]:
    """(group id, message id) of every group the alert reached."""
    return [(c.group_id, c.message_id) for c in await copies(db, alert_id)]
