"""The outbox: messages to send later, drained by the delivery worker (bot/delivery.py).

Each row carries one typed message (`SendText`, `SendPhoto`, `EditText`, `EditCaption`),
stored as JSON in `outbox.payload` by `encode` and read back by `decode`:

* ``SendText``    {"text": html, "reply_markup"?, "reply_to_message_id"?, "disable_notification"?}
* ``SendPhoto``   the same plus {"photo": file_id} (the text is the caption)
* ``EditText``    {"op": "edit", "message_id": int, "text": html, "reply_markup"?,
                  "fallback_text"?, "disable_notification"?}
* ``EditCaption`` the same with {"caption": true}
* ``SendOp``      {"op": "poll" | "stop_poll" | "document" | "location" | "photo_png", ...}
                  (bot/delivery_ops.py documents the fields of each)

Every kind may also carry ``version`` (which version of the thing its text shows: an alert
copy, see storage.alerts.record_copy) and ``meta`` (a feature's bookkeeping kept with the
row and never sent, e.g. which held notices an observation summary stands for). This is the
JSON the rows already held before the types existed, so old rows decode unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiosqlite

from storage import alerts as alert_store
from storage.db import Database
from storage.outbox_retention import (
    RETENTION_DELETE_SQL,
    RETENTION_PROBE_SQL,
    RETENTION_WINDOW_SQL,
)
from storage.timeutil import from_db, to_db

#: JSON of an InlineKeyboardMarkup (`markup.to_dict()`), rebuilt by the worker at send time.
Markup = Mapping[str, Any]
#: A feature's bookkeeping in a row: JSON values only, never sent.
Meta = Mapping[str, Any]


@dataclass(frozen=True)
class SendText:
    """Send an HTML text message."""

    text: str
    reply_markup: Markup | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool | None = None
    version: int | None = None
    meta: Meta = field(default_factory=dict)


@dataclass(frozen=True)
class SendPhoto:
    """Send a photo (a Telegram file id) with `text` as its HTML caption."""

    photo: str
    text: str
    reply_markup: Markup | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool | None = None
    version: int | None = None
    meta: Meta = field(default_factory=dict)


@dataclass(frozen=True)
class EditText:
    """Edit the text of a message sent earlier. When Telegram refuses the edit (the message
    was deleted, too old), `fallback_text` is sent as a reply to it instead (silently with
    `disable_notification`); without one the row fails."""

    message_id: int
    text: str
    reply_markup: Markup | None = None
    fallback_text: str | None = None
    disable_notification: bool | None = None
    version: int | None = None
    meta: Meta = field(default_factory=dict)


@dataclass(frozen=True)
class EditCaption:
    """Edit the caption of a photo sent earlier; otherwise as `EditText`."""

    message_id: int
    text: str
    reply_markup: Markup | None = None
    fallback_text: str | None = None
    disable_notification: bool | None = None
    version: int | None = None
    meta: Meta = field(default_factory=dict)


#: The Bot API calls a `SendOp` stands for (bot/delivery_ops.py carries them out).
OPS = frozenset({"poll", "stop_poll", "document", "location", "photo_png", "reset_menu"})
_COMMON = frozenset({"op", "reply_markup", "reply_to_message_id", "disable_notification"})


@dataclass(frozen=True)
class SendOp:
    """A poll, closing a poll, a document or a location: `op` one of `OPS`, `params` its
    fields as JSON values (see bot/delivery_ops.py)."""

    op: str
    params: Mapping[str, Any]
    reply_markup: Markup | None = None
    reply_to_message_id: int | None = None
    disable_notification: bool | None = None
    version: int | None = None
    meta: Meta = field(default_factory=dict)


Message = SendText | SendPhoto | EditText | EditCaption | SendOp


def encode(message: Message) -> str:
    """The JSON stored in `outbox.payload` (see the module docstring); None fields left out."""
    data: dict[str, Any] = {}
    if isinstance(message, SendOp):
        if message.op not in OPS:
            raise ValueError(f"unknown outbox op {message.op!r}")
        data = {"op": message.op, **message.params}
        if message.reply_markup:
            data["reply_markup"] = dict(message.reply_markup)
        if message.reply_to_message_id is not None:
            data["reply_to_message_id"] = message.reply_to_message_id
        if message.disable_notification is not None:
            data["disable_notification"] = message.disable_notification
        if message.version is not None:
            data["version"] = message.version
        if message.meta:
            data["meta"] = dict(message.meta)
        return json.dumps(data, ensure_ascii=False)
    if isinstance(message, (EditText, EditCaption)):
        data["op"] = "edit"
        data["message_id"] = message.message_id
    data["text"] = message.text
    if isinstance(message, SendPhoto):
        data["photo"] = message.photo
    if isinstance(message, EditCaption):
        data["caption"] = True
    if message.reply_markup:
        data["reply_markup"] = dict(message.reply_markup)
    if isinstance(message, (SendText, SendPhoto)) and message.reply_to_message_id is not None:
        data["reply_to_message_id"] = message.reply_to_message_id
    if isinstance(message, (EditText, EditCaption)) and message.fallback_text is not None:
        data["fallback_text"] = message.fallback_text
    if message.disable_notification is not None:
        data["disable_notification"] = message.disable_notification
    if message.version is not None:
        data["version"] = message.version
    if message.meta:
        data["meta"] = dict(message.meta)
    return json.dumps(data, ensure_ascii=False)


def _opt(data: Mapping[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if value is not None and not isinstance(value, kind):
        raise ValueError(f"outbox payload: {key} is not {kind.__name__}: {value!r}")
    return value


def decode(payload: str | Mapping[str, Any]) -> Message:
    """The message of a stored payload; ValueError when it is malformed (the worker fails
    such a row with "bad payload")."""
    data: Any = json.loads(payload) if isinstance(payload, str) else payload
    if not isinstance(data, Mapping):
        raise ValueError("outbox payload is not a JSON object")
    if data.get("op") in OPS:
        params = {k: v for k, v in data.items() if k not in _COMMON | {"version", "meta"}}
        return SendOp(
            data["op"],
            params,
            _opt(data, "reply_markup", dict) or None,
            _opt(data, "reply_to_message_id", int),
            _opt(data, "disable_notification", bool),
            _opt(data, "version", int),
            _opt(data, "meta", dict) or {},
        )
    text = _opt(data, "text", str)
    if text is None:
        raise ValueError("outbox payload has no text")
    markup = _opt(data, "reply_markup", dict) or None
    silent = _opt(data, "disable_notification", bool)
    version = _opt(data, "version", int)
    meta = _opt(data, "meta", dict) or {}
    # Rows written before `meta` existed kept these two at the top level.
    for legacy in ("held", "reporter_told"):
        if legacy in data:
            meta = {**meta, legacy: data[legacy]}
    if data.get("op") == "edit":
        message_id = _opt(data, "message_id", int)
        if message_id is None:
            raise ValueError("outbox edit payload has no message_id")
        cls = EditCaption if data.get("caption") else EditText
        return cls(
            message_id, text, markup, _opt(data, "fallback_text", str), silent, version, meta
        )
    if data.get("op") is not None:
        raise ValueError(f"outbox payload: unknown op {data['op']!r}")
    reply_to = _opt(data, "reply_to_message_id", int)
    photo = _opt(data, "photo", str)
    if photo:
        return SendPhoto(photo, text, markup, reply_to, silent, version, meta)
    return SendText(text, markup, reply_to, silent, version, meta)


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to enqueue. Exactly one of group_id / chat_id is set."""

    priority: int
    kind: str
    message: Message
    group_id: int | None = None
    chat_id: int | None = None
    ref_id: int | None = None


_INSERT_SQL = (
    "INSERT INTO outbox (priority, kind, ref_id, group_id, chat_id, payload, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _insert_params(messages: list[OutgoingMessage], now: datetime) -> list[tuple[Any, ...]]:
    stamp = to_db(now)
    return [
        (
            m.priority,
            m.kind,
            m.ref_id,
            m.group_id,
            m.chat_id,
            encode(m.message),
            stamp,
            stamp,
        )
        for m in messages
    ]


async def enqueue_many(
    conn: aiosqlite.Connection, messages: list[OutgoingMessage], now: datetime
) -> None:
    """Insert messages inside the caller's transaction (so they commit with what caused them)."""
    await conn.executemany(_INSERT_SQL, _insert_params(messages, now))


#: One row for `enqueue_encoded`: (priority, kind, ref_id, group_id, chat_id, payload JSON).
EncodedRow = tuple[int, str, int | None, int | None, int | None, str]


async def enqueue_encoded(
    conn: aiosqlite.Connection, rows: list[EncodedRow], now: datetime
) -> None:
    """`enqueue_many` for payloads already JSON-encoded, inside the caller's transaction.

    For fan-outs where many rows share one payload (a police feed event's text for every
    group of one language), encoded once instead of once per row.
    """
    stamp = to_db(now)
    await conn.executemany(_INSERT_SQL, [(*row, stamp, stamp) for row in rows])


# -- the delivery worker's side ------------------------------------------------------------

UNFINISHED = ("pending", "sending")


@dataclass(frozen=True)
class OutboxRow:
    """One outbox row as the delivery worker sees it."""

    id: int
    priority: int
    kind: str
    ref_id: int | None
    group_id: int | None
    chat_id: int | None
    payload: str  # the JSON as stored; `message` decodes it
    status: str
    attempts: int
    message_id: int | None
    error: str | None
    not_before: datetime | None

    @property
    def message(self) -> Message:
        """The row's typed message; ValueError when the stored JSON is malformed."""
        return decode(self.payload)


def _row(row: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        priority=row["priority"],
        kind=row["kind"],
        ref_id=row["ref_id"],
        group_id=row["group_id"],
        chat_id=row["chat_id"],
        payload=row["payload"],
        status=row["status"],
        attempts=row["attempts"],
        message_id=row["message_id"],
        error=row["error"],
        not_before=from_db(row["not_before"]),
    )


# Every query below that the worker runs over and over is served by an index (migration
# 0007; tests/test_outbox_plans.py checks the query plans): the sent history may hold
# millions of rows, the unfinished part only a few thousand.
CLAIM_SQL = (
    "SELECT * FROM outbox WHERE status = 'pending'"
    " AND (not_before IS NULL OR not_before <= ?) ORDER BY priority, id LIMIT ?"
)
NEXT_NOT_BEFORE_SQL = (
    "SELECT MIN(not_before) FROM outbox WHERE status = 'pending' AND not_before IS NOT NULL"
)
RESET_SENDING_SQL = "UPDATE outbox SET status = 'pending', updated_at = ? WHERE status = 'sending'"
COUNT_UNFINISHED_SQL = "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
COUNT_DUE_SQL = COUNT_UNFINISHED_SQL + " AND (not_before IS NULL OR not_before <= ?)"
MARK_SENDING_SQL = (
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?"
)
FINISH_SQL = (
    "UPDATE outbox SET status = ?, message_id = COALESCE(?, message_id), error = ?,"
    " not_before = NULL, updated_at = ? WHERE id = ?"
)
SCHEDULE_RETRY_SQL = (
    "UPDATE outbox SET status = 'pending', not_before = ?, error = ?, updated_at = ? WHERE id = ?"
)
DEFER_SQL = (
    "UPDATE outbox SET status = 'pending', not_before = ?, error = ?, updated_at = ?,"
    " attempts = MAX(attempts - 1, 0) WHERE id = ?"
)
# How many rows about the same thing as row ? are unfinished (outbox_counts, migration 0007).
UNFINISHED_OF_ROW_SQL = (
    "SELECT c.unfinished FROM outbox o JOIN outbox_counts c"
    " ON c.kind = o.kind AND c.ref_id = o.ref_id WHERE o.id = ?"
)
# What the worker runs per claim, per row and per idle wait (and the retention pass,
# storage/outbox_retention.py).
HOT_QUERIES = {
    "claim": CLAIM_SQL,
    "mark sending": MARK_SENDING_SQL,
    "finish": FINISH_SQL,
    "schedule retry": SCHEDULE_RETRY_SQL,
    "defer": DEFER_SQL,
    "unfinished of the row's thing": UNFINISHED_OF_ROW_SQL,
    "next due time": NEXT_NOT_BEFORE_SQL,
    "start-up recovery": RESET_SENDING_SQL,
    "count unfinished": COUNT_UNFINISHED_SQL,
    "count due": COUNT_DUE_SQL,
    "retention probe": RETENTION_PROBE_SQL,
    "retention window": RETENTION_WINDOW_SQL,
    "retention delete": RETENTION_DELETE_SQL,
}


async def reset_sending(db: Database, now: datetime) -> int:
    """Crash recovery at start-up: rows a dead process left in 'sending' become 'pending'."""
    async with db.transaction() as conn:
        cursor = await conn.execute(RESET_SENDING_SQL, (to_db(now),))
        return cursor.rowcount


async def claim_due(db: Database, now: datetime, limit: int) -> list[OutboxRow]:
    """Take up to `limit` due pending rows (priority order, then age) and mark them 'sending'."""
    if limit <= 0:
        return []
    stamp = to_db(now)

    def work(conn: sqlite3.Connection) -> list[OutboxRow]:
        # One round trip to the database thread: the worker claims all the time.
        rows = [_row(r) for r in conn.execute(CLAIM_SQL, (stamp, limit)).fetchall()]
        if rows:
            conn.executemany(MARK_SENDING_SQL, [(stamp, r.id) for r in rows])
        return rows

    rows = await db.run_transaction(work)
    return [
        OutboxRow(**{**r.__dict__, "status": "sending", "attempts": r.attempts + 1}) for r in rows
    ]


async def _finish(
    db: Database,
    row_id: int,
    status: str,
    now: datetime,
    *,
    message_id: int | None = None,
    error: str | None = None,
    chat_id: int | None = None,
) -> int | None:
    params = (status, message_id, error, to_db(now), row_id)

    def work(conn: sqlite3.Connection) -> int | None:
        conn.execute(FINISH_SQL, params)
        if status == "sent":
            alert_store.record_copy(conn, row_id, chat_id, now)
        found = conn.execute(UNFINISHED_OF_ROW_SQL, (row_id,)).fetchone()
        return None if found is None else int(found[0])

    # One round trip (db.execute takes one per BEGIN, statement and COMMIT): once per row.
    return await db.run_transaction(work)


async def mark_sent(
    db: Database,
    row_id: int,
    message_id: int | None,
    now: datetime,
    *,
    chat_id: int | None = None,
) -> int | None:
    """Record a successful send with its Telegram message id (committed at once).

    A delivered alert copy is recorded in alert_copies in the same transaction
    (storage.alerts.record_copy; `chat_id`: the chat it went to, default the group's).
    Returns how many rows of the same
    kind and ref_id are still unfinished after this one (read in the same transaction, so
    exactly one finishing row sees 0), or None when the row has no ref_id. mark_failed and
    mark_skipped return the same."""
    return await _finish(db, row_id, "sent", now, message_id=message_id, chat_id=chat_id)


async def mark_failed(db: Database, row_id: int, error: str, now: datetime) -> int | None:
    """Give up on a row: it will not be retried."""
    return await _finish(db, row_id, "failed", now, error=error)


async def mark_skipped(db: Database, row_id: int, reason: str, now: datetime) -> int | None:
    """Do not send a row because its target is inactive (bot removed, 403, unregistered)."""
    return await _finish(db, row_id, "skipped", now, error=reason)


async def schedule_retry(
    db: Database, row_id: int, not_before: datetime, error: str, now: datetime
) -> None:
    """Put a row back to 'pending', not to be tried again before `not_before`."""
    await db.execute(SCHEDULE_RETRY_SQL, (to_db(not_before), error, to_db(now), row_id))


async def defer(
    db: Database, row_id: int, not_before: datetime, reason: str, now: datetime
) -> None:
    """Put a claimed row back to 'pending' until `not_before` without using up an attempt
    (its chat is paused by a 429 or its per-chat window is full: nothing went wrong)."""
    await db.execute(DEFER_SQL, (to_db(not_before), reason, to_db(now), row_id))


async def next_not_before(db: Database) -> datetime | None:
    """The earliest back-off time of pending rows that wait for one (None: none wait)."""
    return from_db(await db.fetch_value(NEXT_NOT_BEFORE_SQL))


async def rows_for(db: Database, kind: str, ref_id: int) -> list[OutboxRow]:
    """All rows of one kind about one thing (e.g. the deliveries of an alert)."""
    rows = await db.fetch_all(
        "SELECT * FROM outbox WHERE kind = ? AND ref_id = ? ORDER BY id", (kind, ref_id)
    )
    return [_row(r) for r in rows]


async def status_counts(db: Database, kind: str, ref_id: int) -> dict[str, int]:
    """How many rows of one kind about one thing are in each status."""
    rows = await db.fetch_all(
        "SELECT status, COUNT(*) FROM outbox WHERE kind = ? AND ref_id = ? GROUP BY status",
        (kind, ref_id),
    )
    return {r[0]: r[1] for r in rows}


async def replace_payloads(
    conn: aiosqlite.Connection, updates: list[tuple[int, Message]], now: datetime
) -> None:
    """Rewrite the message of some rows inside the caller's transaction."""
    await conn.executemany(
        "UPDATE outbox SET payload = ?, updated_at = ? WHERE id = ?",
        [(encode(message), to_db(now), row_id) for row_id, message in updates],
    )


async def skip_pending(
    conn: aiosqlite.Connection, kind: str, ref_id: int, reason: str, now: datetime
) -> int:
    """Mark the still-pending rows about one thing skipped (they are never sent)."""
    cursor = await conn.execute(
        "UPDATE outbox SET status = 'skipped', error = ?, updated_at = ?"
        " WHERE kind = ? AND ref_id = ? AND status = 'pending'",
        (reason, to_db(now), kind, ref_id),
    )
    return cursor.rowcount


async def pending_rows_for(conn: aiosqlite.Connection, kind: str, ref_id: int) -> list[OutboxRow]:
    """The still-pending rows of one kind about one thing, inside the caller's transaction
    (outbox_ref index, then the few rows of that thing)."""
    cursor = await conn.execute(
        "SELECT * FROM outbox WHERE kind = ? AND ref_id = ? AND status = 'pending' ORDER BY id",
        (kind, ref_id),
    )
    return [_row(r) for r in await cursor.fetchall()]


async def get_row(db: Database, row_id: int) -> OutboxRow | None:
    """One outbox row by id."""
    row = await db.fetch_one("SELECT * FROM outbox WHERE id = ?", (row_id,))
    return None if row is None else _row(row)


async def count_due(db: Database, now: datetime | None = None) -> int:
    """Rows being sent or waiting to be sent: due at `now`, or all of them when `now` is None."""
    if now is None:
        return int(await db.fetch_value(COUNT_UNFINISHED_SQL))
    return int(await db.fetch_value(COUNT_DUE_SQL, (to_db(now),)))


def enqueue_many_in_thread(
    conn: sqlite3.Connection, messages: list[OutgoingMessage], now: datetime
) -> None:
    """`enqueue_many` for work run by `Database.run_transaction` (plain sqlite3, no await)."""
    conn.executemany(_INSERT_SQL, _insert_params(messages, now))
