"""Watch groups: registration, coordinators, the group's deep link, lifecycle (reading the
area name and kommun people type: bot/services/group_input.py).

Plain async functions over storage; no Telegram types. Whether someone is an admin of the
Telegram group is asked through a ChatAdminCheck the caller passes in (it needs the Bot
API). Every change a person asks for takes their `Actor` and is checked here, whoever
calls: registering needs a Telegram admin of the chat; renaming, unregistering and
(co-)coordinators need a stored coordinator whom Telegram still calls an admin
(`roles.require_group_manager`). A refusal is `Refused(key)`. The lifecycle functions at
the end follow what Telegram reports about the bot itself; no person asks for them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from telegram.helpers import create_deep_linked_url

from bot.services.kommuner import find_kommun_by_code
from bot.services.refusals import Refused
from bot.services.roles import (
    Access,
    Actor,
    ChatAdminCheck,
    Role,
    access_following_telegram,
    access_for_group,
    actor_id,
    require_group_manager,
)
from config import Settings
from storage import groups as group_store
from storage import roles as role_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.name_order import by_name

GROUP_PAYLOAD_PREFIX = "g"
# ASCII digits only: \d would take "١" (Arabic-Indic one), and hmac refuses non-ASCII text.
_PAYLOAD_RE = re.compile(r"^g([0-9]{1,15})_([A-Za-z0-9_-]{16})$")


def kommun_label(code: str | None) -> str:
    """ "Sölvesborg (Blekinge län)" for a kommun code; the code itself if unknown."""
    kommun = find_kommun_by_code(code) if code else None
    return f"{kommun.name} ({kommun.lan_name})" if kommun else (code or "?")


# --------------------------------------------------------------------------- deep links


def _link_key(bot_token: str) -> bytes:
    return hashlib.sha256(b"grannvakt/group-link/v1:" + bot_token.encode()).digest()


def group_payload(bot_token: str, group_id: int) -> str:
    """The unguessable `/start` payload of a group: `g<id>_<16 chars of HMAC>`.

    Derived from the bot token, so it needs no storage; it changes if the token does.
    """
    mac = hmac.new(_link_key(bot_token), f"group:{group_id}".encode(), hashlib.sha256).digest()
    sig = base64.urlsafe_b64encode(mac).decode().rstrip("=")[:16]
    return f"{GROUP_PAYLOAD_PREFIX}{group_id}_{sig}"


def parse_group_payload(bot_token: str, payload: str) -> int | None:
    """The group id of a valid payload, None for anything forged or malformed."""
    match = _PAYLOAD_RE.fullmatch(payload or "")
    if match is None:
        return None
    group_id = int(match.group(1))
    if not hmac.compare_digest(group_payload(bot_token, group_id), payload):
        return None
    return group_id


REPORT_PAYLOAD_PREFIX = "r"


def report_payload(bot_token: str, group_id: int) -> str:
    """The payload of a group's report link, `r<id>_<sig>`: join the group, then report.

    It carries the same signature as the group's own link; only the action differs.
    """
    return REPORT_PAYLOAD_PREFIX + group_payload(bot_token, group_id)[len(GROUP_PAYLOAD_PREFIX) :]


def parse_report_payload(bot_token: str, payload: str) -> int | None:
    """The group id of a valid report payload, None for anything forged or malformed."""
    if not (payload or "").startswith(REPORT_PAYLOAD_PREFIX):
        return None
    return parse_group_payload(
        bot_token, GROUP_PAYLOAD_PREFIX + payload[len(REPORT_PAYLOAD_PREFIX) :]
    )


#: The payload of links that only open the private chat (/start answers them as a plain
#: /start; any other payload no deep-link handler took is a link that does not work).
PLAIN_START = "start"


def deep_link(bot_username: str, payload: str) -> str:
    """The t.me link that opens a private chat with the bot and sends `/start <payload>`.

    PTB's `create_deep_linked_url`, which also checks Telegram's rules for the payload
    (1–64 characters of A-Z, a-z, 0-9, _ and -; `ValueError` otherwise)."""
    return create_deep_linked_url(bot_username, payload)


# --------------------------------------------------------------------------- registration


@dataclass(frozen=True)
class Registration:
    group: GroupRecord
    updated: bool  # True: the group was registered before; its area changed


async def register(
    db: Database,
    now: datetime,
    *,
    chat_id: int,
    title: str,
    area_name: str,
    kommun_code: str,
    actor: Access,
    is_chat_admin: ChatAdminCheck,
    language: str | None = None,
    message_thread_id: int | None = None,
) -> Registration:
    """Register (or re-register) a group; the registering admin becomes its coordinator.

    A newly registered group gets `language` (its registrant's) for what the bot posts
    there; a registered one keeps its own; coordinators change it with /grupp.
    `message_thread_id` is the forum topic the command was sent in (None: General or no
    topics): alerts and tips are posted there.
    Raises `Refused("core.not_allowed")` unless Telegram calls the actor an admin of the
    chat.
    """
    if not await is_chat_admin(chat_id, actor.user_id):
        raise Refused("core.not_allowed")
    user_id = actor.user_id
    group = await group_store.ensure_group(db, chat_id, title, now)
    was_registered = group.is_registered
    await group_store.register_with_coordinator(
        db,
        group.id,
        area_name,
        kommun_code,
        user_id,
        now,
        updated=was_registered,
        language=language,
        message_thread_id=message_thread_id,
    )
    await group_store.add_member(db, group.id, user_id, "message", now)
    fresh = await group_store.get_group(db, group.id)
    assert fresh is not None
    return Registration(fresh, was_registered)


async def unregister(
    db: Database, now: datetime, actor: Actor, is_chat_admin: ChatAdminCheck, group_id: int
) -> None:
    """Unregister a group: nothing more is sent there; its coordinator roles end.
    Refused unless the actor manages the group."""
    await require_group_manager(db, is_chat_admin, actor, group_id)
    await group_store.unregister_with_roles(db, group_id, actor_id(actor), now)


async def rename(
    db: Database,
    now: datetime,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    area_name: str,
) -> None:
    """Change the area name of a registered group (audited). Refused unless the actor
    manages the group."""
    await require_group_manager(db, is_chat_admin, actor, group_id)
    await group_store.rename_area(db, group_id, area_name, now, actor_id(actor))


async def coordinators(db: Database, group_id: int) -> list[int]:
    """User ids of the group's coordinators, first granted first."""
    return await role_store.holders(db, Role.COORDINATOR, str(group_id))


async def add_coordinator(
    db: Database,
    now: datetime,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    user_id: int,
) -> bool:
    """Make an admin of the group's chat a co-coordinator; True if new.

    Refused unless the actor manages the group; `Refused("grp.coord.not_admin")` when
    Telegram does not call `user_id` an admin of the chat."""
    await require_group_manager(db, is_chat_admin, actor, group_id)
    group = await group_store.get_group(db, group_id)
    if group is None or not await is_chat_admin(group.chat_id, user_id):
        raise Refused("grp.coord.not_admin")
    return await role_store.grant_role(
        db, user_id, Role.COORDINATOR, str(group_id), actor_id(actor), now
    )


async def remove_coordinator(
    db: Database,
    now: datetime,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    user_id: int,
) -> bool:
    """Remove a co-coordinator; True if removed, False if they were none.

    Refused unless the actor manages the group; `Refused("grp.coord.last")` for the last
    coordinator (a registered group always has one)."""
    await require_group_manager(db, is_chat_admin, actor, group_id)
    current = await coordinators(db, group_id)
    if user_id not in current:
        return False
    if len(current) <= 1:
        raise Refused("grp.coord.last")
    count = await role_store.revoke_roles(
        db, user_id, Role.COORDINATOR, str(group_id), actor_id(actor), now
    )
    return count > 0


async def protects_registrant(
    db: Database, is_chat_admin: ChatAdminCheck, group_id: int, user_id: int, actor_id: int
) -> bool:
    """True when `actor_id` may not remove `user_id` as coordinator because `user_id`
    registered the group and Telegram still calls them an admin of its chat. Nobody else
    demotes the one who registered (they may step down themselves; once they are no longer
    an admin of the group, the others may remove them)."""
    group = await group_store.get_group(db, group_id)
    if group is None or group.registered_by != user_id or actor_id == user_id:
        return False
    return await is_chat_admin(group.chat_id, user_id)


async def active_group_count(db: Database, kommun_codes: list[str]) -> int:
    """How many active groups (registered, bot present) the kommuner have: what an
    officer of these kommuner reaches with an alert."""
    return len(await group_store.active_groups(db, kommun_codes))


async def group_for_chat(db: Database, chat_id: int) -> GroupRecord | None:
    """The group of a chat id (also a pre-migration one), None if unknown."""
    return await group_store.get_group_by_chat(db, chat_id)


async def group_by_id(db: Database, group_id: int) -> GroupRecord | None:
    """The group with this id, None if unknown."""
    return await group_store.get_group(db, group_id)


async def may_manage(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, group_id: int, user_id: int
) -> bool:
    """True if the person is a stored coordinator of this registered group and, asked
    through `is_chat_admin`, still an admin of its Telegram chat."""
    access = await access_for_group(db, settings, is_chat_admin, user_id, group_id)
    return access.coordinates(group_id)


async def groups_coordinated(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, user_id: int
) -> list[GroupRecord]:
    """Registered groups the person coordinates and, asked through `is_chat_admin`, still
    administers in Telegram, by name (storage.groups.sorted_by_name)."""
    access = await access_following_telegram(db, settings, is_chat_admin, user_id)
    found = [await group_store.get_group(db, gid) for gid in sorted(access.coordinator_of)]
    return group_store.sorted_by_name(g for g in found if g is not None and g.is_registered)


# --------------------------------------------------------------------------- bot lifecycle


async def bot_left(db: Database, now: datetime, chat_id: int) -> GroupRecord | None:
    """The bot was removed/kicked from a chat (or got 403 sending there): stop sending."""
    group = await group_store.get_group_by_chat(db, chat_id)
    if group is not None and group.bot_present:
        await group_store.set_bot_present(db, group.id, False, now)
    return group


async def bot_joined(db: Database, now: datetime, chat_id: int, title: str) -> GroupRecord:
    """The bot was added (back) to a chat: known groups become active again."""
    group = await group_store.ensure_group(db, chat_id, title, now)
    if not group.bot_present:
        await group_store.set_bot_present(db, group.id, True, now)
        group = await group_store.get_group(db, group.id) or group
    return group


async def chat_migrated(db: Database, now: datetime, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: move it to its new chat id (idempotent)."""
    await group_store.migrate_chat(db, old_chat_id, new_chat_id, now)


@dataclass(frozen=True)
class GroupOverview:
    group: GroupRecord
    coordinator_names: list[str]
    members: int


async def overview(db: Database, group: GroupRecord) -> GroupOverview:
    """What /group shows: the registration, coordinator names (by name, `name_order`)
    and the member count."""
    from storage import users as user_store

    named = []
    for user_id in await coordinators(db, group.id):
        record = await user_store.get_user(db, user_id)
        named.append((record.first_name if record else str(user_id), user_id))
    names = [name for name, _ in by_name(named, lambda n: n[0], lambda n: n[1])]
    return GroupOverview(group, names, await group_store.member_count(db, group.id))
