"""Small helpers shared by handler modules: reading updates and answering politely."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import CommandHandler, ConversationHandler

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.i18n import Html, t
from bot.services.presence_time import EXAMPLE_DAYS_AHEAD, typed_examples
from bot.user_data import UserData, check_names
from storage.groups import GroupRecord

log = logging.getLogger(__name__)
T = TypeVar("T")

# Pauses before the second and third attempt of a dialogue's message (seconds): a 502 or
# a dropped connection usually passes within a second or two.
STEP_RETRY_PAUSES = (0.5, 1.5)

_T = TypeVar("_T")

# A dialogue step's callback: returns the next state (or ConversationHandler.END).
StepCallback = Callable[[Update, BotContext], Coroutine[Any, Any, int]]


class UpdateShapeError(LookupError):
    """A handler got an update without a part its filters promised (a wiring mistake)."""


def _present(value: _T | None, what: str) -> _T:
    if value is None:
        raise UpdateShapeError(f"the update has no {what}")
    return value


def callback_query(update: Update) -> CallbackQuery:
    """`update.callback_query`; raises UpdateShapeError when the update is not a button
    press (a CallbackQueryHandler only sees presses)."""
    return _present(update.callback_query, "callback query")


def callback_query_data(update: Update) -> tuple[CallbackQuery, str]:
    """The pressed button's query and its callback data.

    Raises UpdateShapeError when the update has no callback query or the query no data
    (a game button); CallbackQueryHandlers with a pattern only see queries with data."""
    query = callback_query(update)
    return query, _present(query.data, "callback data")


Button = TypeVar("Button", bound=CallbackData)


def pressed(update: Update, kind: type[Button]) -> tuple[CallbackQuery, Button]:
    """The pressed button's query and its typed value (the handler's pattern is
    `kind.filter()`, so anything else raises `InvalidCallback`)."""
    query = callback_query(update)
    return query, kind.unpack(query.data)


def effective_user(update: Update) -> User:
    """`update.effective_user`; raises UpdateShapeError when it is missing (channel posts,
    polls): handlers for commands, messages and buttons always have one."""
    return _present(update.effective_user, "effective user")


def effective_chat(update: Update) -> Chat:
    """`update.effective_chat`; raises UpdateShapeError when it is missing."""
    return _present(update.effective_chat, "effective chat")


def effective_message(update: Update) -> Message:
    """`update.effective_message`; raises UpdateShapeError when it is missing (e.g. a
    button on a message too old for Telegram to include)."""
    return _present(update.effective_message, "effective message")


def message_text(update: Update) -> str:
    """The text of `update.effective_message`; raises UpdateShapeError when there is none
    (a handler behind `filters.TEXT` always has one)."""
    return _present(effective_message(update).text, "message text")


def user_data(context: BotContext) -> UserData:
    """`context.user_data`; raises UpdateShapeError for an update without a user, which is
    the only case PTB leaves it None."""
    return _present(context.user_data, "user (so no user_data)")


def time_examples(context: BotContext, days: int = EXAMPLE_DAYS_AHEAD) -> dict[str, str]:
    """The example day for a prompt that asks for a typed time (`typed_examples`: `days`
    after the bot's clock, in its time zone), as the text's `day` and `short_day`."""
    services = context.services
    return typed_examples(services.clock.now(), services.settings.tzinfo, days)


def is_private(update: Update) -> bool:
    """True when the update comes from a private chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def reply(update: Update, context: BotContext, key: str, /, **params: object) -> None:
    """Answer in the chat of the update with a catalog text in the user's language."""
    message = update.effective_message
    if message is not None:
        await without_result(message.reply_text(t(context.lang, key, **params)))


async def answer_callback(
    query: CallbackQuery, context: BotContext, key: str, /, alert: bool = False, **params: object
) -> None:
    """Answer a button press with a short toast (plain text: Telegram does not parse it).
    Never raises: see `answer_query`."""
    from bot.i18n import t_plain

    await answer_query(query, t_plain(context.lang, key, **params), show_alert=alert)


async def answer_query(
    query: CallbackQuery, text: str | None = None, *, show_alert: bool = False
) -> bool:
    """Answer a button press; the toast is cosmetic, so a refusal is logged, never raised.

    Telegram refuses answers to presses older than its window ("query is too old and
    response timeout expired or query ID is invalid"), e.g. after a restart; the press's
    work must be done anyway, so call this after the work. Returns False when refused."""
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as exc:
        log.debug("callback answer refused: %s", exc.message)
        return False
    except TelegramError as exc:  # a timeout or a dropped connection: still cosmetic
        log.info("callback answer failed: %s", exc)
        return False
    return True


def cancel_handler(*state: str) -> CommandHandler:
    """The `/cancel` (`/avbryt`) fallback every ConversationHandler includes.

    `state` names the `UserData` attributes this dialogue keeps its half-filled state in;
    each dialogue has its own, so cancelling one never touches another's state.
    """
    check_names(*state)

    async def cancel_conversation(update: Update, context: BotContext) -> int:
        if context.user_data is not None:
            context.user_data.forget(*state)
        await reply(update, context, "core.cancel.done")
        return ConversationHandler.END

    return CommandHandler(["cancel", "avbryt"], cancel_conversation)


# Long lists in one message are cut here: 4096 characters hold about 35 group lines, and
# Telegram refuses longer texts. The rest is summarised in one "…and N more" line.
LIST_LIMIT = 25


def group_lines(lang: str, groups: Sequence[GroupRecord], limit: int = LIST_LIMIT) -> Html:
    """One line per group (area and kommun), at most `limit`, then "…and N more"."""
    from bot.services import groups as group_service

    lines = [
        t(
            lang,
            "grp.start.line",
            area=g.area_name or g.title,
            kommun=group_service.kommun_label(g.kommun_code),
        )
        for g in groups[:limit]
    ]
    if len(groups) > limit:
        lines.append(t(lang, "core.list.more", count=len(groups) - limit))
    return Html("\n".join(lines))


def is_transient(exc: BaseException) -> bool:
    """A failure a retry may cure: a 5xx, a timeout or a dropped connection (PTB's
    NetworkError and TimedOut). BadRequest (a NetworkError subclass in PTB), Forbidden and
    RetryAfter (already waited for by bot/ratelimit.py) are answers, not accidents."""
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """`call()` (one Bot API request), repeated after a transient failure (see
    `is_transient`) up to len(STEP_RETRY_PAUSES) times; the last failure propagates.

    Only for requests whose repetition is harmless: a message may then arrive twice (the
    first attempt took effect but its answer was lost), which is far better than a dialogue
    whose state and screen disagree."""
    for pause in STEP_RETRY_PAUSES:
        try:
            return await call()
        except NetworkError as exc:
            if not is_transient(exc):
                raise
            log.info("Telegram call failed (%s); trying again in %.1f s", exc, pause)
        await asyncio.sleep(pause)
    return await call()


async def send_step(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send a dialogue's next question as a new message in `message`'s chat (and topic);
    call it as the last thing before returning the step it asks for.

    A transient failure is retried (`with_retries`), so the dialogue enters the step the
    person sees. If every attempt fails the error propagates: the step's callback raises,
    the dialogue stays at the step the person just answered, and the error handler's
    apology asks them to try again (sending the same answer again moves the dialogue on)."""
    await with_retries(lambda: without_result(message.reply_text(text, reply_markup=markup)))


async def send_closing(message: Message, text: str) -> None:
    """Send the message that closes a dialogue after its work is stored (a confirmation, a
    reference); retried like `send_step`. Never raises a TelegramError: the work is done and
    the dialogue must end whatever happens here, since answering the same input again would
    do it twice. A message that could not be sent is logged."""
    try:
        await with_retries(lambda: without_result(message.reply_text(text)))
    except TelegramError as exc:
        log.warning("closing message of a dialogue not sent to chat %s: %s", message.chat_id, exc)


async def show_step(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit a dialogue's pressed message into its next step, so that the screen follows the
    state the dialogue enters even when the edit's answer is lost.

    An edit is idempotent, so a transient failure is retried (`with_retries`): a retry of
    an edit that did take effect answers "message is not modified", which means the screen
    already shows the step. If every attempt fails, the step is sent as a new message
    (retried too; at worst shown twice, never missing). If that fails as well, the error
    propagates and the dialogue stays where it was."""

    async def edit() -> None:
        try:
            await without_result(query.edit_message_text(text, reply_markup=markup))
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise

    try:
        await with_retries(edit)
    except NetworkError as exc:
        if not is_transient(exc) or query.message is None:
            raise
        log.info("step edit failed (%s); sending the step as a new message", exc)
        chat_id = query.message.chat.id
        bot = query.get_bot()
        await with_retries(
            lambda: without_result(bot.send_message(chat_id, text, reply_markup=markup))
        )
