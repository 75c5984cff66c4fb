"""What the catch-all needs to know of each dialogue (ConversationHandler).

Dialogue states are PTB's own, persisted with the update that changed them
(bot/persistence.py), so a dialogue continues after a restart or a crash. The private
catch-all (handlers/fallbacks.py) asks PTB which dialogue a person is in and at which
step, to say what the step wants; a dialogue whose state could not be resumed is marked
lost in storage, and the catch-all tells the person once how to start it again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import t

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
    """Describe every named ConversationHandler registered so far (idempotent)."""
    found: dict[str, DialogueInfo] = application.bot_data.setdefault(INFO_KEY, {})
    for handlers in application.handlers.values():
        for handler in handlers:
            if isinstance(handler, ConversationHandler) and handler.name:
                found[handler.name] = _describe(handler)


def _describe(conversation: ConversationHandler) -> DialogueInfo:
    name = conversation.name
    assert name is not None
    button_states = frozenset(
        state
        for state, step_handlers in conversation.states.items()
        if not any(isinstance(h, MessageHandler) for h in step_handlers)
    )
    what, command, swedish = _DESCRIPTIONS.get(name, ("core.dialogue.other", "help", "hjalp"))
    return DialogueInfo(name, what, command, swedish, button_states)
