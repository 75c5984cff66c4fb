"""A resident's own groups (/minagrupper: leave one in the bot) and the coordinator's list of
who is connected to a group (/grupp → 👥), with how each person joined.

No Telegram types here; permissions are checked against storage (and Telegram's admin list
through `is_chat_admin`) and refused with `Refused`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.refusals import Refused
from bot.services.roles import ChatAdminCheck, access_for_group
from config import Settings
from storage import groups as group_store
from storage import my_groups as store
from storage import roles as role_store
from storage.db import Database
from storage.my_groups import Member, Membership

MEMBERS_PER_PAGE = 20
GROUPS_PER_PAGE = 10  # /minagrupper: two buttons a group, so at most ~20 buttons a page
SOURCES = ("deep_link", "message", "joined", "chat_member")  # how a person joined


async def my_groups(db: Database, user_id: int) -> list[Membership]:
    """The registered groups the person belongs to in the bot."""
    return await store.memberships_of(db, user_id)


@dataclass(frozen=True)
class MyGroupsPage:
    """One page (0-based `number`, of `pages` ≥ 1) of the person's `total` groups.

    `asked` is the page the caller asked for; it differs from `number` when that page no
    longer exists (groups left meanwhile, an old or forged button)."""

    groups: list[Membership]
    number: int
    pages: int
    total: int
    asked: int

    @property
    def moved(self) -> bool:
        """True when the page asked for was out of range and another one is shown."""
        return self.asked != self.number


async def my_groups_page(db: Database, user_id: int, number: int) -> MyGroupsPage:
    """Page `number` of the person's groups (`GROUPS_PER_PAGE` a page, by area name), read
    from storage now; a page out of range gives the nearest valid one (the last page, or
    the first for a negative number)."""
    mine = await store.memberships_of(db, user_id)
    pages = max(1, -(-len(mine) // GROUPS_PER_PAGE))
    shown = min(max(number, 0), pages - 1)
    start = shown * GROUPS_PER_PAGE
    return MyGroupsPage(mine[start : start + GROUPS_PER_PAGE], shown, pages, len(mine), number)


async def coordinators_besides(db: Database, user_id: int, group_id: int) -> int | None:
    """How many other kontaktombud the group has (stored roles), or None when `user_id`
    is not one of its kontaktombud. Leaving the group in the bot ends the membership
    only, never the role: a kontaktombud who leaves still gets the group's reports."""
    holders = await role_store.holders(db, "coordinator", str(group_id))
    return None if user_id not in holders else len(holders) - 1


async def leave(db: Database, clock: Clock, user_id: int, group_id: int) -> Membership:
    """The person leaves the group in the bot (no more reports to it; the group's link
    brings them back). Returns the membership left; `Refused("fb.mygroups.not_member")`
    when they are not (any longer) a member."""
    mine = {m.group_id: m for m in await store.memberships_of(db, user_id)}
    if group_id not in mine or not await store.opt_out(db, group_id, user_id, clock.now()):
        raise Refused("fb.mygroups.not_member")
    return mine[group_id]


@dataclass(frozen=True)
class MembersPage:
    """One page (0-based `number`) of a group's connected people, `total` in all; `asked`
    is the page asked for (it differs from `number` when that page no longer exists)."""

    area: str
    members: list[Member]
    number: int
    total: int
    asked: int

    @property
    def moved(self) -> bool:
        """True when the page asked for was out of range and another one is shown."""
        return self.asked != self.number

    @property
    def has_next(self) -> bool:
        return (self.number + 1) * MEMBERS_PER_PAGE < self.total


async def members_page(
    db: Database,
    settings: Settings,
    is_chat_admin: ChatAdminCheck,
    user_id: int,
    group_id: int,
    number: int,
) -> MembersPage:
    """Who is connected to the group, by name, for one of its coordinators (stored role,
    still an admin of its chat by `is_chat_admin`); `Refused("core.not_allowed")` for
    anyone else. A page out of range (people left meanwhile, an old or forged button)
    gives the nearest valid one: the last, or the first for a negative number."""
    group = await group_store.get_group(db, group_id)
    access = await access_for_group(db, settings, is_chat_admin, user_id, group_id)
    if group is None or not group.is_registered or not access.coordinates(group_id):
        raise Refused("core.not_allowed")
    total = await store.member_total(db, group_id)
    pages = max(1, -(-total // MEMBERS_PER_PAGE))
    shown = min(max(number, 0), pages - 1)
    members = await store.members(db, group_id, MEMBERS_PER_PAGE, shown * MEMBERS_PER_PAGE)
    return MembersPage(group.area_name or group.title or "", members, shown, total, number)
