"""The one error handler: log with the update's context, apologise to the right person.

* Telegram's "message is not modified" (a double-tapped button edits a message into what
  it already shows) is harmless: logged at debug level, the button answered, no apology.
* An apology goes to the person who asked: in a private chat, there; for a command or a
  button in a group, privately to that person (a short reply in the group, or a toast
  for a button, only when they never started the bot). Anything else that fails in a
  group (a member joining, a service message) never makes the bot speak there.
"""

from __future__ import annotations

import json
import logging

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services.refusals import Refused

log = logging.getLogger(__name__)


def is_harmless(error: object) -> bool:
    """Errors that mean nothing went wrong: an edit that would change nothing."""
    return isinstance(error, BadRequest) and "message is not modified" in str(error).lower()


def _is_command(update: Update) -> bool:
    message = update.message
    return message is not None and (message.text or "").startswith("/")


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (never the token) and tell the person something short."""
    if not isinstance(update, Update):
        log.error("error outside an update: %r", update, exc_info=context.error)
        return
    query = update.callback_query
    if isinstance(context.error, Refused):
        await answer_refusal(update, context, context.error)
        return
    if is_harmless(context.error):
        log.debug("harmless: %s (update %s)", context.error, update.update_id)
        if query is not None:
            await _answer(query)
        return
    summary = json.dumps(update.to_dict(), ensure_ascii=False, default=str)[:2000]
    log.error("error while handling update %s", summary, exc_info=context.error)
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    text = t(context.lang, "core.error")
    if chat.type == ChatType.PRIVATE:
        if query is not None:
            await _answer(query)
        await _send(context, chat.id, text)
        return
    if query is None and not _is_command(update):
        return  # not this person's request: nothing to say in the group
    if await _send(context, user.id, text):
        if query is not None:
            await _answer(query)
        return
    # They never started the bot: a toast for a button, a short reply for a command.
    if query is not None:
        await _answer(query, t_plain(context.lang, "core.error"))
    else:
        message = update.effective_message
        assert message is not None
        # In a forum, the reply stays in the topic the person wrote in.
        thread = message.message_thread_id if message.is_topic_message else None
        await _send(context, chat.id, text, reply_to=message.message_id, thread=thread)


async def answer_refusal(update: Update, context: BotContext, refusal: Refused) -> None:
    """Tell the person why not, in their language: a toast for a button, else a message.

    In a group the answer goes privately to the person (a refusal is about them), falling
    back to a reply in the group only when they never started the bot.
    """
    log.info("refused %s for update %s", refusal.key, update.update_id)
    query = update.callback_query
    if query is not None:
        await _answer(query, t_plain(context.lang, refusal.key, **refusal.params))
        return
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    text = t(context.lang, refusal.key, **refusal.params)
    if chat.type == ChatType.PRIVATE or not await _send(context, user.id, text):
        message = update.effective_message
        reply_to = message.message_id if message is not None else None
        # In a forum, the reply stays in the topic the person wrote in.
        thread = message.message_thread_id if message and message.is_topic_message else None
        await _send(context, chat.id, text, reply_to=reply_to, thread=thread)


async def _answer(query: CallbackQuery, text: str | None = None) -> None:
    try:
        await query.answer(text, show_alert=text is not None)
    except TelegramError:
        log.debug("could not answer callback query %s (already answered?)", query.id)


async def _send(
    context: BotContext,
    chat_id: int,
    text: str,
    reply_to: int | None = None,
    thread: int | None = None,
) -> bool:
    """Send the apology; False when the chat cannot be reached (blocked, never started)."""
    try:
        await without_result(
            context.bot.send_message(
                chat_id, text, reply_to_message_id=reply_to, message_thread_id=thread
            )
        )
    except Forbidden:
        log.info("could not apologise in chat %s: the bot may not write there", chat_id)
        return False
    except Exception:
        log.exception("could not send the apology to chat %s", chat_id)
        return False
    return True
