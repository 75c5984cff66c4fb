"""Watch groups and memberships."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.name_order import by_name
from storage.outbox import OutgoingMessage
from storage.timeutil import from_db, to_db


@dataclass(frozen=True)
class GroupRecord:
    id: int
    chat_id: int
    title: str
    area_name: str | None
    kommun_code: str | None
    language: str
    bot_present: bool
    registered_at: datetime | None
    message_thread_id: int | None = None  # forum topic for alerts and tips; None: General
    topic_error: str | None = None  # why posting there fails; set once coordinators are told
    registered_by: int | None = None  # the admin who registered it (not removable by others)
    invite_link: str | None = None  # the Telegram group's invite link, set by a coordinator
    welcome_message_id: int | None = None  # the welcome post in the group, once posted

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None

    @property
    def is_active(self) -> bool:
        """Registered and the bot is still in the group: messages may be sent there."""
        return self.is_registered and self.bot_present


def _record(row: aiosqlite.Row) -> GroupRecord:
    return GroupRecord(
        id=row["id"],
        chat_id=row["chat_id"],
        title=row["title"],
        area_name=row["area_name"],
        kommun_code=row["kommun_code"],
        language=row["language"],
        bot_present=bool(row["bot_present"]),
        registered_at=from_db(row["registered_at"]),
        message_thread_id=row["message_thread_id"],
        topic_error=row["topic_error"],
        registered_by=row["registered_by"],
        invite_link=row["invite_link"],
        welcome_message_id=row["welcome_message_id"],
    )


async def get_group(db: Database, group_id: int) -> GroupRecord | None:
    row = await db.fetch_one("SELECT * FROM groups WHERE id = ?", (group_id,))
    return None if row is None else _record(row)


async def get_group_by_chat(db: Database, chat_id: int) -> GroupRecord | None:
    """The group for a chat id, also when the id is a pre-migration (old) one."""
    row = await db.fetch_one(
        """
        SELECT * FROM groups WHERE chat_id = :chat
        UNION ALL
        SELECT g.* FROM groups g JOIN group_chat_aliases a ON a.group_id = g.id
        WHERE a.old_chat_id = :chat
        LIMIT 1
        """,
        {"chat": chat_id},
    )
    return None if row is None else _record(row)


async def ensure_group(db: Database, chat_id: int, title: str, now: datetime) -> GroupRecord:
    """The group row for a chat, created if the bot has not seen this chat before."""
    stamp = to_db(now)
    async with db.transaction() as conn:
        await conn.execute(
            """
            INSERT INTO groups (chat_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,
                updated_at = excluded.updated_at WHERE groups.title IS NOT excluded.title
            """,
            (chat_id, title, stamp, stamp),
        )
    group = await get_group_by_chat(db, chat_id)
    assert group is not None
    return group


async def register_group(
    db: Database, group_id: int, area_name: str, kommun_code: str, now: datetime
) -> None:
    """Mark a group registered with its area; keeps the first registration time."""
    async with db.transaction() as conn:
        await conn.execute(
            """
            UPDATE groups SET area_name = ?, kommun_code = ?, bot_present = 1,
                registered_at = COALESCE(registered_at, ?), updated_at = ?
            WHERE id = ?
            """,
            (area_name, kommun_code, to_db(now), to_db(now), group_id),
        )


async def set_bot_present(db: Database, group_id: int, present: bool, now: datetime) -> None:
    """Record that the bot was removed from (or added back to) a group."""
    await db.execute(
        "UPDATE groups SET bot_present = ?, updated_at = ? WHERE id = ?",
        (int(present), to_db(now), group_id),
    )


async def migrate_chat(db: Database, old_chat_id: int, new_chat_id: int, now: datetime) -> None:
    """Move a group to its new supergroup chat id, keeping the old id as an alias.

    If the new chat already has a row (an update from the supergroup arrived first), that
    empty row is merged away so the registered group keeps its id and everything linked to it.
    """
    async with db.transaction() as conn:
        async with conn.execute("SELECT id FROM groups WHERE chat_id = ?", (old_chat_id,)) as cur:
            old = await cur.fetchone()
        if old is None:
            return
        async with conn.execute("SELECT id FROM groups WHERE chat_id = ?", (new_chat_id,)) as cur:
            clash = await cur.fetchone()
        if clash is not None and clash["id"] != old["id"]:
            await conn.execute(
                "UPDATE OR IGNORE memberships SET group_id = ? WHERE group_id = ?",
                (old["id"], clash["id"]),
            )
            await conn.execute("DELETE FROM groups WHERE id = ?", (clash["id"],))
        await conn.execute(
            "UPDATE groups SET chat_id = ?, updated_at = ? WHERE id = ?",
            (new_chat_id, to_db(now), old["id"]),
        )
        await conn.execute(
            "INSERT OR REPLACE INTO group_chat_aliases (old_chat_id, group_id, migrated_at) "
            "VALUES (?, ?, ?)",
            (old_chat_id, old["id"], to_db(now)),
        )


async def unregister_group(db: Database, group_id: int, now: datetime) -> None:
    """Stop treating a group as registered; its history stays."""
    await db.execute(
        "UPDATE groups SET registered_at = NULL, updated_at = ? WHERE id = ?",
        (to_db(now), group_id),
    )


async def rename_area(
    db: Database, group_id: int, area_name: str, now: datetime, actor_id: int | None = None
) -> None:
    """Rename a group's area and audit it ("group.rename"), atomically."""
    from storage.roles import write_audit

    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE groups SET area_name = ?, updated_at = ? WHERE id = ?",
            (area_name, to_db(now), group_id),
        )
        await write_audit(conn, now, actor_id, "group.rename", str(group_id), {"area": area_name})


async def set_group_language(db: Database, group_id: int, language: str, now: datetime) -> None:
    await db.execute(
        "UPDATE groups SET language = ?, updated_at = ? WHERE id = ?",
        (language, to_db(now), group_id),
    )


async def active_groups(db: Database, kommun_codes: list[str] | None = None) -> list[GroupRecord]:
    """Registered groups the bot is still in, optionally only those in some kommuner, by
    name (`sorted_by_name`)."""
    sql = "SELECT * FROM groups WHERE registered_at IS NOT NULL AND bot_present = 1"
    params: list[object] = []
    if kommun_codes is not None:
        sql += f" AND kommun_code IN ({','.join('?' * len(kommun_codes))})"
        params.extend(kommun_codes)
    return sorted_by_name([_record(row) for row in await db.fetch_all(sql, params)])


async def add_member(db: Database, group_id: int, user_id: int, source: str, now: datetime) -> bool:
    """Record that a person belongs to a group; returns True if this is new (or a re-join).
    Someone who left the group in the bot (storage.my_groups) rejoins only by its link."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            """
            INSERT INTO memberships (group_id, user_id, source, joined_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (group_id, user_id) DO UPDATE SET left_at = NULL,
                source = excluded.source, joined_at = excluded.joined_at
            WHERE memberships.left_at IS NOT NULL
              AND (memberships.source != 'opted_out' OR excluded.source = 'deep_link')
            """,
            (group_id, user_id, source, to_db(now)),
        )
        return cursor.rowcount > 0


async def remove_member(db: Database, group_id: int, user_id: int, now: datetime) -> None:
    await db.execute(
        "UPDATE memberships SET left_at = ? WHERE group_id = ? AND user_id = ? AND left_at IS NULL",
        (to_db(now), group_id, user_id),
    )


GROUPS_OF_MEMBER = """
    SELECT g.* FROM groups g JOIN memberships m ON m.group_id = g.id
    WHERE m.user_id = ? AND m.left_at IS NULL AND g.registered_at IS NOT NULL
"""


def records_of(rows: list[aiosqlite.Row]) -> list[GroupRecord]:
    """GroupRecords of rows read with GROUPS_OF_MEMBER (storage/users.py::standing_of), by
    name (`sorted_by_name`)."""
    return sorted_by_name([_record(row) for row in rows])


def sorted_by_name(groups: Iterable[GroupRecord]) -> list[GroupRecord]:
    """Groups in the order people see them listed: by area name (the chat's title when
    there is none) in `name_order` ("Område 2" before "Område 10", å, ä, ö after z), equal
    names by id."""
    return by_name(groups, lambda g: g.area_name or g.title, lambda g: g.id)


async def groups_of_member(db: Database, user_id: int) -> list[GroupRecord]:
    """Registered groups a person currently belongs to."""
    return records_of(await db.fetch_all(GROUPS_OF_MEMBER, (user_id,)))


async def is_member(db: Database, group_id: int, user_id: int) -> bool:
    return bool(
        await db.fetch_value(
            "SELECT 1 FROM memberships WHERE group_id = ? AND user_id = ? AND left_at IS NULL",
            (group_id, user_id),
        )
    )


# --- added for issue 3 (registration with coordinator role and audit, in one transaction) ---


async def register_with_coordinator(
    db: Database,
    group_id: int,
    area_name: str,
    kommun_code: str,
    user_id: int,
    now: datetime,
    *,
    updated: bool = False,
    language: str | None = None,
    message_thread_id: int | None = None,
) -> None:
    """Register a group, make `user_id` its coordinator and audit both, atomically.

    `language` becomes the group's language on its first registration only; a later
    re-registration keeps what the coordinators chose since. `message_thread_id` is the
    forum topic the registration was sent in (None: General): alerts and tips go there.
    """
    from storage.roles import write_audit

    stamp = to_db(now)
    async with db.transaction() as conn:
        await conn.execute(
            """
            UPDATE groups SET area_name = ?, kommun_code = ?, bot_present = 1,
                language = CASE WHEN registered_at IS NULL THEN COALESCE(?, language)
                                ELSE language END,
                message_thread_id = ?, topic_error = NULL,
                registered_by = CASE WHEN registered_at IS NULL THEN ? ELSE registered_by END,
                registered_at = COALESCE(registered_at, ?), updated_at = ?
            WHERE id = ?
            """,
            (area_name, kommun_code, language, message_thread_id, user_id, stamp, stamp, group_id),
        )
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO roles (user_id, role, scope, granted_by, granted_at) "
            "VALUES (?, 'coordinator', ?, ?, ?)",
            (user_id, str(group_id), user_id, stamp),
        )
        await write_audit(
            conn,
            now,
            user_id,
            "group.update" if updated else "group.register",
            str(group_id),
            {"area": area_name, "kommun": kommun_code},
        )
        if cursor.rowcount:
            await write_audit(
                conn,
                now,
                user_id,
                "role.grant",
                str(user_id),
                {"role": "coordinator", "scope": str(group_id)},
            )


async def unregister_with_roles(
    db: Database, group_id: int, actor_id: int | None, now: datetime
) -> None:
    """Unregister a group and end its coordinator roles, audited, atomically."""
    from storage.roles import write_audit

    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE groups SET registered_at = NULL, welcome_message_id = NULL, updated_at = ? "
            "WHERE id = ?",
            (to_db(now), group_id),
        )
        cursor = await conn.execute(
            "DELETE FROM roles WHERE role = 'coordinator' AND scope = ?", (str(group_id),)
        )
        await write_audit(
            conn,
            now,
            actor_id,
            "group.unregister",
            str(group_id),
            {"roles_revoked": cursor.rowcount},
        )


async def member_count(db: Database, group_id: int) -> int:
    """How many people currently belong to a group (as far as the bot knows)."""
    return int(
        await db.fetch_value(
            "SELECT COUNT(*) FROM memberships WHERE group_id = ? AND left_at IS NULL", (group_id,)
        )
        or 0
    )


# --- forum topics (issue 9 §6) ---


async def set_topic(
    db: Database, group_id: int, message_thread_id: int | None, actor_id: int | None, now: datetime
) -> None:
    """Post alerts and tips in this forum topic from now on (None: General), audited.

    A topic problem the coordinators were told about is forgotten: the next one is told again.
    """
    from storage.roles import write_audit

    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE groups SET message_thread_id = ?, topic_error = NULL, updated_at = ? "
            "WHERE id = ?",
            (message_thread_id, to_db(now), group_id),
        )
        await write_audit(
            conn, now, actor_id, "group.topic", str(group_id), {"thread": message_thread_id}
        )


async def record_topic_error(
    db: Database, group_id: int, error: str, notices: list[OutgoingMessage], now: datetime
) -> bool:
    """Remember that posting in the group's topic fails and enqueue `notices`, atomically,
    unless the problem was already recorded. Returns True when the notices were enqueued."""
    from storage.outbox import enqueue_many

    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE groups SET topic_error = ?, updated_at = ? "
            "WHERE id = ? AND topic_error IS NULL",
            (error[:200], to_db(now), group_id),
        )
        if not cursor.rowcount:
            return False
        await enqueue_many(conn, notices, now)
        return True


async def clear_topic_error(db: Database, group_id: int, now: datetime) -> None:
    """Posting in the group works again: a later problem is told again."""
    await db.execute(
        "UPDATE groups SET topic_error = NULL, updated_at = ? WHERE id = ? "
        "AND topic_error IS NOT NULL",
        (to_db(now), group_id),
    )
