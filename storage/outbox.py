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

This module is the features' side of the queue: the messages, enqueueing them in the
caller's transaction, and reading or rewriting the rows about one thing. The delivery
worker's side (claiming, finishing, retrying) is storage/outbox_worker.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database
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


# -- reading and rewriting rows (the worker's claims and state changes: storage/outbox_worker.py)


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


def from_sql_row(row: sqlite3.Row) -> OutboxRow:
    """The `OutboxRow` of a `SELECT * FROM outbox` row."""
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


async def rows_for(db: Database, kind: str, ref_id: int) -> list[OutboxRow]:
    """All rows of one kind about one thing (e.g. the deliveries of an alert)."""
    rows = await db.fetch_all(
        "SELECT * FROM outbox WHERE kind = ? AND ref_id = ? ORDER BY id", (kind, ref_id)
    )
    return [from_sql_row(r) for r in rows]


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
    return [from_sql_row(r) for r in await cursor.fetchall()]


async def get_row(db: Database, row_id: int) -> OutboxRow | None:
    """One outbox row by id."""
    row = await db.fetch_one("SELECT * FROM outbox WHERE id = ?", (row_id,))
    return None if row is None else from_sql_row(row)


def enqueue_many_in_thread(
    conn: sqlite3.Connection, messages: list[OutgoingMessage], now: datetime
) -> None:
    """`enqueue_many` for work run by `Database.run_transaction` (plain sqlite3, no await)."""
    conn.executemany(_INSERT_SQL, _insert_params(messages, now))
