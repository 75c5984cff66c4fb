"""One outbox row's message → one Bot API call: sendMessage / sendPhoto, or an edit of a
message sent earlier (with its fallback reply when Telegram refuses the edit); the other
kinds (polls, documents, locations) are bot/delivery_ops.py's.

Separate from bot/delivery.py, which decides when a row is sent and what its outcome
means for the row (retry, defer, skip, fail); this module only speaks to Telegram.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot import delivery_ops
from storage.db import Database
from storage.outbox import EditCaption, EditText, OutboxRow, SendOp, SendPhoto

log = logging.getLogger(__name__)


async def send(
    bot: ExtBot[Any], db: Database, chat_id: int, row: OutboxRow, thread_id: int | None = None
) -> int:
    """Send (or edit) `row`'s message in `chat_id` (in forum topic `thread_id`); returns the
    message id it left in the chat. Telegram's errors (RetryAfter, Forbidden, BadRequest,
    NetworkError, ChatMigrated) and a malformed payload's KeyError/TypeError/ValueError are
    the caller's to handle."""
    message = row.message
    markup = (
        InlineKeyboardMarkup.de_json(dict(message.reply_markup), bot)
        if message.reply_markup
        else None
    )
    # defer: the limiter raises RetryAfter instead of holding this row for a paused chat
    limit = {"priority": row.priority, "defer": True}
    if isinstance(message, (EditText, EditCaption)):
        return await _edit(bot, chat_id, message, markup, limit, thread_id)
    reply = (
        ReplyParameters(message_id=message.reply_to_message_id, allow_sending_without_reply=True)
        if message.reply_to_message_id
        else None
    )
    common: dict[str, Any] = {
        "reply_markup": markup,
        "reply_parameters": reply,
        "disable_notification": message.disable_notification,
        "message_thread_id": thread_id,
        "rate_limit_args": limit,
    }
    if isinstance(message, SendOp):  # polls, documents, locations
        return await delivery_ops.send(bot, db, chat_id, row, message, common)
    if isinstance(message, SendPhoto):
        sent = await bot.send_photo(chat_id, message.photo, caption=message.text, **common)
    else:
        sent = await bot.send_message(chat_id, message.text, **common)
    return sent.message_id


async def _edit(
    bot: ExtBot[Any],
    chat_id: int,
    message: EditText | EditCaption,
    markup: InlineKeyboardMarkup | None,
    limit: dict[str, Any],
    thread_id: int | None = None,
) -> int:
    message_id = message.message_id
    try:
        if isinstance(message, EditCaption):
            await bot.edit_message_caption(
                chat_id=chat_id,
                message_id=message_id,
                caption=message.text,
                reply_markup=markup,
            )
        else:
            await bot.edit_message_text(
                message.text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        return message_id
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return message_id
        if not message.fallback_text:
            raise
        log.info("delivery: edit refused in %s (%s); replying instead", chat_id, exc.message)
        reply = await bot.send_message(
            chat_id,
            message.fallback_text,
            reply_parameters=ReplyParameters(
                message_id=message_id, allow_sending_without_reply=True
            ),
            disable_notification=message.disable_notification,
            message_thread_id=thread_id,
            rate_limit_args=limit,
        )
        return reply.message_id
