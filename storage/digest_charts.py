"""Which groups' coordinators get the group's lägesbild chart with the Monday digest
(``group_digest_charts``, migration 0027: a row per group that has it on)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.db import Database
from storage.roles import write_audit
from storage.timeutil import to_db


async def chart_groups(db: Database, group_ids: Sequence[int]) -> set[int]:
    """Those of `group_ids` whose coordinators get the chart with the digest."""
    if not group_ids:
        return set()
    rows = await db.fetch_all(
        "SELECT group_id FROM group_digest_charts"
        f" WHERE group_id IN ({','.join('?' * len(group_ids))})",
        tuple(group_ids),
    )
    return {r[0] for r in rows}


async def set_chart(
    db: Database, group_id: int, on: bool, actor_id: int | None, now: datetime
) -> bool:
    """Turn the group's digest chart on or off, audited ('group.digest_chart') in the same
    transaction; False when it already was so (nothing written)."""
    async with db.transaction() as conn:
        if on:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO group_digest_charts (group_id, enabled_at) VALUES (?, ?)",
                (group_id, to_db(now)),
            )
        else:
            cursor = await conn.execute(
                "DELETE FROM group_digest_charts WHERE group_id = ?", (group_id,)
            )
        if cursor.rowcount == 0:
            return False
        await write_audit(conn, now, actor_id, "group.digest_chart", str(group_id), {"on": on})
    return True
