"""Onboarding state of groups and members (issue 13, migration 0024): the invite link,
the welcome post, the group's language, new-member pointers."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timeutil import from_db, to_db


async def set_invite_link(
    db: Database, group_id: int, link: str | None, actor_id: int, now: datetime
) -> None:
    """Store (or with None clear) the Telegram group's invite link, audited."""
    from storage.roles import write_audit

    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE groups SET invite_link = ?, updated_at = ? WHERE id = ?",
            (link, to_db(now), group_id),
        )
        await write_audit(
            conn, now, actor_id, "group.invite_link", str(group_id), {"set": bool(link)}
        )


async def set_welcome_message(db: Database, group_id: int, message_id: int, now: datetime) -> None:
    """Remember the welcome post of a group (so re-registering does not post it again)."""
    await db.execute(
        "UPDATE groups SET welcome_message_id = ?, updated_at = ? WHERE id = ?",
        (message_id, to_db(now), group_id),
    )


async def set_group_language_audited(
    db: Database, group_id: int, language: str, actor_id: int | None, now: datetime
) -> None:
    """Change the language of what the bot posts in the group, audited."""
    from storage.roles import write_audit

    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE groups SET language = ?, updated_at = ? WHERE id = ?",
            (language, to_db(now), group_id),
        )
        await write_audit(
            conn, now, actor_id, "group.language", str(group_id), {"language": language}
        )


async def unpointed_members(db: Database, group_id: int, user_ids: list[int]) -> list[int]:
    """Those of `user_ids` (current members) who were never shown the new-member pointer."""
    if not user_ids:
        return []
    marks = ",".join("?" * len(user_ids))
    rows = await db.fetch_all(
        f"SELECT user_id FROM memberships WHERE group_id = ? AND left_at IS NULL "
        f"AND pointed_at IS NULL AND user_id IN ({marks})",
        (group_id, *user_ids),
    )
    found = {row["user_id"] for row in rows}
    return [uid for uid in user_ids if uid in found]


async def pointer_at(db: Database, group_id: int) -> datetime | None:
    """When the group's last new-member pointer was posted (None: never)."""
    return from_db(await db.fetch_value("SELECT pointer_at FROM groups WHERE id = ?", (group_id,)))


async def mark_pointed(db: Database, group_id: int, user_ids: list[int], now: datetime) -> None:
    """Record that these members were shown the pointer now, and when the group got one."""
    stamp = to_db(now)
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE groups SET pointer_at = ?, updated_at = ? WHERE id = ?",
            (stamp, stamp, group_id),
        )
        await conn.executemany(
            "UPDATE memberships SET pointed_at = ? WHERE group_id = ? AND user_id = ?",
            [(stamp, group_id, uid) for uid in user_ids],
        )
