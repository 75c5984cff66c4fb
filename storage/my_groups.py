"""A person's own memberships (/minagrupper) and a group's connected people (/grupp).

A person who leaves a group in the bot gets `source = 'opted_out'` and `left_at`; seeing
them in the group chat again does not make them a member again (storage.groups.add_member),
only opening the group's link does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.name_order import by_name
from storage.timeutil import from_db_required, to_db

OPTED_OUT = "opted_out"


@dataclass(frozen=True)
class Membership:
    group_id: int
    area: str
    kommun_code: str | None
    source: str
    joined_at: datetime


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    username: str | None
    source: str
    joined_at: datetime


async def memberships_of(db: Database, user_id: int) -> list[Membership]:
    """The registered groups the person belongs to, by area name (`name_order`: "Område 2"
    before "Område 10"), equal names by group id."""
    rows = await db.fetch_all(
        "SELECT g.id, COALESCE(g.area_name, g.title), g.kommun_code, m.source, m.joined_at"
        " FROM memberships m JOIN groups g ON g.id = m.group_id"
        " WHERE m.user_id = ? AND m.left_at IS NULL AND g.registered_at IS NOT NULL",
        (user_id,),
    )
    mine = [Membership(r[0], r[1] or "", r[2], r[3], from_db_required(r[4])) for r in rows]
    return by_name(mine, lambda m: m.area, lambda m: m.group_id)


async def opt_out(db: Database, group_id: int, user_id: int, now: datetime) -> bool:
    """The person leaves the group in the bot; False if they were not a member."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE memberships SET left_at = ?, source = ?"
            " WHERE group_id = ? AND user_id = ? AND left_at IS NULL",
            (to_db(now), OPTED_OUT, group_id, user_id),
        )
        return cursor.rowcount > 0


async def members(db: Database, group_id: int, limit: int, offset: int) -> list[Member]:
    """A page (`limit` people from `offset`) of the group's current members, by name
    (`name_order`), equal names by Telegram id: the same order on every read.

    The whole membership is read and sorted here (SQL cannot sort names naturally);
    a neighbourhood group has hundreds of people at most."""
    rows = await db.fetch_all(
        "SELECT u.telegram_id, TRIM(u.first_name || ' ' || COALESCE(u.last_name, '')),"
        " u.username, m.source, m.joined_at"
        " FROM memberships m JOIN users u ON u.telegram_id = m.user_id"
        " WHERE m.group_id = ? AND m.left_at IS NULL",
        (group_id,),
    )
    everyone = [Member(r[0], r[1] or "", r[2], r[3], from_db_required(r[4])) for r in rows]
    ordered = by_name(everyone, lambda m: m.name, lambda m: m.user_id)
    return ordered[max(offset, 0) : max(offset, 0) + max(limit, 0)]


async def member_total(db: Database, group_id: int) -> int:
    return int(
        await db.fetch_value(
            "SELECT COUNT(*) FROM memberships WHERE group_id = ? AND left_at IS NULL",
            (group_id,),
        )
    )
