"""Every dialogue (ConversationHandler) is built by `dialogue()` with the project's
conventions, and the catch-all learns from here what each one is.

`dialogue()`: /cancel (/avbryt) ends it and forgets its state; it ends by itself after
`TIMEOUT` without an answer and says so politely; it is persistent under its name and may
be started again from inside itself; its states are `IntEnum`s; its state lives in typed
`UserData` attributes it names (bot/user_data.py).

Dialogue states are PTB's own, persisted with the update that changed them
(bot/persistence.py), so a dialogue continues after a restart or a crash. The private
catch-all (handlers/fallbacks.py) asks PTB which dialogue a person is in and at which
step, to say what the step wants; a dialogue whose state could not be resumed is marked
lost in storage, and the catch-all tells the person once how to start it again.

A step that wants typed text ends its handlers with `not_typed(question)`: a sticker,
photo, voice message, location, contact or file gets "please type it" and the step's
question again. `add_step_questions` gives the catch-all the same questions, to repeat
after an unknown command.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import Html, t
from bot.intake import intake_of
from bot.persistence import SqlitePersistence
from bot.routing import handlers_of
from bot.user_data import check_names
from handlers.common import cancel_handler, effective_message, send_step

log = logging.getLogger(__name__)

TIMEOUT = timedelta(minutes=30)
"""A dialogue without an answer this long ends by itself (read when it is built)."""

INFO_KEY = "grannvakt.dialogues"
StepReminder = Callable[[Update, BotContext, int, str], Awaitable[object]]
"""(update, context, step, prefix): ask the question of `step` again after `prefix`."""
_REMINDERS: dict[str, StepReminder] = {}


def add_step_reminder(name: str, remind: StepReminder) -> None:
    """Let the catch-all repeat the current question of dialogue `name` (for a message
    none of its steps took, e.g. an unknown command in the middle of it)."""
    _REMINDERS[name] = remind


def step_reminder(name: str) -> StepReminder | None:
    """The reminder a dialogue registered, or None (then a generic hint is given)."""
    return _REMINDERS.get(name)


Question = Callable[[Update, BotContext], Awaitable[tuple[str, InlineKeyboardMarkup | None]]]
"""(update, context) -> the question of a step (HTML) and its buttons, as first asked."""

TYPE_IT = "core.step.type_it"
"""The polite request to type, before a text step's question again."""


def not_typed(question: Question, key: str = TYPE_IT) -> MessageHandler:
    """The handler a step that wants typed text puts after its own: any other message
    (a sticker, photo, voice message, location, contact, file…; commands excepted, /cancel
    among them) gets `key` (please type it) and the step's `question` again, with its
    buttons, in the person's language; the dialogue stays at the step."""

    async def ask_to_type(update: Update, context: BotContext) -> None:
        text, markup = await question(update, context)
        request = t(context.lang, key)
        await send_step(effective_message(update), Html(f"{request}\n\n{text}"), markup)

    ask_to_type.__name__ = f"not_typed_{getattr(question, '__name__', 'question')}"
    fresh = filters.UpdateType.MESSAGE  # an edit of an earlier message is no answer
    return MessageHandler(filters.ChatType.PRIVATE & fresh & ~filters.COMMAND, ask_to_type)


def add_step_questions(name: str, questions: Mapping[Any, Question]) -> None:
    """Let the catch-all repeat the question of dialogue `name`'s step after a message
    none of its steps took (an unknown command): `questions` by step (PTB state); a step
    not among them (one answered with buttons) gets the hint to press a button."""

    async def remind(update: Update, context: BotContext, state: int, prefix: str) -> None:
        message = effective_message(update)
        question = questions.get(state)
        if question is None:
            what, _ = describe(infos(context).get(name), context.lang)
            hint = t(context.lang, "core.dialogue.use_buttons", what=what)
            await without_result(
                message.reply_text(Html(f"{prefix}\n\n{hint}" if prefix else hint))
            )
            return
        text, markup = await question(update, context)
        await send_step(message, Html(f"{prefix}\n\n{text}" if prefix else text), markup)

    add_step_reminder(name, remind)


@dataclass(frozen=True)
class DialogueInfo:
    """What the catch-all needs to know of a dialogue."""

    name: str
    what_key: str  # i18n key naming the dialogue ("your report")
    command: str  # the command that starts it (English name)
    swedish_command: str | None
    button_states: frozenset[object]  # steps answered only with buttons (PTB state keys)

    def command_for(self, lang: str) -> str:
        return self.swedish_command if lang == "sv" and self.swedish_command else self.command


# ConversationHandler name -> (what, English command, Swedish command). A dialogue not
# listed here is still tracked and is described as "your dialogue", started with /help.
_DESCRIPTIONS: dict[str, tuple[str, str, str | None]] = {
    "observation_report": ("core.dialogue.report", "report", "rapportera"),
    "alert_compose": ("core.dialogue.alert", "alert", "larm"),
    "alert_update": ("core.dialogue.alert_update", "alerts", "larmlista"),
    "observation_note": ("core.dialogue.note", "observations", "observationer"),
    "tips_library": ("core.dialogue.tip", "tips", None),
    "survey_compose": ("core.dialogue.survey", "survey", "enkat"),
    "presence_compose": ("core.dialogue.presence", "presence", "narvaro"),
    "presence_move": ("core.dialogue.presence_move", "presences", "narvarolista"),
}


def describe(info: DialogueInfo | None, lang: str) -> tuple[str, str]:
    """(what, command) for a dialogue in a language, e.g. ("din rapport", "rapportera")."""
    if info is None:
        return t(lang, "core.dialogue.other"), ("hjalp" if lang == "sv" else "help")
    return t(lang, info.what_key), info.command_for(lang)


def infos(context: BotContext) -> dict[str, DialogueInfo]:
    """The tracked dialogues of the application, by name."""
    return context.bot_data.get(INFO_KEY, {})


def track_dialogues(application: Application) -> None:
    """Describe every named ConversationHandler registered so far (idempotent)."""
    found: dict[str, DialogueInfo] = application.bot_data.setdefault(INFO_KEY, {})
    for handler in handlers_of(application):
        if isinstance(handler, ConversationHandler) and handler.name:
            found[handler.name] = _describe(handler)


def _describe(conversation: ConversationHandler) -> DialogueInfo:
    name = conversation.name
    assert name is not None
    button_states = frozenset(
        state
        for state, step_handlers in conversation.states.items()
        if state != ConversationHandler.TIMEOUT
        and not any(isinstance(h, MessageHandler) for h in step_handlers)
    )
    what, command, swedish = _DESCRIPTIONS.get(name, ("core.dialogue.other", "help", "hjalp"))
    return DialogueInfo(name, what, command, swedish, button_states)


def dialogue(
    name: str,
    *,
    entry_points: Sequence[BaseHandler[Any, Any, Any]],
    states: Mapping[Any, Sequence[BaseHandler[Any, Any, Any]]],
    state: Sequence[str],
    fallbacks: Sequence[BaseHandler[Any, Any, Any]] = (),
) -> ConversationHandler:
    """A persistent, named ConversationHandler with the project's conventions.

    `state`: the `UserData` attributes the dialogue keeps its draft in (checked now);
    /cancel and the timeout forget them. `fallbacks` come after /cancel (e.g. a handler
    for the dialogue's buttons pressed outside their step). Per chat and user, so a
    dialogue's buttons are not tracked per message (PTB's warning about that is meant)."""
    names = check_names(*state)
    _STATE_NAMES[name] = names
    for entry in entry_points:  # starting this dialogue ends any other open one first
        entry.callback = _taking_over(name, entry.callback)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=list(entry_points),
            states={
                **{key: list(handlers) for key, handlers in states.items()},
                ConversationHandler.TIMEOUT: [TypeHandler(Update, _timed_out(name, names))],
            },
            fallbacks=[cancel_handler(*names), *fallbacks],
            allow_reentry=True,
            conversation_timeout=TIMEOUT.total_seconds(),
            name=name,
            persistent=True,
        )


# Each dialogue's UserData attributes, by dialogue name (filled by `dialogue`).
_STATE_NAMES: dict[str, tuple[str, ...]] = {}


def _taking_over(name: str, callback: Any) -> Any:
    async def entry(update: Update, context: BotContext) -> Any:
        await end_other_dialogues(update, context, keep=name)
        return await callback(update, context)

    entry.__name__ = getattr(callback, "__name__", "entry")
    entry.__doc__ = getattr(callback, "__doc__", None)
    return entry


async def end_other_dialogues(update: Update, context: BotContext, keep: str | None) -> None:
    """End every other open dialogue of this person in this chat (every one when `keep` is
    None), with its draft and its timeout: a new command replaces the dialogue the person
    left, else their next answer would go to the older one (the first registered that
    waits for text); a person erased leaves no dialogue behind."""
    for handler in handlers_of(context.application):
        if not isinstance(handler, ConversationHandler) or handler.name in (None, keep):
            continue
        try:
            key = handler._get_key(update)
        except RuntimeError:  # an update without the chat or user the key needs
            continue
        if key not in handler._conversations:
            continue
        handler._update_state(ConversationHandler.END, key)
        job = handler.timeout_jobs.pop(key, None)
        if job is not None:
            job.schedule_removal()
        names = _STATE_NAMES.get(str(handler.name))
        if names and context.user_data is not None:
            context.user_data.forget(*names)
        log.info(
            "dialogue %s ended: %s",
            handler.name,
            f"the person started {keep}" if keep else "erased",
        )


def _timed_out(
    name: str, names: tuple[str, ...]
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    async def timed_out(update: Update, context: BotContext) -> None:
        """PTB ended the dialogue (`update` is the last one it took): forget its draft,
        store that at once (no update of the person's will), and say so."""
        if context.user_data is not None:
            context.user_data.forget(*names)
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        persistence = context.application.persistence
        if isinstance(persistence, SqlitePersistence):
            # PTB ends the state only after this callback: it is written as ended here.
            changes = persistence.changes_of(context.application, update)
            changes.conversations[(name, chat.id, user.id)] = None
            intake = intake_of(context.application)
            if intake is not None:  # its batch may hold this person's older state
                await intake.flush()
            await persistence.save_done(changes, [])
        what, command = describe(infos(context).get(name), context.lang)
        text = t(context.lang, "core.dialogue.timed_out", what=what, command=command)
        try:
            await without_result(context.bot.send_message(chat.id, text))
        except TelegramError as exc:  # the dialogue has ended all the same
            log.warning("timeout notice of %s not sent: %s", name, exc)

    return timed_out
