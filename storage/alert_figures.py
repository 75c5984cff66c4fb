"""Per-group figures of a police alert (issue #14): for each target group its delivery
status, failure reason, members and reads (`GroupFigures`), and the languages of the
groups an alert went to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.alerts import KIND_ALERT
from storage.db import Database
from storage.timeutil import from_db


async def target_languages(db: Database, alert_id: int) -> list[str]:
    """The distinct languages of the groups an alert went or goes to, Swedish first."""
    rows = await db.fetch_all(
        "SELECT DISTINCT g.language FROM groups g WHERE g.id IN (SELECT group_id FROM"
        " alert_copies WHERE alert_id = ? UNION SELECT group_id FROM outbox WHERE kind = ?"
        " AND ref_id = ? AND group_id IS NOT NULL) ORDER BY g.language != 'sv', g.language",
        (alert_id, KIND_ALERT, alert_id),
    )
    return [r[0] for r in rows]


@dataclass(frozen=True)
class GroupFigures:
    """One target group of an alert: where its copy stands and who read it there.

    `status` is the copy's outbox status ('pending', 'sending', 'sent', 'failed',
    'skipped'; 'sent' also when only alert_copies still knows it), `error` why a failed or
    skipped copy was not delivered, `delivered_at` when it was, `members` the members known
    now, `seen` the acknowledgements pressed in this group's chat."""

    group_id: int
    title: str
    area_name: str | None
    kommun_code: str | None
    status: str
    error: str | None
    delivered_at: datetime | None
    members: int
    seen: int


# One row per target group: its newest alert row (the retention pass may have deleted sent
# rows; their copy in alert_copies remains), the copy, members and acks in that group. The
# acks are counted in one pass over the alert's acks (not once per group).
_GROUP_FIGURES_SQL = """
WITH targets AS (
    SELECT group_id FROM alert_copies WHERE alert_id = :alert
    UNION SELECT group_id FROM outbox
        WHERE kind = :kind AND ref_id = :alert AND group_id IS NOT NULL
), newest AS (
    SELECT group_id, MAX(id) AS id FROM outbox
        WHERE kind = :kind AND ref_id = :alert AND group_id IS NOT NULL GROUP BY group_id
), acks AS (
    SELECT group_id, COUNT(*) AS n FROM alert_acks
        WHERE alert_id = :alert AND group_id IS NOT NULL GROUP BY group_id
)
SELECT g.id, g.title, g.area_name, g.kommun_code,
    CASE WHEN c.group_id IS NOT NULL THEN 'sent' ELSE COALESCE(o.status, 'pending') END,
    CASE WHEN c.group_id IS NOT NULL THEN NULL ELSE o.error END,
    c.sent_at,
    (SELECT COUNT(*) FROM memberships m WHERE m.group_id = g.id AND m.left_at IS NULL),
    COALESCE(k.n, 0)
FROM targets t JOIN groups g ON g.id = t.group_id
LEFT JOIN acks k ON k.group_id = t.group_id
LEFT JOIN newest n ON n.group_id = t.group_id
LEFT JOIN outbox o ON o.id = n.id
LEFT JOIN alert_copies c ON c.alert_id = :alert AND c.group_id = t.group_id
ORDER BY g.kommun_code, COALESCE(g.area_name, g.title), g.id
"""


async def group_figures(db: Database, alert_id: int) -> list[GroupFigures]:
    """Per target group of an alert: delivery, members known and reads (see GroupFigures)."""
    rows = await db.fetch_all(_GROUP_FIGURES_SQL, {"alert": alert_id, "kind": KIND_ALERT})
    return [
        GroupFigures(
            group_id=r[0],
            title=r[1],
            area_name=r[2],
            kommun_code=r[3],
            status=r[4],
            error=r[5],
            delivered_at=from_db(r[6]),
            members=int(r[7]),
            seen=int(r[8]),
        )
        for r in rows
    ]
