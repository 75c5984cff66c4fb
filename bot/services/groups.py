"""Watch groups: registration, area names, coordinators, the group's deep link, lifecycle.

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
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime

from telegram.helpers import create_deep_linked_url

from bot.services.kommuner import (
    Kommun,
    find_kommun_by_code,
    match_kommuner,
    split_misspelt_kommun,
    split_trailing_kommun,
    split_trailing_lan,
    suggest_kommuner,
)
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
from bot.textlen import utf16_len
from config import Settings
from storage import groups as group_store
from storage import roles as role_store
from storage.db import Database
from storage.groups import GroupRecord

AREA_MIN_LENGTH = 2
AREA_MAX_LENGTH = 64
KOMMUN_CHOICES = 8
KOMMUN_QUERY_LIMIT = 60  # characters of a typed kommun answer that are read

GROUP_PAYLOAD_PREFIX = "g"
# ASCII digits only: \d would take "١" (Arabic-Indic one), and hmac refuses non-ASCII text.
_PAYLOAD_RE = re.compile(r"^g([0-9]{1,15})_([A-Za-z0-9_-]{16})$")
_SPACES = re.compile(r"\s+")


def area_name_length(raw: str | None) -> int:
    """How long a typed area name is as :func:`clean_area_name` measures it (UTF-16 code
    units, whitespace collapsed), for a refusal that says the typed length."""
    return utf16_len(_SPACES.sub(" ", raw or "").strip())


def clean_area_name(raw: str | None) -> str | None:
    """An area name fit to store: control/format characters dropped, whitespace collapsed.

    Returns None when the result is shorter than AREA_MIN_LENGTH or longer than
    AREA_MAX_LENGTH characters.
    """
    if raw is None:
        return None
    kept = "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in unicodedata.normalize("NFC", raw)
        if ch in "\t\n\r\v\f" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    name = _SPACES.sub(" ", kept).strip()
    if not AREA_MIN_LENGTH <= utf16_len(name) <= AREA_MAX_LENGTH:
        return None
    return name


def split_area_and_kommun(args: str) -> tuple[str, str | None]:
    """`Storgatan, Sölvesborg` → ("Storgatan", "Sölvesborg"); without a comma no kommun."""
    if "," in args:
        area, _, kommun = args.rpartition(",")
        return area.strip(), (kommun.strip() or None)
    return args.strip(), None


def kommun_candidates(query: str) -> list[Kommun]:
    """Kommuner a typed name may mean: one when it is unambiguous, else the best few."""
    return match_kommuner(query, limit=KOMMUN_CHOICES)


@dataclass(frozen=True)
class KommunChoice:
    """What a typed kommun may mean: `kommuner` best first; `guessed` when they are
    spelling suggestions ("did you mean …?") rather than matches."""

    query: str | None
    kommuner: list[Kommun]
    guessed: bool = False


@dataclass(frozen=True)
class RegistrationInput:
    """`/register` arguments as read: the area (not yet cleaned) and its kommun."""

    area: str
    kommun: KommunChoice


def _in_lan(choice: KommunChoice, lan_code: str) -> KommunChoice | None:
    """`choice` narrowed to the kommuner of a län; None when it names none there."""
    kommuner = [k for k in choice.kommuner if k.lan_code == lan_code]
    return replace(choice, kommuner=kommuner) if kommuner else None


def choose_kommun(query: str | None) -> KommunChoice:
    """The kommuner a typed name matches, else the ones it may be a misspelling of. A län
    after the name ("Sölvesborg, Blekinge län") narrows them to that län."""
    if not query:
        return KommunChoice(None, [])
    if (lan := split_trailing_lan(query)) is not None:
        narrowed = _in_lan(_choose(lan[0]), lan[1])
        if narrowed is not None:
            return narrowed
    return _choose(query)


def _choose(query: str) -> KommunChoice:
    found = kommun_candidates(query)
    if found:
        return KommunChoice(query, found)
    return KommunChoice(query, suggest_kommuner(query), guessed=bool(suggest_kommuner(query)))


def read_registration(args: str) -> RegistrationInput:
    """Read `/register` arguments as people type them.

    `Storgatan, Sölvesborg` (comma), `Norra Möllebacken Sölvesborg`, `Ljungvägen i
    Sölvesborg`, `Torget Lilla Edet`, `Gatan Sölvesborgs kommun` (a kommun at the end) and
    `Norra Möllebacken Solvesbrg` (a misspelt one: suggestions) all give the area and the
    kommun; without any, `kommun.query` is None and the kommun must be asked for. A län
    written after the kommun (`… Sölvesborg Blekinge län`, `…, Sölvesborg, Blekinge`) is
    left out when the kommun lies in it.
    """
    if (lan := split_trailing_lan(args)) is not None:
        reading = _read_registration(lan[0])
        narrowed = _in_lan(reading.kommun, lan[1])
        if narrowed is not None:
            return RegistrationInput(reading.area, narrowed)
    return _read_registration(args)


def _read_registration(args: str) -> RegistrationInput:
    area, query = split_area_and_kommun(args)
    if query is not None or not area:
        return RegistrationInput(area, choose_kommun(query))
    trailing = split_trailing_kommun(area)
    if trailing is not None:
        return RegistrationInput(
            trailing.area, KommunChoice(trailing.query, list(trailing.kommuner))
        )
    misspelt = split_misspelt_kommun(area)
    if misspelt is not None:
        return RegistrationInput(
            misspelt.area, KommunChoice(misspelt.query, list(misspelt.kommuner), guessed=True)
        )
    return RegistrationInput(area, KommunChoice(None, []))


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
    """What /group shows: the registration, coordinator names and the member count."""
    from storage import users as user_store

    names = []
    for user_id in await coordinators(db, group.id):
        record = await user_store.get_user(db, user_id)
        names.append(record.first_name if record else str(user_id))
    return GroupOverview(group, names, await group_store.member_count(db, group.id))
