"""Forum topics: where a group's alerts and tips are posted, and what happens when Telegram
refuses that topic (closed, deleted).

A group remembers the topic it was registered in (`groups.message_thread_id`, None for
General or a group without topics); the delivery worker posts there. When Telegram answers
a send with TOPIC_CLOSED, TOPIC_DELETED or "message thread not found", the group's
coordinators are told privately, once per problem: the next successful send to the group, or
a coordinator choosing a topic again, re-arms the notice.
"""

from __future__ import annotations

from datetime import datetime

from bot.i18n import LANGUAGES, normalize_language, t
from bot.ratelimit import PRIORITY_ALERT
from bot.services.roles import Actor, ChatAdminCheck, Role, actor_id, require_group_manager
from storage import groups as group_store
from storage import roles as role_store
from storage import users as user_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.outbox import OutgoingMessage, SendText

NOTICE_KIND = "notice"
# Telegram's descriptions (lower case) of a send into a topic that cannot take it.
_CLOSED = ("topic_closed",)
_GONE = ("topic_deleted", "message thread not found", "topic_id_invalid")


def is_topic_error(description: str) -> bool:
    """True for Telegram errors that mean the group's topic refuses the bot's posts."""
    text = description.lower()
    return any(marker in text for marker in (*_CLOSED, *_GONE))


def notice_key(description: str, message_thread_id: int | None) -> str:
    """The catalog key telling a coordinator what is wrong with the group's topic."""
    if any(marker in description.lower() for marker in _CLOSED):
        return "grp.topic.closed_general" if message_thread_id is None else "grp.topic.closed"
    return "grp.topic.gone"


async def _language_of(db: Database, user_id: int, fallback: str) -> str:
    """The person's chosen language, else their Telegram language, else `fallback`."""
    record = await user_store.get_user(db, user_id)
    if record is None:
        return fallback
    if record.language in LANGUAGES:
        return record.language
    return normalize_language(record.telegram_language_code, fallback)


async def topic_unavailable(
    db: Database, now: datetime, group: GroupRecord, description: str
) -> bool:
    """Posting in the group's topic failed with `description` (see is_topic_error).

    Enqueues one private notice per coordinator (kind "notice", alert priority) unless the
    coordinators were already told about this problem. Returns True when notices were enqueued.
    """
    if group.topic_error is not None:
        return False  # already told; skip the queries
    key = notice_key(description, group.message_thread_id)
    area = group.area_name or group.title
    notices = [
        OutgoingMessage(
            priority=PRIORITY_ALERT,
            kind=NOTICE_KIND,
            message=SendText(t(await _language_of(db, user_id, group.language), key, area=area)),
            chat_id=user_id,
            ref_id=group.id,
        )
        for user_id in await role_store.holders(db, Role.COORDINATOR, str(group.id))
    ]
    return await group_store.record_topic_error(db, group.id, description, notices, now)


async def topic_works(db: Database, now: datetime, group: GroupRecord) -> None:
    """A post in the group's topic succeeded: a later problem is told again."""
    if group.topic_error is not None:
        await group_store.clear_topic_error(db, group.id, now)


async def choose_topic(
    db: Database,
    now: datetime,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    message_thread_id: int | None,
) -> None:
    """Post alerts and tips in this topic from now on (None: General); audited.

    Refused (`grp.group.not_coordinator`) unless the actor manages the group."""
    await require_group_manager(db, is_chat_admin, actor, group_id, key="grp.group.not_coordinator")
    await group_store.set_topic(db, group_id, message_thread_id, actor_id(actor), now)
