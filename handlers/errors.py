"""The one error handler: log with the update's context, apologise in the user's language."""

from __future__ import annotations

import json
import logging

from telegram import Update
from telegram.error import Forbidden

from bot.context import BotContext
from bot.i18n import t

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (never the token) and tell the person something short."""
    if isinstance(update, Update):
        summary = json.dumps(update.to_dict(), ensure_ascii=False, default=str)[:2000]
        log.error("error while handling update %s", summary, exc_info=context.error)
    else:
        log.error("error outside an update: %r", update, exc_info=context.error)
        return
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except Exception:
            log.debug("could not answer callback query after an error")
    chat = update.effective_chat
    if chat is None:
        return
    message = update.effective_message
    # In a forum, apologise in the topic the person wrote in (General otherwise).
    thread = message.message_thread_id if message and message.is_topic_message else None
    try:
        await context.bot.send_message(
            chat.id, t(context.lang, "core.error"), message_thread_id=thread
        )
    except Forbidden:
        log.info("could not apologise in chat %s: bot is blocked or removed", chat.id)
    except Exception:
        log.exception("could not send the apology to chat %s", chat.id)
