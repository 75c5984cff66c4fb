"""Retention: which stored records are past their keeping time, and deleting them.

The rules (docs/privacy.md "How long"): closed observations a set time after their last
change, handled ones (forwarded and marked handled by the police) after being handled,
withdrawn ones after their withdrawal; audit entries after their time; people inactive
for long are found here and pseudonymised by storage.privacy_erasure.erase_person.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db


@dataclass(frozen=True)
class Cutoffs:
    """Records last changed before these moments are due (UTC)."""

    observations: datetime  # closed or handled
    withdrawn: datetime
    audit: datetime
    inactive: datetime  # people


@dataclass(frozen=True)
class Due:
    """What a pass deletes: observation ids, their photo count, and audit entries."""

    observation_ids: list[int]
    photos: int
    audit_entries: int


_DUE_OBSERVATIONS = """
SELECT id FROM observations
 WHERE (status = 'closed' AND updated_at < :observations)
    OR (status = 'withdrawn' AND updated_at < :withdrawn)
    OR (status = 'forwarded' AND id IN (
        SELECT observation_id FROM observation_forwards
         WHERE handled_at IS NOT NULL AND handled_at < :observations))
 ORDER BY id
"""


def _params(cutoffs: Cutoffs) -> dict[str, str]:
    return {
        "observations": to_db(cutoffs.observations),
        "withdrawn": to_db(cutoffs.withdrawn),
        "audit": to_db(cutoffs.audit),
        "inactive": to_db(cutoffs.inactive),
    }


def _due(conn: sqlite3.Connection, cutoffs: Cutoffs) -> Due:
    params = _params(cutoffs)
    ids = [int(r[0]) for r in conn.execute(_DUE_OBSERVATIONS, params).fetchall()]
    photos = 0
    if ids:
        marks = ",".join("?" * len(ids))
        photos = conn.execute(
            f"SELECT COUNT(*) FROM observation_photos WHERE observation_id IN ({marks})", ids
        ).fetchone()[0]
    audit = conn.execute(
        "SELECT COUNT(*) FROM audit_log WHERE at < ?", (params["audit"],)
    ).fetchone()[0]
    return Due(ids, int(photos), int(audit))


async def due(db: Database, cutoffs: Cutoffs) -> Due:
    """What `delete_due` would delete now (nothing is changed)."""
    await db._wait_for_other_writer()
    return await db._read(lambda conn: _due(conn, cutoffs))


async def delete_due(
    db: Database, cutoffs: Cutoffs, now: datetime, audit_details: dict[str, int]
) -> Due:
    """Delete the due observations (with photos, notes, forwards and their outbox
    messages) and audit entries, and write ONE audit entry `retention.run` with
    `audit_details` plus these counts, in one transaction. Returns what was deleted."""
    import json

    def work(conn: sqlite3.Connection) -> Due:
        found = _due(conn, cutoffs)
        if found.observation_ids:
            marks = ",".join("?" * len(found.observation_ids))
            conn.execute(
                f"DELETE FROM outbox WHERE kind LIKE 'obs%' AND ref_id IN ({marks})",
                found.observation_ids,
            )
            conn.execute(f"DELETE FROM observations WHERE id IN ({marks})", found.observation_ids)
        conn.execute("DELETE FROM audit_log WHERE at < ?", (to_db(cutoffs.audit),))
        details = {
            **audit_details,
            "observations": len(found.observation_ids),
            "photos": found.photos,
            "audit_entries": found.audit_entries,
        }
        conn.execute(
            "INSERT INTO audit_log (at, actor_id, action, subject, details)"
            " VALUES (?, NULL, 'retention.run', 'retention', ?)",
            (to_db(now), json.dumps(details)),
        )
        return found

    return await db.run_transaction(work)


_INACTIVE = """
SELECT u.telegram_id FROM users u
 WHERE u.telegram_id > 0
   AND u.updated_at < :inactive AND u.created_at < :inactive
   AND NOT EXISTS (SELECT 1 FROM memberships m
                    WHERE m.user_id = u.telegram_id AND m.left_at IS NULL)
   AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.user_id = u.telegram_id)
   AND NOT EXISTS (SELECT 1 FROM memberships m
                    WHERE m.user_id = u.telegram_id AND m.left_at >= :inactive)
   AND NOT EXISTS (SELECT 1 FROM observations o
                    WHERE o.reporter_id = u.telegram_id AND o.created_at >= :inactive)
   AND NOT EXISTS (SELECT 1 FROM alert_acks a
                    WHERE a.user_id = u.telegram_id AND a.acked_at >= :inactive)
   AND NOT EXISTS (SELECT 1 FROM private_reach p
                    WHERE p.user_id = u.telegram_id AND p.updated_at >= :inactive)
   AND NOT EXISTS (SELECT 1 FROM user_data d
                    WHERE d.user_id = u.telegram_id AND d.updated_at >= :inactive)
   AND NOT EXISTS (SELECT 1 FROM conversations c
                    WHERE c.user_id = u.telegram_id AND c.updated_at >= :inactive)
 ORDER BY u.telegram_id
"""


async def inactive_people(db: Database, cutoffs: Cutoffs, admin_ids: frozenset[int]) -> list[int]:
    """People (not pseudonyms, not admins) with no current group, no role and no activity
    (profile change, report, acknowledgement, private message, dialogue) since the cutoff."""
    rows = await db.fetch_all(_INACTIVE, _params(cutoffs))
    return [int(r[0]) for r in rows if int(r[0]) not in admin_ids]


async def last_run(db: Database) -> datetime | None:
    """When the last retention pass wrote its audit entry, or None."""
    from storage.timeutil import from_db

    value = await db.fetch_value(
        "SELECT at FROM audit_log WHERE action = 'retention.run' ORDER BY id DESC LIMIT 1"
    )
    return None if value is None else from_db(value)
