"""A person's own data: what is stored about them (export, the right of access), and the
access log (who opened whose data); erasing it is storage/privacy_erasure.py.

Every table that can hold a person's Telegram id is named in `person_data` and in
storage/privacy_erasure.py (`_RELINK`, `_DELETE`); tests/test_privacy_erasure_e2e.py walks
the whole schema to prove that nothing was missed, so a new table with people in it must
be added in both.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.roles import AuditEntry
from storage.timeutil import from_db_required, to_db

ACCESS_PREFIX = "access."


def dict_rows(
    conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    """The rows of `sql` as dicts keyed by column name (values as stored)."""
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


async def person_data(db: Database, user_id: int) -> dict[str, Any]:
    """Everything stored about `user_id`, as plain JSON-able dicts (times as stored, UTC).

    Keys: profile (or None), memberships, roles, reports (each with photos and notes),
    acknowledgements, audit_entries, private_chat, digests, notes_written, alerts_sent."""
    uid = str(user_id)

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        profile = dict_rows(
            conn,
            "SELECT telegram_id, first_name, last_name, username, language,"
            " telegram_language_code, created_at, updated_at FROM users WHERE telegram_id = ?",
            (user_id,),
        )
        reports = dict_rows(
            conn,
            "SELECT o.id, o.reference, o.status, o.category, o.observed_at, o.place_text,"
            " o.latitude, o.longitude, o.location_exact, o.description, o.show_identity,"
            " o.kommun_code, g.area_name AS area, o.created_at, o.updated_at"
            " FROM observations o JOIN groups g ON g.id = o.group_id"
            " WHERE o.reporter_id = ? ORDER BY o.id",
            (user_id,),
        )
        for report in reports:
            report["photos"] = dict_rows(
                conn,
                "SELECT position, file_id FROM observation_photos"
                " WHERE observation_id = ? ORDER BY position",
                (report["id"],),
            )
            report["notes"] = dict_rows(
                conn,
                "SELECT text, created_at FROM observation_notes"
                " WHERE observation_id = ? ORDER BY id",
                (report["id"],),
            )
            report["forwarded"] = dict_rows(
                conn,
                "SELECT kommun_code, forwarded_at, handled_at FROM observation_forwards"
                " WHERE observation_id = ?",
                (report["id"],),
            )
            del report["id"]
        audit = dict_rows(
            conn,
            "SELECT at, actor_id, action, subject, details FROM audit_log"
            " WHERE actor_id = ? OR subject = ? ORDER BY id",
            (user_id, uid),
        )
        for entry in audit:
            entry["details"] = json.loads(entry["details"] or "{}")
        return {
            "profile": profile[0] if profile else None,
            "memberships": dict_rows(
                conn,
                "SELECT g.area_name AS area, g.kommun_code, g.title, m.source, m.joined_at,"
                " m.left_at FROM memberships m JOIN groups g ON g.id = m.group_id"
                " WHERE m.user_id = ? ORDER BY m.joined_at",
                (user_id,),
            ),
            "roles": dict_rows(
                conn,
                "SELECT r.role, r.scope, g.area_name AS area, r.granted_at FROM roles r"
                " LEFT JOIN groups g ON r.role = 'coordinator' AND g.id = CAST(r.scope AS INTEGER)"
                " WHERE r.user_id = ? ORDER BY r.role, r.scope",
                (user_id,),
            ),
            "reports": reports,
            "acknowledgements": dict_rows(
                conn,
                "SELECT alert_id, acked_at FROM alert_acks WHERE user_id = ? ORDER BY acked_at",
                (user_id,),
            ),
            "audit_entries": audit,
            "private_chat": dict_rows(
                conn, "SELECT open, updated_at FROM private_reach WHERE user_id = ?", (user_id,)
            ),
            "digests": dict_rows(
                conn,
                "SELECT week, outcome FROM digest_sends WHERE user_id = ? ORDER BY week",
                (user_id,),
            ),
            "notes_written": dict_rows(
                conn,
                "SELECT o.reference, n.text, n.created_at FROM observation_notes n"
                " JOIN observations o ON o.id = n.observation_id WHERE n.author_id = ?"
                " ORDER BY n.id",
                (user_id,),
            ),
            "alerts_sent": dict_rows(
                conn,
                "SELECT id, category, body, status, created_at FROM alerts"
                " WHERE sender_id = ? ORDER BY id",
                (user_id,),
            ),
        }

    await db._wait_for_other_writer()
    return await db._read(work)


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
