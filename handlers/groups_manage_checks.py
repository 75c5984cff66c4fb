"""The check every /group command and button makes before it acts: the person is a stored
coordinator of the registered group AND still an admin of the Telegram group
(getChatMember), and the button was pressed in that group's chat (callback data is only a
hint). A refusal is answered here; the callers get None.

Separate from handlers/groups_manage.py because the group's other screens check the same
way: handlers/groups_coordinators.py and handlers/groups_settings.py.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.context import BotContext
from bot.services import groups as group_service
from handlers.common import answer_callback, reply
from handlers.guard import chat_admin_check
from storage.groups import GroupRecord


async def allowed(
    update: Update, context: BotContext, group_id: int, chat_id: int, user_id: int
) -> bool:
    """Stored coordinator of this registered group, the chat matches, and a Telegram admin."""
    services = context.services
    group = await group_service.group_by_id(services.db, group_id)
    if group is None or group.chat_id != chat_id:
        return False
    return await group_service.may_manage(
        services.db, services.settings, chat_admin_check(context, update), group_id, user_id
    )


async def group_of_command(update: Update, context: BotContext) -> GroupRecord | None:
    """The registered group of a command sent in it by a coordinator; answers otherwise."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    group = await group_service.group_for_chat(context.services.db, message.chat_id)
    if group is None or not group.is_registered:
        await reply(update, context, "grp.group.not_registered")
        return None
    if not await allowed(update, context, group.id, group.chat_id, user.id):
        await reply(update, context, "grp.group.not_coordinator")
        return None
    return group


async def callback_group(update: Update, context: BotContext, group_id: int) -> GroupRecord | None:
    """The group of a pressed button, if the presser may manage it (else answered)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message):
        await answer_callback(query, context, "core.stale_button")
        return None
    group = await group_service.group_by_id(context.services.db, group_id)
    if group is None or not group.is_registered or group.chat_id != message.chat_id:
        await answer_callback(query, context, "core.stale_button")
        return None
    if not await allowed(update, context, group_id, message.chat_id, query.from_user.id):
        await answer_callback(query, context, "core.not_allowed")
        return None
    return group
