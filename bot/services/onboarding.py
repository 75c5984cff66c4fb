"""Onboarding a group and its people: the welcome post, the Telegram invite link, the
group's language, and the short pointer new members get (issue 13).

Plain async functions over storage; no Telegram types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.i18n import LANGUAGES
from bot.services.roles import (
    Access,
    Actor,
    ChatAdminCheck,
    Role,
    access_from,
    actor_id,
    following_telegram,
    require_group_manager,
)
from config import Settings
from storage import groups as group_store
from storage import onboarding as onboarding_store
from storage import users as user_store
from storage import waiting as waiting_store
from storage.db import Database
from storage.groups import GroupRecord

POINTER_INTERVAL = timedelta(minutes=10)
"""At most one new-member pointer per group this often; later joiners wait and are batched."""

_INVITE_LINK = re.compile(
    r"^(?:https?://)?(?:t\.me|telegram\.me)/(?:\+|joinchat/)([A-Za-z0-9_-]{10,64})/?$"
)


def clean_invite_link(raw: str) -> str | None:
    """A Telegram group invite link in its https form (``https://t.me/+…`` or
    ``https://t.me/joinchat/…``, also typed without ``https://``); None for anything else
    (a public @username link, another site, text)."""
    match = _INVITE_LINK.fullmatch(raw.strip())
    if match is None:
        return None
    joinchat = "/joinchat/" in raw
    return f"https://t.me/{'joinchat/' if joinchat else '+'}{match.group(1)}"


async def set_invite_link(
    db: Database, now: datetime, group_id: int, link: str | None, actor_id: int
) -> None:
    """Store the group's invite link (None removes it), audited. The caller checked the
    actor may manage the group."""
    await onboarding_store.set_invite_link(db, group_id, link, actor_id, now)


async def set_language(
    db: Database,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    language: str,
    now: datetime,
) -> bool:
    """Set the language the bot posts in in the group (audited); False, nothing written,
    for a language the bot does not speak. Refused (`core.not_allowed`) unless the actor
    manages the group: its coordinators, confirmed with Telegram, and admins."""
    await require_group_manager(db, is_chat_admin, actor, group_id, admins=True)
    if language not in LANGUAGES:
        return False
    await onboarding_store.set_group_language_audited(db, group_id, language, actor_id(actor), now)
    return True


async def remember_welcome(db: Database, now: datetime, group_id: int, message_id: int) -> None:
    """The welcome post went out: re-registering does not post it again."""
    await onboarding_store.set_welcome_message(db, group_id, message_id, now)


async def not_yet_pointed(db: Database, group_id: int, user_ids: list[int]) -> list[int]:
    """Those of `user_ids` (current members) who never got the new-member pointer."""
    return await onboarding_store.unpointed_members(db, group_id, user_ids)


async def pointer_wait(db: Database, now: datetime, group_id: int) -> timedelta:
    """How long the group's next pointer must wait (zero: it may go now)."""
    last = await onboarding_store.pointer_at(db, group_id)
    if last is None:
        return timedelta(0)
    return max(timedelta(0), last + POINTER_INTERVAL - now)


async def pointed(db: Database, now: datetime, group_id: int, user_ids: list[int]) -> None:
    """The pointer naming these members was posted now."""
    await onboarding_store.mark_pointed(db, group_id, user_ids, now)


# --------------------------------------------------------------------------- /start


@dataclass(frozen=True)
class StartSummary:
    """What /start tells a known person about themselves.

    `groups`: the active groups they belong to; `coordinated`: registered groups they
    coordinate and still administer in Telegram; `police_reach`: active groups in their
    police kommuner; `new_observations` (in the coordinated groups) and `inbox`
    (forwarded to their kommuner, unhandled): what waits. `roles` (as stored, for their
    command menu) and `menu` (the key of the menu their chat has, None: never set)."""

    access: Access
    groups: tuple[GroupRecord, ...]
    coordinated: int
    police_reach: int
    new_observations: int
    inbox: int
    roles: frozenset[Role]
    menu: str | None

    @property
    def member_of(self) -> int:
        return len(self.groups)

    @property
    def known(self) -> bool:
        """Has a group or a role: /start is short and about them."""
        return bool(
            self.member_of
            or self.access.is_admin
            or self.access.coordinator_of
            or self.access.police_kommuner
            or self.access.kommun_kommuner
        )


async def start_summary(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, user_id: int
) -> StartSummary:
    """Read a person's groups, roles and what waits for them, for /start. Roles, groups
    and menu come from storage in one round trip (never from a cache), so a role revoked
    or a group left a moment ago is not shown."""
    standing = await user_store.standing_of(db, user_id)
    stored = access_from(settings, user_id, standing.grants)
    access = await following_telegram(db, is_chat_admin, stored)
    coordinated = sorted(access.coordinator_of)
    kommuner = sorted(access.police_kommuner)
    return StartSummary(
        access=access,
        groups=tuple(g for g in standing.groups if g.bot_present),  # = membership.groups_of
        coordinated=len(coordinated),
        police_reach=len(await group_store.active_groups(db, kommuner)) if kommuner else 0,
        new_observations=await waiting_store.new_observations(db, coordinated),
        inbox=await waiting_store.unhandled_forwards(db, kommuner),
        roles=stored.roles,
        menu=standing.menu,
    )
