"""SQL for the weekly digest: per-group and per-kommun aggregates over a period, and the
``digest_sends`` bookkeeping (one row per person and ISO week).

Every aggregate takes a list of group ids or kommun codes so one query serves a whole
batch of recipients. Indexes used (checked with EXPLAIN QUERY PLAN in tests/test_digests.py):
observations_group_status (per group), observations_kommun_created (per kommun),
observation_forwards_inbox (forwards), the alert_copies key and outbox_ref (alert copies),
the alert_acks and digest_sends primary keys. ``alerts`` is read by a scan of the rows
created in the period (a small table: a few alerts per kommun and week).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.outbox import OutgoingMessage, enqueue_many
from storage.timeutil import to_db


@dataclass(frozen=True)
class Recipient:
    """A person with staff roles: the groups they coordinate, the kommuner they police and
    the kommuner they serve in the kommun role (chart only, aggregates)."""

    user_id: int
    group_ids: tuple[int, ...]
    kommun_codes: tuple[str, ...]
    kommun_role_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupInfo:
    id: int
    area_name: str
    kommun_code: str | None


@dataclass(frozen=True)
class AlertCounts:
    """Alerts of a period for one group or kommun: alerts, GROUPS targeted and reached
    (each group once however many alerts or copies it got), acknowledgements, and how many
    of the alerts were withdrawn since."""

    alerts: int
    targeted: int
    delivered: int
    seen: int
    withdrawn: int = 0


@dataclass(frozen=True)
class ForwardCounts:
    forwarded: int
    handled: int

    @property
    def waiting(self) -> int:
        return self.forwarded - self.handled


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


async def pending_recipients(db: Database, week: str) -> list[Recipient]:
    """Everyone with a coordinator, police or kommun role who has no digest_sends row for
    `week`."""
    rows = await db.fetch_all(
        "SELECT r.user_id, r.role, r.scope FROM roles r"
        " WHERE r.role IN ('coordinator', 'police', 'kommun') AND NOT EXISTS"
        " (SELECT 1 FROM digest_sends d WHERE d.user_id = r.user_id AND d.week = ?)"
        " ORDER BY r.user_id, r.role, r.scope",
        (week,),
    )
    groups: dict[int, list[int]] = {}
    kommuner: dict[int, list[str]] = {}
    kommun_role: dict[int, list[str]] = {}
    for row in rows:
        user_id, role, scope = row[0], row[1], row[2]
        groups.setdefault(user_id, [])
        kommuner.setdefault(user_id, [])
        if role == "coordinator":
            if scope.isdigit():
                groups[user_id].append(int(scope))
        elif role == "kommun":
            kommun_role.setdefault(user_id, []).append(scope)
        else:
            kommuner[user_id].append(scope)
    return [
        Recipient(uid, tuple(groups[uid]), tuple(kommuner[uid]), tuple(kommun_role.get(uid, ())))
        for uid in groups
    ]


async def registered_groups(db: Database, group_ids: Sequence[int]) -> dict[int, GroupInfo]:
    """The registered groups among `group_ids` (unregistered ones get no digest)."""
    if not group_ids:
        return {}
    rows = await db.fetch_all(
        "SELECT id, COALESCE(area_name, title) AS area, kommun_code FROM groups"
        f" WHERE id IN ({_marks(group_ids)}) AND registered_at IS NOT NULL",
        tuple(group_ids),
    )
    return {r[0]: GroupInfo(r[0], r[1], r[2]) for r in rows}


async def kommun_groups(db: Database, kommun_codes: Sequence[str]) -> dict[int, GroupInfo]:
    """The registered groups of the kommuner (named with their figures in a police digest)."""
    if not kommun_codes:
        return {}
    rows = await db.fetch_all(
        "SELECT id, COALESCE(area_name, title) AS area, kommun_code FROM groups"
        f" WHERE kommun_code IN ({_marks(kommun_codes)}) AND registered_at IS NOT NULL",
        tuple(kommun_codes),
    )
    return {r[0]: GroupInfo(r[0], r[1], r[2]) for r in rows}


async def group_observation_counts(
    db: Database, group_ids: Sequence[int], since: datetime, until: datetime
) -> dict[int, dict[tuple[str, str], int]]:
    """Observations reported in [since, until) per group: {(category, status): count}.
    Withdrawn reports are left out."""
    if not group_ids:
        return {}
    rows = await db.fetch_all(
        "SELECT group_id, category, status, COUNT(*) FROM observations"
        f" WHERE group_id IN ({_marks(group_ids)}) AND created_at >= ? AND created_at < ?"
        " AND status != 'withdrawn' GROUP BY group_id, category, status",
        (*group_ids, to_db(since), to_db(until)),
    )
    result: dict[int, dict[tuple[str, str], int]] = {}
    for r in rows:
        result.setdefault(r[0], {})[(r[1], r[2])] = r[3]
    return result


async def unreviewed_counts(db: Database, group_ids: Sequence[int]) -> dict[int, int]:
    """Observations still 'new' (never reviewed) per group, whenever they were reported."""
    if not group_ids:
        return {}
    rows = await db.fetch_all(
        "SELECT group_id, COUNT(*) FROM observations"
        f" WHERE group_id IN ({_marks(group_ids)}) AND status = 'new' GROUP BY group_id",
        tuple(group_ids),
    )
    return {r[0]: r[1] for r in rows}


# The copies of a period's alerts: delivered ones from alert_copies (migration 0016; their
# sent outbox rows may be pruned), the rest (pending, failed, skipped: never pruned) from
# the outbox. One row per (alert, group) addressed. CROSS JOIN keeps SQLite on the period's
# few alerts first, then each one's copies by key (not every copy a group ever got).
_ADDRESSED = (
    "SELECT c.alert_id AS alert_id, c.group_id AS group_id, 1 AS delivered,"
    " a.status = 'withdrawn' AS withdrawn"
    " FROM alerts a CROSS JOIN alert_copies c ON c.alert_id = a.id"
    " WHERE a.created_at >= :since AND a.created_at < :until"
    " UNION ALL SELECT o.ref_id, o.group_id, 0, a.status = 'withdrawn'"
    " FROM alerts a CROSS JOIN outbox o ON o.kind = 'alert' AND o.ref_id = a.id"
    " WHERE a.created_at >= :since AND a.created_at < :until"
    " AND o.status != 'sent' AND o.group_id IS NOT NULL"
)
# Alerts, groups addressed, groups reached, people who marked them read, alerts withdrawn:
# groups are counted once however many alerts reached them (#13: "2 till 1 grupp").
_ALERT_COLUMNS = (
    "COUNT(DISTINCT d.alert_id), COUNT(DISTINCT d.group_id),"
    " COUNT(DISTINCT CASE WHEN d.delivered = 1 THEN d.group_id END),"
    " SUM((SELECT COUNT(*) FROM alert_acks k WHERE k.alert_id = d.alert_id"
    " AND k.group_id = d.group_id)),"
    " COUNT(DISTINCT CASE WHEN d.withdrawn THEN d.alert_id END)"
)


def _named(prefix: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values, strict=True))


async def group_alert_counts(
    db: Database, group_ids: Sequence[int], since: datetime, until: datetime
) -> dict[int, AlertCounts]:
    """Alerts created in [since, until) that were addressed to each group."""
    if not group_ids:
        return {}
    marks, params = _named("g", group_ids)
    rows = await db.fetch_all(
        f"SELECT d.group_id, {_ALERT_COLUMNS} FROM ({_ADDRESSED}) d"
        f" WHERE d.group_id IN ({marks}) GROUP BY d.group_id",
        {"since": to_db(since), "until": to_db(until), **params},
    )
    return {r[0]: AlertCounts(r[1], r[2], r[3] or 0, r[4] or 0, r[5] or 0) for r in rows}


async def kommun_alert_counts(
    db: Database, kommun_codes: Sequence[str], since: datetime, until: datetime
) -> dict[str, AlertCounts]:
    """Alerts created in [since, until) addressed to groups of each kommun."""
    if not kommun_codes:
        return {}
    marks, params = _named("k", kommun_codes)
    rows = await db.fetch_all(
        f"SELECT g.kommun_code, {_ALERT_COLUMNS} FROM ({_ADDRESSED}) d"
        f" JOIN groups g ON g.id = d.group_id WHERE g.kommun_code IN ({marks})"
        " GROUP BY g.kommun_code",
        {"since": to_db(since), "until": to_db(until), **params},
    )
    return {r[0]: AlertCounts(r[1], r[2], r[3] or 0, r[4] or 0, r[5] or 0) for r in rows}


async def kommun_observation_counts(
    db: Database, kommun_codes: Sequence[str], since: datetime, until: datetime
) -> dict[str, dict[str, int]]:
    """Observations reported in [since, until) in each kommun's groups: {category: count}."""
    if not kommun_codes:
        return {}
    rows = await db.fetch_all(
        "SELECT kommun_code, category, COUNT(*) FROM observations"
        f" WHERE kommun_code IN ({_marks(kommun_codes)}) AND created_at >= ? AND created_at < ?"
        " AND status != 'withdrawn' GROUP BY kommun_code, category",
        (*kommun_codes, to_db(since), to_db(until)),
    )
    result: dict[str, dict[str, int]] = {}
    for r in rows:
        result.setdefault(r[0], {})[r[1]] = r[2]
    return result


async def forward_counts(
    db: Database, kommun_codes: Sequence[str], since: datetime, until: datetime
) -> dict[str, ForwardCounts]:
    """Observations forwarded to each kommun's police in [since, until), and how many of
    them are handled by now."""
    if not kommun_codes:
        return {}
    rows = await db.fetch_all(
        "SELECT kommun_code, COUNT(*), SUM(handled_at IS NOT NULL) FROM observation_forwards"
        f" WHERE kommun_code IN ({_marks(kommun_codes)})"
        " AND forwarded_at >= ? AND forwarded_at < ? GROUP BY kommun_code",
        (*kommun_codes, to_db(since), to_db(until)),
    )
    return {r[0]: ForwardCounts(r[1], r[2] or 0) for r in rows}


async def record_sends(
    db: Database,
    week: str,
    digests: Sequence[tuple[int, OutgoingMessage | Sequence[OutgoingMessage] | None]],
    now: datetime,
) -> int:
    """In one transaction, record each (user, message or messages) for `week` and enqueue
    them (None or []: nothing to report, only recorded). A user already recorded for the
    week is skipped, messages and all. Returns how many users got messages enqueued."""
    enqueued = 0
    async with db.transaction() as conn:
        for user_id, message in digests:
            messages = (
                []
                if message is None
                else [message]
                if isinstance(message, OutgoingMessage)
                else list(message)
            )
            if await _record(conn, user_id, week, bool(messages), now):
                if messages:
                    await enqueue_many(conn, messages, now)
                    enqueued += 1
    return enqueued


async def _record(
    conn: aiosqlite.Connection, user_id: int, week: str, enqueued: bool, now: datetime
) -> bool:
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO digest_sends (user_id, week, outcome, created_at)"
        " VALUES (?, ?, ?, ?)",
        (user_id, week, "enqueued" if enqueued else "empty", to_db(now)),
    )
    return cursor.rowcount > 0


async def sends_for_week(db: Database, week: str) -> dict[int, str]:
    """{user_id: outcome} of one week (for tests and diagnostics)."""
    rows = await db.fetch_all("SELECT user_id, outcome FROM digest_sends WHERE week = ?", (week,))
    return {r[0]: r[1] for r in rows}


async def drop_chart(db: Database, outbox_id: int) -> None:
    """Remove the chart PNG from a finished digest row's payload (the rest is kept)."""
    await db.execute(
        "UPDATE outbox SET payload = json_remove(payload, '$.photo_png')"
        " WHERE id = ? AND kind = 'digest' AND status IN ('sent', 'failed', 'skipped')"
        " AND json_extract(payload, '$.photo_png') IS NOT NULL",
        (outbox_id,),
    )
