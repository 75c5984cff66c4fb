"""A coordinator's note on an observation: the `ObsNote` button asks for the text, the
next message is stored as the note (re-checked against storage and Telegram first).
Registered by handlers.observations_triage.
"""

from __future__ import annotations

from enum import IntEnum

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import Html, t
from bot.services import observations as svc
from bot.services.refusals import Refused
from bot.textlen import is_blank, utf16_len
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    message_text,
    reply,
    send_closing,
    user_data,
    with_retries,
)
from handlers.dialogues import add_step_questions, dialogue, not_typed
from handlers.guard import chat_admin_check
from handlers.observations_buttons import ObsNote
from handlers.observations_common import for_coordinator, press_observation_id, refuse_press


class NoteStep(IntEnum):
    TEXT = 0


NOTE = NoteStep.TEXT
NOTE_STATE = ("note_observation_id",)  # the UserData attributes of the note dialogue


async def start_note(update: Update, context: BotContext) -> int:
    """`ObsNote`: ask for the note text (only a coordinator of the group)."""
    obs_id = press_observation_id(update, ObsNote)
    obs = await for_coordinator(update, context, obs_id)
    if obs is None:
        await refuse_press(update, context, obs_id)
        return ConversationHandler.END
    user_data(context).note_observation_id = obs.id
    ask = _ask(context, obs.reference)
    user_id = effective_user(update).id
    # retried like send_step
    await with_retries(lambda: without_result(context.bot.send_message(user_id, ask)))
    await answer_query(callback_query(update))
    return NOTE


async def on_note_text(update: Update, context: BotContext) -> int:
    text = message_text(update).strip()
    if is_blank(text):
        await reply(update, context, "obs.err.empty")
        return NOTE
    if utf16_len(text) > svc.MAX_NOTE:
        await reply(update, context, "core.text.too_long", length=utf16_len(text), max=svc.MAX_NOTE)
        return NOTE
    services = context.services
    obs_id = user_data(context).note_observation_id or 0
    user_data(context).forget(*NOTE_STATE)
    if await for_coordinator(update, context, obs_id) is None:
        await reply(update, context, "core.not_allowed")
        return ConversationHandler.END
    try:
        result = await svc.add_note(
            services.db,
            services.settings,
            services.clock,
            effective_user(update).id,
            obs_id,
            text,
            chat_admin_check(context, update),
        )
    except Refused as refusal:  # the dialogue ends here, whatever the error handler says
        await reply(update, context, refusal.key, **refusal.params)
        return ConversationHandler.END
    if result.observation is None:
        await reply(update, context, "core.not_allowed")
    else:  # stored: the dialogue ends even if this answer is lost (no second note)
        saved = t(context.lang, "fb.note.saved", reference=result.observation.reference)
        await send_closing(effective_message(update), saved)
    return ConversationHandler.END


def _ask(context: BotContext, reference: str) -> Html:
    return t(context.lang, "fb.note.ask", reference=reference, max=svc.MAX_NOTE)


async def note_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The note step's question again, for the observation being noted."""
    obs_id = user_data(context).note_observation_id or 0
    obs = await for_coordinator(update, context, obs_id)
    if obs is None:  # no longer theirs: the note itself is refused when it comes
        what = t(context.lang, "core.dialogue.note")
        return t(context.lang, "core.dialogue.send_text", what=what), None
    return _ask(context, obs.reference), None


def note_conversation() -> ConversationHandler:
    """The short follow-up step for a coordinator's note."""
    fresh = filters.UpdateType.MESSAGE  # an edited earlier message is not the note
    return dialogue(
        "observation_note",
        entry_points=[CallbackQueryHandler(start_note, pattern=ObsNote.filter())],
        states={
            NOTE: [
                MessageHandler(fresh & filters.TEXT & ~filters.COMMAND, on_note_text),
                not_typed(note_question),
            ]
        },
        state=NOTE_STATE,
    )


def register(application: Application) -> None:
    application.add_handler(note_conversation())
    add_step_questions("observation_note", {NOTE: note_question})
