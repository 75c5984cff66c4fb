"""Every dialogue records its current step in storage, in one generic way.

A ConversationHandler keeps its state in memory, so a restart loses every dialogue in
progress. `track_dialogues` wraps the callbacks of all ConversationHandlers of the
application: whatever step a callback returns is written to storage (END forgets it).
The private catch-all (handlers/fallbacks.py) then knows, for a message no step took,
whether the person's dialogue was lost in a restart (tell them how to start again) or is
still running and waits for something else (say what the step wants).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, ConversationHandler, MessageHandler

from bot.context import SERVICES_KEY, BotContext
from bot.i18n import t
from bot.services import dialogues as dialogue_service

INFO_KEY = "grannvakt.dialogues"
_TRACKED = "_grannvakt_dialogue"
_Callback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]

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
    """Instrument every named ConversationHandler registered so far (idempotent)."""
    found: dict[str, DialogueInfo] = application.bot_data.setdefault(INFO_KEY, {})
    for handlers in application.handlers.values():
        for handler in handlers:
            if isinstance(handler, ConversationHandler) and handler.name:
                found[handler.name] = _instrument(handler)


async def mark_lost_dialogues(application: Application) -> None:
    """Start-up hook: every dialogue recorded by the previous process is lost."""
    services = application.bot_data[SERVICES_KEY]
    await dialogue_service.lost_at_startup(services.db, services.clock.now())


def _instrument(conversation: ConversationHandler) -> DialogueInfo:
    name = conversation.name
    assert name is not None
    inner = [*conversation.entry_points, *conversation.fallbacks]
    for step_handlers in conversation.states.values():
        inner.extend(step_handlers)
    for handler in inner:
        if not getattr(handler.callback, _TRACKED, False):
            handler.callback = _tracked(handler.callback, name)
    button_states = frozenset(
        state
        for state, step_handlers in conversation.states.items()
        if not any(isinstance(h, MessageHandler) for h in step_handlers)
    )
    what, command, swedish = _DESCRIPTIONS.get(name, ("core.dialogue.other", "help", "hjalp"))
    return DialogueInfo(name, what, command, swedish, button_states)


def _tracked(callback: _Callback, name: str) -> _Callback:
    @functools.wraps(callback)
    async def tracked(update: Update, context: BotContext) -> object:
        result = await callback(update, context)
        await _record(update, context, name, result)
        return result

    setattr(tracked, _TRACKED, True)
    return tracked


async def _record(update: object, context: BotContext, name: str, result: object) -> None:
    if not isinstance(update, Update) or update.effective_user is None:
        return
    chat = update.effective_chat
    if chat is None or result is None or isinstance(result, bool) or not isinstance(result, int):
        return
    services = context.services
    user_id = update.effective_user.id
    if result == ConversationHandler.END:
        await dialogue_service.ended(services.db, user_id, chat.id, name)
    elif result >= 0:
        await dialogue_service.moved(
            services.db, services.clock.now(), user_id, chat.id, name, result
        )
