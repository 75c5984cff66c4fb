"""Catch-alls, installed at start-up after every other handler: nothing goes unanswered.

* A button no handler took (old, forged, or from a dialogue lost in a restart) is
  answered "this button has expired", so it never keeps spinning.
* In a private chat, a message no handler took gets, in this order:
  - the dialogues a restart could not resume, and how to start each again;
  - inside a running dialogue whose step could not take it: what the step waits for
    (for an unknown command: that the dialogue is still open, its question again when
    the dialogue registered a step reminder, and /cancel to stop);
  - for an unknown command (also a bare "/"): "I don't know that command";
  - otherwise a short pointer to /help, with a Report button for residents.
* In a group, a command addressed to this bot by name (`/whatever@grannvakt_bot`) that
  no handler took is answered "I don't know that command"; other commands may be for
  other bots and stay unanswered.
* In a group, a reply to one of the bot's questions that asks for a reply ("which
  kommun?") that nothing took any more (answered already, or lost in a restart) is told
  the question expired. Other group messages are never answered from here.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.api_request import without_result
from bot.context import SERVICES_KEY, BotContext
from bot.i18n import LANGUAGES, t, t_plain, template
from bot.persistence import current_states
from bot.services import dialogues as dialogue_service
from bot.services import groups as group_service
from bot.services import observations as observation_service
from handlers.common import answer_callback
from handlers.dialogues import describe, infos, step_reminder, track_dialogues
from handlers.groups_pending import PENDING_KEY
from handlers.observations_buttons import TRIAGE_BUTTONS

REPORT_DEEP_LINK = "report"  # /start report opens the report dialogue


async def expired_button(update: Update, context: BotContext) -> None:
    """Any button press no feature handler took."""
    query = update.callback_query
    assert query is not None
    await answer_callback(query, context, "core.stale_button")


async def refused_observation_button(update: Update, context: BotContext) -> None:
    """An observation button whose values no handler accepted (out of range, forged)."""
    query = update.callback_query
    assert query is not None
    await answer_callback(query, context, "core.not_allowed", alert=True)


async def unanswered_private(update: Update, context: BotContext) -> None:
    """A private message nothing else answered: say what happened and what to do."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services, lang = context.services, context.lang
    known = infos(context)
    lost = await dialogue_service.lost(services.db, user.id, message.chat_id)
    if lost:
        lines = []
        for name in lost:
            what, command = describe(known.get(name), lang)
            what = what[:1].upper() + what[1:]
            lines.append(t(lang, "core.dialogue.interrupted", What=what, command=command))
        await dialogue_service.told_interrupted(services.db, user.id, message.chat_id)
        await without_result(message.reply_text("\n\n".join(lines)))
        return
    is_command = (message.text or "").startswith("/")
    running = current_states(context.application, message.chat_id, user.id)
    if running:
        # A dialogue is open: say so (also for an unknown command) and what its step wants.
        name, state = running[0]
        info = known.get(name)
        what, _ = describe(info, lang)
        remind = step_reminder(name)
        prefix = t(lang, "core.dialogue.unknown_command", what=what) if is_command else ""
        if remind is not None and is_command:
            await remind(update, context, state, prefix)
            return
        wants_buttons = info is not None and state in info.button_states
        key = "core.dialogue.use_buttons" if wants_buttons else "core.dialogue.send_text"
        hint = t(lang, key, what=what)
        await without_result(message.reply_text(f"{prefix}\n\n{hint}" if prefix else hint))
        return
    if is_command:
        await without_result(message.reply_text(t(lang, "core.unknown_command")))
        return
    await _pointer(message, context, user.id)


async def _pointer(message: Message, context: BotContext, user_id: int) -> None:
    services, lang = context.services, context.lang
    markup = None
    if await observation_service.reporting_groups(services.db, user_id):
        link = group_service.deep_link(context.bot.username, REPORT_DEEP_LINK)
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(t_plain(lang, "core.pointer.report_button"), url=link)]]
        )
    await without_result(message.reply_text(t(lang, "core.pointer"), reply_markup=markup))


# The bot's questions that ask for a reply; recognised by their closing sentence.
_REPLY_QUESTIONS = (
    "grp.register.ask_kommun",  # asked before issue 13
    "grp.register.no_kommun",
    "onb.register.ask_kommun",
    "onb.register.no_kommun",
    "onb.register.did_you_mean",
)


@functools.cache
def _reply_question_endings() -> tuple[str, ...]:
    """The fixed closing words of each reply-asking question, in every language."""
    endings = []
    for lang in LANGUAGES:
        for key in _REPLY_QUESTIONS:
            tail = re.sub(r"<[^>]+>", "", template(lang, key).rsplit("}", 1)[-1])
            endings.append(re.split(r"[?”“\"]", tail)[-1].lstrip(" .,!").strip())
    return tuple(e for e in endings if e)


async def expired_group_question(update: Update, context: BotContext) -> None:
    """A reply in a group to a question of the bot that no longer waits for one."""
    message = update.effective_message
    if message is None or message.reply_to_message is None:
        return
    replied = message.reply_to_message
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    pending = context.bot_data.get(PENDING_KEY, {}).get(message.chat_id)
    if pending is not None and pending.prompt_message_id == replied.message_id:
        # Still waiting; a text answer would have been taken (handlers.groups).
        await without_result(message.reply_text(t(context.lang, "core.reply.kommun_as_text")))
        return
    if any(ending in (replied.text or "") for ending in _reply_question_endings()):
        await without_result(message.reply_text(t(context.lang, "core.reply.expired")))


def addressed_to_bot(message: Message, bot_username: str | None) -> bool:
    """True for a command written as `/name@<this bot>`."""
    word = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    _, at, username = word.partition("@")
    return bool(at and bot_username) and username.casefold() == (bot_username or "").casefold()


async def unknown_group_command(update: Update, context: BotContext) -> None:
    """A command for this bot, by name, in a group that no handler took."""
    message = update.effective_message
    if message is not None and addressed_to_bot(message, context.bot.username):
        await without_result(message.reply_text(t(context.lang, "core.unknown_command")))


class _SwedishCommand(filters.MessageFilter):
    """`/hjälp`, `/språk` (any case, composed or not): the Swedish spelling of a command
    Telegram cannot register (command names are ASCII)."""

    def __init__(self, *ascii_names: str) -> None:
        super().__init__(name=f"SwedishCommand{ascii_names}")
        self._names = frozenset(ascii_names)

    def filter(self, message: Message) -> bool:
        text = message.text or ""
        if not text.startswith("/"):
            return False
        word = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
        word = word.split("@", 1)[0]
        if word.isascii():
            return False  # the CommandHandlers take the ASCII spellings
        folded = unicodedata.normalize("NFKD", word.casefold())
        plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
        return plain in self._names


def swedish_command(*ascii_names: str) -> filters.MessageFilter:
    """A filter for the diacritic spellings of Swedish command aliases."""
    return _SwedishCommand(*ascii_names)


def register(application: Application) -> None:
    """Install the catch-alls at start-up, after every handler anyone registered."""
    services = application.bot_data[SERVICES_KEY]
    services.startup_hooks.append(_add_catch_alls)


async def _add_catch_alls(application: Application) -> None:
    # At start-up rather than at build time, so that they really come last: also after
    # handlers added to the built application (tests add some).
    track_dialogues(application)
    # The observation screens always answered a button they could not take "not allowed".
    application.add_handler(
        CallbackQueryHandler(refused_observation_button, pattern=TRIAGE_BUTTONS)
    )
    application.add_handler(CallbackQueryHandler(expired_button))
    private_message = (
        filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL
    )
    application.add_handler(MessageHandler(private_message, unanswered_private))
    group_reply = (
        filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.REPLY & ~filters.COMMAND
    )
    application.add_handler(MessageHandler(group_reply, expired_group_question))
    group_command = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.COMMAND
    application.add_handler(MessageHandler(group_command, unknown_group_command))
