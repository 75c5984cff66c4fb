"""The welcome post a group gets when it is registered (pinned when the bot may pin), the
group's two deep links on it (join, report), and `send_to_group`, which posts into a group
following a supergroup migration and noting a removal.

Separate from handlers/groups.py (the /register conversation) because the group's other
handlers post and link the same way: handlers/groups_hello.py (a new member's hello) and
handlers/groups_manage.py (/group).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import ChatMigrated, Forbidden, TelegramError

from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import groups as group_service
from bot.services import onboarding
from handlers.common import with_retries
from handlers.observations_notify import open_chat_request
from storage.groups import GroupRecord

log = logging.getLogger(__name__)


async def send_to_group(
    context: BotContext,
    chat_id: int,
    text: str,
    *,
    message_thread_id: int | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send into a group, following a supergroup migration and noting a removal (None)."""
    services = context.services
    try:
        # Sent directly, not through the outbox: the welcome is pinned, which needs its id.
        return await with_retries(
            lambda: context.bot.send_message(
                chat_id, text, message_thread_id=message_thread_id, reply_markup=reply_markup
            )
        )
    except ChatMigrated as exc:
        await group_service.chat_migrated(
            services.db, services.clock.now(), chat_id, exc.new_chat_id
        )
        return await context.bot.send_message(
            exc.new_chat_id, text, message_thread_id=message_thread_id, reply_markup=reply_markup
        )
    except Forbidden:
        await group_service.bot_left(services.db, services.clock.now(), chat_id)
        return None


async def post_welcome(
    context: BotContext,
    group: GroupRecord,
    lang: str,
    user_id: int,
    name: str,
    message_thread_id: int | None,
) -> None:
    """The welcome post in the registering person's language: what comes in the group,
    what the bot's link is for; pinned when the bot may pin, remembered once sent."""
    explanation: str = t(lang, "onb.welcome", area=group.area_name or "")
    language = t(lang, f"tips.lang.{group.language}")
    explanation += "\n\n" + t(lang, "onb.welcome.language", language=language)
    if ask := await open_chat_request(context, user_id, name, lang):
        explanation += "\n\n" + ask  # the button below opens the private chat
    sent = await send_to_group(
        context,
        group.chat_id,
        explanation,
        message_thread_id=message_thread_id,
        reply_markup=welcome_keyboard(context, lang, group.id),
    )
    if sent is None:
        return
    services = context.services
    await onboarding.remember_welcome(services.db, services.clock.now(), group.id, sent.message_id)
    try:
        await context.bot.pin_chat_message(sent.chat_id, sent.message_id, disable_notification=True)
    except TelegramError as exc:  # no right to pin: the post stays, unpinned
        log.info("welcome in %s not pinned: %s", sent.chat_id, exc)


def welcome_keyboard(context: BotContext, lang: str, group_id: int) -> InlineKeyboardMarkup:
    """The group's two links: connect to the group in Grannvakt, and report."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(lang, "grp.explain.button"), url=group_link(context, group_id)
                )
            ],
            [
                InlineKeyboardButton(
                    t_plain(lang, "grp.explain.report_button"), url=report_link(context, group_id)
                )
            ],
        ]
    )


def group_link(context: BotContext, group_id: int) -> str:
    """The group's deep link (opens a private chat with the bot)."""
    token = context.services.settings.bot_token.get_secret_value()
    return group_service.deep_link(
        context.bot.username, group_service.group_payload(token, group_id)
    )


def report_link(context: BotContext, group_id: int) -> str:
    """The group's report link: opens a private chat, joins the group, starts /report."""
    token = context.services.settings.bot_token.get_secret_value()
    return group_service.deep_link(
        context.bot.username, group_service.report_payload(token, group_id)
    )
