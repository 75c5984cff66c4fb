"""A person's own data: what is stored about them (export), erasing it, and the access log.

Every table that can hold a person's Telegram id is named here once (`_ERASE_STEPS` and
`person_data`); tests/test_privacy_erasure_e2e.py walks the whole schema to prove that
nothing was missed, so a new table with people in it must be added here too.
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
from storage.roles import AuditEntry
from storage.timeutil import from_db_required, to_db

# Observations in these states are the resident's alone: erased with the person.
# Later states were acted on by coordinators or the police and are kept without them.
ERASED_STATUSES = ("new", "withdrawn")
ERASED_REPORTER = 0  # observations.reporter_id of a report whose reporter was erased
ACCESS_PREFIX = "access."


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


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


async def person_data(db: Database, user_id: int) -> dict[str, Any]:
    """Everything stored about `user_id`, as plain JSON-able dicts (times as stored, UTC).

    Keys: profile (or None), memberships, roles, reports (each with photos and notes),
    acknowledgements, audit_entries, private_chat, digests, notes_written, alerts_sent."""
    uid = str(user_id)

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        profile = _rows(
            conn,
            "SELECT telegram_id, first_name, last_name, username, language,"
            " telegram_language_code, created_at, updated_at FROM users WHERE telegram_id = ?",
            (user_id,),
        )
        reports = _rows(
            conn,
            "SELECT o.id, o.reference, o.status, o.category, o.observed_at, o.place_text,"
            " o.latitude, o.longitude, o.location_exact, o.description, o.show_identity,"
            " o.kommun_code, g.area_name AS area, o.created_at, o.updated_at"
            " FROM observations o JOIN groups g ON g.id = o.group_id"
            " WHERE o.reporter_id = ? ORDER BY o.id",
            (user_id,),
        )
        for report in reports:
            report["photos"] = _rows(
                conn,
                "SELECT position, file_id FROM observation_photos"
                " WHERE observation_id = ? ORDER BY position",
                (report["id"],),
            )
            report["notes"] = _rows(
                conn,
                "SELECT text, created_at FROM observation_notes"
                " WHERE observation_id = ? ORDER BY id",
                (report["id"],),
            )
            report["forwarded"] = _rows(
                conn,
                "SELECT kommun_code, forwarded_at, handled_at FROM observation_forwards"
                " WHERE observation_id = ?",
                (report["id"],),
            )
            del report["id"]
        audit = _rows(
            conn,
            "SELECT at, actor_id, action, subject, details FROM audit_log"
            " WHERE actor_id = ? OR subject = ? ORDER BY id",
            (user_id, uid),
        )
        for entry in audit:
            entry["details"] = json.loads(entry["details"] or "{}")
        return {
            "profile": profile[0] if profile else None,
            "memberships": _rows(
                conn,
                "SELECT g.area_name AS area, g.kommun_code, g.title, m.source, m.joined_at,"
                " m.left_at FROM memberships m JOIN groups g ON g.id = m.group_id"
                " WHERE m.user_id = ? ORDER BY m.joined_at",
                (user_id,),
            ),
            "roles": _rows(
                conn,
                "SELECT r.role, r.scope, g.area_name AS area, r.granted_at FROM roles r"
                " LEFT JOIN groups g ON r.role = 'coordinator' AND g.id = CAST(r.scope AS INTEGER)"
                " WHERE r.user_id = ? ORDER BY r.role, r.scope",
                (user_id,),
            ),
            "reports": reports,
            "acknowledgements": _rows(
                conn,
                "SELECT alert_id, acked_at FROM alert_acks WHERE user_id = ? ORDER BY acked_at",
                (user_id,),
            ),
            "audit_entries": audit,
            "private_chat": _rows(
                conn, "SELECT open, updated_at FROM private_reach WHERE user_id = ?", (user_id,)
            ),
            "digests": _rows(
                conn,
                "SELECT week, outcome FROM digest_sends WHERE user_id = ? ORDER BY week",
                (user_id,),
            ),
            "notes_written": _rows(
                conn,
                "SELECT o.reference, n.text, n.created_at FROM observation_notes n"
                " JOIN observations o ON o.id = n.observation_id WHERE n.author_id = ?"
                " ORDER BY n.id",
                (user_id,),
            ),
            "alerts_sent": _rows(
                conn,
                "SELECT id, category, body, status, created_at FROM alerts"
                " WHERE sender_id = ? ORDER BY id",
                (user_id,),
            ),
        }

    await db._wait_for_other_writer()
    return await db._read(work)


# --------------------------------------------------------------------------- erasure

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
        reports = _rows(
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
            for row in _rows(
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
            for row in _rows(
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
        for row in _rows(
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


# --------------------------------------------------------------------------- access log


async def record_access(
    db: Database,
    now: datetime,
    actor_id: int | None,
    what: str,
    subject: str,
    details: dict[str, Any] | None = None,
) -> None:
    """One access-log entry: `actor_id` (None: the command line) opened `what`
    ("observation", "export") of `subject` at `now`; stored as audit action access.<what>."""
    await db.execute(
        "INSERT INTO audit_log (at, actor_id, action, subject, details) VALUES (?, ?, ?, ?, ?)",
        (
            to_db(now),
            actor_id,
            ACCESS_PREFIX + what,
            subject,
            json.dumps(details or {}, ensure_ascii=False),
        ),
    )


async def audit_entries_of_kind(db: Database, kind: str, limit: int) -> list[AuditEntry]:
    """The latest audit entries whose action starts with `kind` + "." (newest first)."""
    prefix = kind.rstrip(".") + "."
    rows = await db.fetch_all(
        "SELECT * FROM audit_log WHERE action >= ? AND action < ? ORDER BY id DESC LIMIT ?",
        (prefix, prefix[:-1] + "/", limit),
    )
    return [
        AuditEntry(
            row["id"],
            from_db_required(row["at"]),
            row["actor_id"],
            row["action"],
            row["subject"],
            json.loads(row["details"]),
        )
        for row in rows
    ]


async def audit_kinds(db: Database) -> list[str]:
    """The kinds in the audit log (an action's part before its first "."), sorted."""
    rows = await db.fetch_all(
        "SELECT DISTINCT CASE WHEN instr(action, '.') > 0"
        " THEN substr(action, 1, instr(action, '.') - 1) ELSE action END FROM audit_log"
    )
    return sorted(str(row[0]) for row in rows)
