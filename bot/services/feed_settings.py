"""A group's settings for the police's news feed (which types, quiet hours): who may change them.

The rule is the one for the group's tips: its coordinators (Telegram still calling them
admins of the chat), bot admins and system actors (`roles.require_group_manager`).
"""

from __future__ import annotations

from datetime import datetime

from bot.services.roles import Actor, ChatAdminCheck, actor_id, require_group_manager
from storage import feed as feed_store
from storage.db import Database
from storage.feed import GroupFeedSettings


async def group_settings(db: Database, group_id: int) -> GroupFeedSettings:
    """A group's feed settings (the defaults when it has none stored)."""
    return await feed_store.group_settings(db, group_id)


async def save_group_settings(
    db: Database,
    now: datetime,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    settings: GroupFeedSettings,
) -> None:
    """Store a group's feed settings (audited with the actor). Raises
    `Refused("feed.not_allowed")` unless the actor manages the group."""
    await require_group_manager(
        db, is_chat_admin, actor, settings.group_id, admins=True, key="feed.not_allowed"
    )
    await feed_store.save_group_settings(db, settings, actor_id(actor), now)
