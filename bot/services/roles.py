"""Who may do what. Roles are always read from storage (or settings), never from input."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeAlias

from bot.clock import Clock
from bot.services.refusals import Refused
from config import Settings
from storage import groups as group_store
from storage import roles as role_store
from storage.db import Database
from storage.roles import RoleGrant


class Role(StrEnum):
    RESIDENT = "resident"
    COORDINATOR = "coordinator"
    POLICE = "police"
    KOMMUN = "kommun"  # the kommun's safety office: aggregates only, never a person's data
    ADMIN = "admin"


@dataclass(frozen=True)
class Access:
    """Everything one person may do, as read from storage at the moment of asking."""

    user_id: int
    is_admin: bool
    coordinator_of: frozenset[int]  # group ids
    police_kommuner: frozenset[str]  # kommun codes
    kommun_kommuner: frozenset[str] = frozenset()  # kommun codes (kommun role: aggregates only)

    @property
    def roles(self) -> frozenset[Role]:
        roles = {Role.RESIDENT}
        if self.is_admin:
            roles.add(Role.ADMIN)
        if self.coordinator_of:
            roles.add(Role.COORDINATOR)
        if self.police_kommuner:
            roles.add(Role.POLICE)
        if self.kommun_kommuner:
            roles.add(Role.KOMMUN)
        return frozenset(roles)

    def coordinates(self, group_id: int) -> bool:
        return group_id in self.coordinator_of

    def polices(self, kommun_code: str | None) -> bool:
        return kommun_code is not None and kommun_code in self.police_kommuner

    def serves_kommun(self, kommun_code: str | None) -> bool:
        """True for the kommun role in this kommun (aggregates only, see bot/services/lagesbild)."""
        return kommun_code is not None and kommun_code in self.kommun_kommuner


@dataclass(frozen=True)
class SystemActor:
    """A trusted caller that is no person: the command line (`"cli"`) or a scheduled job.

    It passes every role check (whoever runs the CLI already holds the database); what it
    writes is audited with no user id. Never stands in for "unknown": a person is an Access.
    """

    name: str


Actor: TypeAlias = Access | SystemActor
"""Who asks a service to do something: a person's Access (read from storage for this
update) or a SystemActor."""


def system(name: str) -> SystemActor:
    """The actor of a trusted caller, e.g. `system("cli")`, `system("tip_scheduler")`."""
    return SystemActor(name)


def actor_id(actor: Actor) -> int | None:
    """The user id recorded in audit rows: the person's, None for a system actor."""
    return actor.user_id if isinstance(actor, Access) else None


def require(allowed: bool, key: str = "core.not_allowed", **params: object) -> None:
    """Raise `Refused(key, **params)` unless `allowed`."""
    if not allowed:
        raise Refused(key, **params)


async def access_of(db: Database, settings: Settings, user_id: int) -> Access:
    """Read a person's roles from storage; admins come from ADMIN_USER_IDS."""
    return access_from(settings, user_id, await role_store.roles_for_user(db, user_id))


def access_from(settings: Settings, user_id: int, grants: list[RoleGrant]) -> Access:
    """The Access of a person's stored grants, read just now (admins: ADMIN_USER_IDS)."""
    return Access(
        user_id=user_id,
        is_admin=user_id in settings.admin_user_ids,
        coordinator_of=frozenset(int(g.scope) for g in grants if g.role == Role.COORDINATOR),
        police_kommuner=frozenset(g.scope for g in grants if g.role == Role.POLICE),
        kommun_kommuner=frozenset(g.scope for g in grants if g.role == Role.KOMMUN),
    )


async def roles_of(db: Database, settings: Settings, user_id: int) -> frozenset[Role]:
    """Every role a person holds (everyone is a resident)."""
    return (await access_of(db, settings, user_id)).roles


async def revoke(
    db: Database,
    now: datetime,
    actor: Actor,
    user_id: int,
    role: str | None = None,
    scope: str | None = None,
) -> int:
    """Revoke a person's stored roles (optionally one role, one scope), audited; how many.

    Refused (`core.not_allowed`) unless the actor is a bot admin or a system actor."""
    require(isinstance(actor, SystemActor) or actor.is_admin)
    return await role_store.revoke_roles(db, user_id, role, scope, actor_id(actor), now)


# --------------------------------------------------------------------------- Telegram admins

ChatAdminCheck = Callable[[int, int], Awaitable[bool]]
"""(chat id, user id) → True while Telegram says the person is an admin or the creator of
the chat. Handlers supply it (they hold the Bot API); services never import Telegram."""

ChatAdminLookup = Callable[[int, int], Awaitable[bool | None]]
"""Like ChatAdminCheck, but None when Telegram could not be asked (such answers are not kept)."""

ADMIN_STATUS_TTL = timedelta(seconds=60)
_PRUNE_ABOVE = 4096  # entries; expired ones are dropped when the cache grows past this


class ChatAdminCache:
    """Telegram's answer to "is this person an admin of this chat?", kept per (chat, user)
    for `ttl` (60 s), so a burst of button presses asks `getChatMember` once.

    `forget()` drops answers when Telegram reports a membership change. A failed lookup
    counts as "not an admin" and is not kept.
    """

    def __init__(
        self, lookup: ChatAdminLookup, clock: Clock, ttl: timedelta = ADMIN_STATUS_TTL
    ) -> None:
        self._lookup = lookup
        self._clock = clock
        self._ttl = ttl
        self._answers: dict[tuple[int, int], tuple[bool, datetime]] = {}

    async def is_admin(self, chat_id: int, user_id: int, *, fresh: bool = False) -> bool:
        """The kept answer if younger than the ttl (unless `fresh`), else ask Telegram."""
        key = (chat_id, user_id)
        now = self._clock.now()
        kept = self._answers.get(key)
        if not fresh and kept is not None and now < kept[1]:
            return kept[0]
        answer = await self._lookup(chat_id, user_id)
        if answer is None:
            self._answers.pop(key, None)
            return False
        if len(self._answers) >= _PRUNE_ABOVE:
            self._answers = {k: v for k, v in self._answers.items() if now < v[1]}
        self._answers[key] = (answer, now + self._ttl)
        return answer

    def forget(self, chat_id: int, user_id: int | None = None) -> None:
        """Drop the kept answer for one person of a chat, or for the whole chat."""
        if user_id is not None:
            self._answers.pop((chat_id, user_id), None)
            return
        for key in [k for k in self._answers if k[0] == chat_id]:
            del self._answers[key]


async def access_for_group(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, user_id: int, group_id: int
) -> Access:
    """A person's stored roles, where coordinating `group_id` also needs Telegram to say,
    now, that they are an admin of the group's chat (the README's promise).

    Every coordinator action on a group, command or button, private chat or group, decides
    with this. Telegram is only asked when storage says the person coordinates the group;
    an unregistered group is coordinated by nobody.
    """
    access = await access_of(db, settings, user_id)
    if not access.coordinates(group_id) or await _admin_of(db, is_chat_admin, group_id, user_id):
        return access
    return replace(access, coordinator_of=access.coordinator_of - {group_id})


async def access_following_telegram(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, user_id: int
) -> Access:
    """A person's stored roles with every coordinated group kept only while Telegram says
    they are an admin of its chat: for views across all of a coordinator's groups."""
    return await following_telegram(db, is_chat_admin, await access_of(db, settings, user_id))


async def following_telegram(db: Database, is_chat_admin: ChatAdminCheck, access: Access) -> Access:
    """`access` (just read from storage) with every coordinated group kept only while
    Telegram says the person is an admin of its chat (see access_following_telegram)."""
    user_id = access.user_id
    kept = [g for g in access.coordinator_of if await _admin_of(db, is_chat_admin, g, user_id)]
    return replace(access, coordinator_of=frozenset(kept))


async def still_coordinating(
    db: Database, is_chat_admin: ChatAdminCheck, group_id: int, user_ids: list[int]
) -> list[int]:
    """Those of `user_ids` (order kept) whom Telegram says are admins of the group's chat
    now: who may still receive a coordinator's view of the group (e.g. a new report)."""
    return [uid for uid in user_ids if await _admin_of(db, is_chat_admin, group_id, uid)]


async def require_group_manager(
    db: Database,
    is_chat_admin: ChatAdminCheck,
    actor: Actor,
    group_id: int,
    *,
    admins: bool = False,
    key: str = "core.not_allowed",
) -> None:
    """Refuse (`Refused(key)`) unless the actor manages the group: a system actor, a stored
    coordinator of the registered group whom Telegram calls an admin of its chat now, or,
    with `admins`, a bot admin. Telegram is asked again here, whatever the caller checked.
    """
    if isinstance(actor, SystemActor) or (admins and actor.is_admin):
        return
    require(
        actor.coordinates(group_id) and await _admin_of(db, is_chat_admin, group_id, actor.user_id),
        key,
    )


async def _admin_of(
    db: Database, is_chat_admin: ChatAdminCheck, group_id: int, user_id: int
) -> bool:
    group = await group_store.get_group(db, group_id)
    return group is not None and group.is_registered and await is_chat_admin(group.chat_id, user_id)
