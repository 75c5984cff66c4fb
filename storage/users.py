"""The users repository: people the bot has met and their language choice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage import groups as group_store
from storage import menus as menu_store
from storage import roles as role_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.roles import RoleGrant
from storage.timeutil import from_db_required, to_db


@dataclass(frozen=True)
class UserRecord:
    telegram_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str | None  # the person's explicit choice, None until they choose
    telegram_language_code: str | None
    created_at: datetime
    updated_at: datetime


def _record(row: aiosqlite.Row) -> UserRecord:
    return UserRecord(
        telegram_id=row["telegram_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        language=row["language"],
        telegram_language_code=row["telegram_language_code"],
        created_at=from_db_required(row["created_at"]),
        updated_at=from_db_required(row["updated_at"]),
    )


async def upsert_user(
    db: Database,
    telegram_id: int,
    *,
    first_name: str,
    last_name: str | None,
    username: str | None,
    telegram_language_code: str | None,
    now: datetime,
) -> None:
    """Insert a user or refresh their Telegram profile fields (never their language choice)."""
    stamp = to_db(now)
    params = (telegram_id, first_name, last_name, username, telegram_language_code, stamp, stamp)
    await db.point_write(lambda conn: conn.execute(_UPSERT_USER, params))


_UPSERT_USER = """
        INSERT INTO users (telegram_id, first_name, last_name, username,
                           telegram_language_code, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (telegram_id) DO UPDATE SET
            first_name = excluded.first_name,
            last_name = excluded.last_name,
            username = excluded.username,
            telegram_language_code = excluded.telegram_language_code,
            updated_at = excluded.updated_at
        WHERE users.first_name IS NOT excluded.first_name
           OR users.last_name IS NOT excluded.last_name
           OR users.username IS NOT excluded.username
           OR users.telegram_language_code IS NOT excluded.telegram_language_code
        """


async def get_user(db: Database, telegram_id: int) -> UserRecord | None:
    """The stored user, or None if the bot has never met them."""
    rows = await db.point_read("SELECT * FROM users WHERE telegram_id = ?", (telegram_id,))
    return _record(rows[0]) if rows else None


async def set_language(db: Database, telegram_id: int, language: str, now: datetime) -> bool:
    """Remember a person's language choice; returns False if the user is unknown."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE users SET language = ?, updated_at = ? WHERE telegram_id = ?",
            (language, to_db(now), telegram_id),
        )
        return cursor.rowcount > 0


@dataclass(frozen=True)
class Standing:
    """A person's stored roles, the registered groups they belong to (groups_of_member)
    and the key of the menu their private chat was given (None: never set)."""

    grants: list[RoleGrant]
    groups: list[GroupRecord]
    menu: str | None


async def standing_of(db: Database, telegram_id: int) -> Standing:
    """Roles, groups and menu of a person, read at once as point reads (/start's reads;
    storage/db_point.py); always read fresh, never cached."""
    grants, groups, menu = await db.point_reads(
        [
            (role_store.ROLES_OF_USER, (telegram_id,)),
            (group_store.GROUPS_OF_MEMBER, (telegram_id,)),
            (menu_store.MENU_OF, (telegram_id,)),
        ]
    )
    return Standing(
        grants=role_store.grants_of(grants),
        groups=group_store.records_of(groups),
        menu=str(menu[0][0]) if menu else None,
    )
