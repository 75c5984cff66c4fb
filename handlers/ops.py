"""/id (/whoami): a person's Telegram user id, and in a group the group's chat id, so an
operator can fill ADMIN_USER_IDS without a third-party bot."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.commands import EVERYONE, CommandSpec, Where
from bot.context import BotContext
from handlers.common import is_private, reply

COMMANDS = [CommandSpec("id", "cmd.id", EVERYONE, Where.BOTH)]


async def id_command(update: Update, context: BotContext) -> None:
    """Answer with the sender's user id (and the chat id in a group)."""
    user = update.effective_user
    chat = update.effective_chat
    assert chat is not None
    if is_private(update) and user is not None:
        await reply(update, context, "ops.id.private", user_id=user.id)
    elif update.effective_message is not None and update.effective_message.sender_chat:
        # An anonymous admin (or a channel) writes as a chat: no user id to tell.
        await reply(update, context, "ops.id.anonymous", chat_id=chat.id)
    elif user is not None:
        await reply(update, context, "ops.id.group", user_id=user.id, chat_id=chat.id)


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["id", "whoami"], id_command))
