"""Erasing a person (the right to erasure): their own rows deleted, the records that stay
(another person's report, a group setting, an invitation, the audit log) relinked to a
pseudonym, their name scrubbed from messages still to be sent, in ONE transaction.

Separate from storage/privacy.py (the export and the access log), which only reads. Every
table that can hold a person's Telegram id is named in `_RELINK` or `_DELETE` here and in
storage.privacy.person_data; tests/test_privacy_erasure_e2e.py walks the whole schema to
prove that nothing was missed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.outbox import OutgoingMessage, enqueue_many_in_thread
from storage.privacy import dict_rows
from storage.timeutil import to_db

# Observations in these states are the resident's alone: erased with the person.
# Later states were acted on by coordinators or the police and are kept without them.
ERASED_STATUSES = ("new", "withdrawn")
ERASED_REPORTER = 0  # observations.reporter_id of a report whose reporter was erased


@dataclass
class ErasureCounts:
    """What one erasure did, by kind (numbers only: this is also the audit entry)."""

    reports_deleted: int = 0
    photos_deleted: int = 0
    reports_kept: int = 0
    references_kept: list[str] = field(default_factory=list)
    memberships: int = 0
    roles: int = 0
    acknowledgements: int = 0
    messages_cancelled: int = 0
    audit_entries: int = 0

    def audit_details(self) -> dict[str, int]:
        return {
            "reports_deleted": self.reports_deleted,
            "photos_deleted": self.photos_deleted,
            "reports_kept": self.reports_kept,
            "memberships": self.memberships,
            "roles": self.roles,
            "acknowledgements": self.acknowledgements,
            "messages_cancelled": self.messages_cancelled,
        }


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


# Columns that name a person as the author of a record that stays (another person's
# report, a group setting, an invitation): the id is replaced by the pseudonym.
_RELINK = (
    ("roles", "granted_by"),
    ("invitations", "created_by"),
    ("invitations", "used_by"),
    ("alerts", "sender_id"),
    ("observation_notes", "author_id"),
    ("observation_forwards", "forwarded_by"),
    ("observation_forwards", "handled_by"),
    ("tips", "updated_by"),
    ("tip_schedules", "updated_by"),
    ("feed_group_settings", "updated_by"),
    ("audit_log", "actor_id"),
    ("surveys", "creator_id"),
    ("presences", "creator_id"),
    ("group_places", "set_by"),
    ("groups", "registered_by"),
)
# Rows that are the person's own and go with them.
_DELETE = (
    ("memberships", "user_id"),
    ("alert_acks", "user_id"),
    ("digest_sends", "user_id"),
    ("private_reach", "user_id"),
    ("held_notices", "user_id"),
    ("held_digests", "user_id"),
    ("conversations", "user_id"),
    ("conversations", "chat_id"),
    ("user_data", "user_id"),
    ("presence_reminders", "user_id"),
    ("command_menus", "user_id"),
    ("police_profiles", "user_id"),
    ("relay_sessions", "officer_id"),
    ("relay_sessions", "resident_id"),
)


def _replace_id(value: Any, user_id: int, pseudonym: int) -> Any:
    """`value` (decoded JSON) with every occurrence of the person's id as the pseudonym."""
    if isinstance(value, dict):
        return {k: _replace_id(v, user_id, pseudonym) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_id(v, user_id, pseudonym) for v in value]
    if value == user_id and not isinstance(value, bool):
        return pseudonym
    if value == str(user_id):
        return str(pseudonym)
    return value


async def erase_person(
    db: Database,
    user_id: int,
    pseudonym: int,
    now: datetime,
    *,
    scrub: Callable[[str], str],
    edits: dict[int, list[OutgoingMessage]],
    names: list[str],
    menu_reset: OutgoingMessage | None = None,
    audit: bool = True,
) -> ErasureCounts:
    """Erase `user_id` in ONE transaction (see docs/privacy.md "Erasure").

    `pseudonym` (a negative id no Telegram user has) replaces the person's id where a
    record stays; `scrub(text)` removes the person's `names` from a stored message text;
    `edits[observation id]` are the outbox edits that retract delivered notices of a
    report, enqueued (in the same transaction) if that report is deleted; `menu_reset` (the
    outbox row that removes their private chat's own command menu on Telegram) is enqueued
    if a menu was set for that chat (command_menus). Returns the counts; the
    audit entry written (unless `audit` is False) holds only the pseudonym and these counts."""
    counts = ErasureCounts()

    def work(conn: sqlite3.Connection) -> ErasureCounts:
        reports = dict_rows(
            conn,
            "SELECT id, reference, status FROM observations WHERE reporter_id = ?",
            (user_id,),
        )
        erased = [r["id"] for r in reports if r["status"] in ERASED_STATUSES]
        kept = [r for r in reports if r["status"] not in ERASED_STATUSES]
        counts.references_kept = [r["reference"] for r in kept]
        counts.reports_kept = len(kept)
        retractions = [m for obs_id in erased for m in edits.get(obs_id, [])]
        if erased:
            marks = _marks(erased)
            counts.photos_deleted = conn.execute(
                f"SELECT COUNT(*) FROM observation_photos WHERE observation_id IN ({marks})",
                erased,
            ).fetchone()[0]
            # Announcements not yet sent are cancelled; what was sent is retracted (edits).
            counts.messages_cancelled += conn.execute(
                f"DELETE FROM outbox WHERE kind LIKE 'obs%' AND ref_id IN ({marks})", erased
            ).rowcount
            counts.reports_deleted = conn.execute(
                f"DELETE FROM observations WHERE id IN ({marks})", erased
            ).rowcount
        if kept:
            ids = [r["id"] for r in kept]
            marks = _marks(ids)
            conn.execute(
                f"UPDATE observations SET reporter_id = ?, show_identity = 0, updated_at = ?"
                f" WHERE id IN ({marks})",
                (ERASED_REPORTER, to_db(now), *ids),
            )
            for row in dict_rows(
                conn,
                f"SELECT id, status, payload FROM outbox WHERE kind LIKE 'obs%'"
                f" AND ref_id IN ({marks})",
                tuple(ids),
            ):
                # Sent notices need their text no more; pending ones go out without the name.
                pending = row["status"] in ("pending", "sending")
                payload = scrub(row["payload"]) if pending else "{}"
                conn.execute("UPDATE outbox SET payload = ? WHERE id = ?", (payload, row["id"]))
        # Messages to the person are no longer sent (nor kept).
        counts.messages_cancelled += conn.execute(
            "DELETE FROM outbox WHERE chat_id = ?", (user_id,)
        ).rowcount
        had_own_menu = conn.execute(
            "SELECT 1 FROM command_menus WHERE user_id = ?", (user_id,)
        ).fetchone()
        if had_own_menu is not None and menu_reset is not None:
            # Telegram keeps the chat's menu until told; the row goes once it is done
            # (bot/menus.py), so no trace of the chat stays behind.
            enqueue_many_in_thread(conn, [menu_reset], now)
        for needle in names:
            for row in dict_rows(
                conn, "SELECT id, payload FROM outbox WHERE instr(payload, ?) > 0", (needle,)
            ):
                conn.execute(
                    "UPDATE outbox SET payload = ? WHERE id = ?",
                    (scrub(row["payload"]), row["id"]),
                )
        conn.execute(
            "UPDATE alerts SET status_chat_id = NULL, status_message_id = NULL"
            " WHERE status_chat_id = ?",
            (user_id,),
        )
        for table, column in _DELETE:
            rowcount = conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,)).rowcount
            if table == "memberships":
                counts.memberships = rowcount
            elif table == "alert_acks":
                counts.acknowledgements = rowcount
        counts.roles = conn.execute("DELETE FROM roles WHERE user_id = ?", (user_id,)).rowcount
        for table, column in _RELINK:
            conn.execute(
                f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (pseudonym, user_id)
            )
        for row in dict_rows(
            conn,
            "SELECT id, subject, details FROM audit_log WHERE actor_id = ? OR subject = ?"
            " OR instr(details, ?) > 0",
            (pseudonym, str(user_id), str(user_id)),
        ):
            details = _replace_id(json.loads(row["details"] or "{}"), user_id, pseudonym)
            subject = str(pseudonym) if row["subject"] == str(user_id) else row["subject"]
            conn.execute(
                "UPDATE audit_log SET subject = ?, details = ? WHERE id = ?",
                (subject, json.dumps(details, ensure_ascii=False), row["id"]),
            )
            counts.audit_entries += 1
        conn.execute(
            "UPDATE users SET telegram_id = ?, first_name = '', last_name = NULL,"
            " username = NULL, telegram_language_code = NULL, updated_at = ?"
            " WHERE telegram_id = ?",
            (pseudonym, to_db(now), user_id),
        )
        enqueue_many_in_thread(conn, retractions, now)
        if not audit:  # the retention pass writes one entry for all it did
            return counts
        conn.execute(
            "INSERT INTO audit_log (at, actor_id, action, subject, details)"
            " VALUES (?, NULL, 'privacy.erase', ?, ?)",
            (to_db(now), str(pseudonym), json.dumps(counts.audit_details())),
        )
        return counts

    return await db.run_transaction(work)


async def pseudonym_taken(db: Database, pseudonym: int) -> bool:
    row = await db.fetch_one("SELECT 1 FROM users WHERE telegram_id = ?", (pseudonym,))
    return row is not None
