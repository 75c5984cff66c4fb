"""Coordinators and police: /observations, detail views, actions, notes, /inbox.

Buttons: handlers/observations_buttons.py (all re-checked against storage when pressed).
/export lives in handlers/observations_export.py, registered from here; the notifications
to coordinators and police in handlers/observations_notify.py.
"""

from __future__ import annotations

import logging
from enum import IntEnum

from telegram import InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import observations as svc
from bot.services import privacy
from bot.services.observations import ActionOutcome, ListFilter, Viewer
from bot.services.refusals import Refused
from bot.services.roles import Role, access_following_telegram, access_for_group
from bot.textlen import is_blank, utf16_len, visible_length
from handlers import observations_export, observations_notify
from handlers.common import (
    answer_callback,
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    is_private,
    message_text,
    pressed,
    reply,
    send_closing,
    user_data,
    with_retries,
)
from handlers.dialogues import dialogue
from handlers.guard import chat_admin_check, fresh_chat_admin_check
from handlers.observations_buttons import (
    Handled,
    InboxPage,
    ObsAction,
    ObsDetail,
    ObsFilter,
    ObsListing,
    ObsNote,
    PoliceDetail,
    TriageAction,
)
from handlers.observations_notify import notifier
from handlers.observations_render import (
    coordinator_keyboard,
    detail_text,
    filter_picker,
    inbox_listing,
    listing,
    police_keyboard,
)
from storage.observations import Observation

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec(
        "observations",
        "obs.cmd.observations",
        frozenset({Role.COORDINATOR}),
        Where.PRIVATE,
        swedish_alias="observationer",
    ),
    CommandSpec(
        "inbox", "obs.cmd.inbox", frozenset({Role.POLICE}), Where.PRIVATE, swedish_alias="inkorg"
    ),
    *observations_export.COMMANDS,
]


class NoteStep(IntEnum):
    TEXT = 0


NOTE = NoteStep.TEXT
NOTE_STATE = ("note_observation_id",)  # the UserData attributes of the note dialogue
ACTIONS = {
    TriageAction.REVIEWED: "reviewed",
    TriageAction.FORWARD: "forward",
    TriageAction.CLOSED: "closed",
}


async def _not_allowed(update: Update, context: BotContext) -> None:
    await answer_callback(callback_query(update), context, "core.not_allowed", alert=True)


async def _for_coordinator(
    update: Update, context: BotContext, obs_id: int, *, fresh: bool = False
) -> Observation | None:
    """The observation if the person coordinates its group (storage) and is still an admin
    of its Telegram chat; every coordinator action re-checks this, also in a private chat.
    `fresh`: ask Telegram now, not within the 60 s a press may reuse (for the details)."""
    services = context.services
    user_id = effective_user(update).id
    obs, _ = await svc.load_for(services.db, services.settings, user_id, obs_id, Viewer.COORDINATOR)
    if obs is None:
        return None
    check = fresh_chat_admin_check(context) if fresh else chat_admin_check(context, update)
    access = await access_for_group(services.db, services.settings, check, user_id, obs.group_id)
    return obs if access.coordinates(obs.group_id) else None


async def _refuse(update: Update, context: BotContext, obs_id: int | None) -> None:
    """A coordinator's press the observation no longer allows. When its reporter withdrew
    it, a coordinator of its group is told so and the pressed notice shows it (without
    its details or buttons); anyone else gets "not allowed"."""
    services = context.services
    obs = None if obs_id is None else await svc.get_observation(services.db, obs_id)
    if obs is None or obs.status != "withdrawn":
        await _not_allowed(update, context)
        return
    access = await access_for_group(
        services.db,
        services.settings,
        chat_admin_check(context, update),
        effective_user(update).id,
        obs.group_id,
    )
    if not access.coordinates(obs.group_id):
        await _not_allowed(update, context)
        return
    try:
        text = t(context.lang, "obs.withdrawn.notice", reference=obs.reference)
        await _edit(update, text, None)
    except TelegramError as exc:  # the answer below still says it
        log.info("withdrawn notice of %s not edited: %s", obs.reference, exc)
    finally:
        await answer_callback(callback_query(update), context, "obs.withdrawn.pressed", alert=True)


def _obs_id(update: Update, kind: type[ObsDetail | PoliceDetail | Handled | ObsNote]) -> int:
    return kind.unpack(callback_query(update).data).observation_id


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await callback_query(update).edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # "message is not modified" is harmless
        if "not modified" not in str(exc).lower():
            raise


CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption (visible characters)


async def _send_card(
    context: BotContext,
    chat_id: int,
    obs: Observation,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """The observation's card with its photos: one photo carries the card (and buttons) as
    its caption; several go as an album captioned with the card, the buttons under a short
    line after it (an album takes no buttons). A card longer than a caption goes as its
    own message after photos captioned with the reference. If the photos cannot be sent
    (e.g. Telegram no longer has them), the card is sent as text."""
    if not obs.photos:
        await context.bot.send_message(chat_id, text, reply_markup=markup)
        return
    fits = visible_length(text) <= CAPTION_LIMIT
    caption = text if fits else obs.reference
    try:
        if len(obs.photos) == 1:
            await context.bot.send_photo(
                chat_id,
                obs.photos[0].file_id,
                caption=caption,
                reply_markup=markup if fits else None,
            )
        else:
            album = [
                InputMediaPhoto(photo.file_id, caption=caption if i == 0 else None)
                for i, photo in enumerate(obs.photos[:10])
            ]
            await context.bot.send_media_group(chat_id, album)
    except TelegramError as exc:
        log.warning("could not send the photos of %s: %s", obs.reference, exc)
        fits = False
    if not fits:
        await context.bot.send_message(chat_id, text, reply_markup=markup)
    elif len(obs.photos) > 1 and markup is not None:
        actions = t(context.lang, "fb.detail.actions", reference=obs.reference)
        await context.bot.send_message(chat_id, actions, reply_markup=markup)


# ------------------------------------------------------------------ coordinator


async def observations_command(update: Update, context: BotContext) -> None:
    """/observations: the first page of the person's groups' observations."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    await _render_list(update, context, ListFilter(), edit=False)


async def on_list(update: Update, context: BotContext) -> None:
    flt = ObsListing.unpack(callback_query(update).data).list_filter()
    if flt is None:
        await _not_allowed(update, context)
        return
    await _render_list(update, context, flt, edit=True)


async def on_filter(update: Update, context: BotContext) -> None:
    """`ObsFilter`: the filter picker (only for a coordinator; the choices are re-checked)."""
    _, button = pressed(update, ObsFilter)
    flt = button.list_filter()
    services = context.services
    access = await access_following_telegram(
        services.db, services.settings, chat_admin_check(context, update), effective_user(update).id
    )
    if flt is None or not access.coordinator_of:
        await _not_allowed(update, context)
        return
    await _show_page(update, context, filter_picker(context.lang, flt), True, "")


async def _render_list(update: Update, context: BotContext, flt: ListFilter, edit: bool) -> None:
    services = context.services
    check = chat_admin_check(context, update)
    user_id = effective_user(update).id
    page = await svc.coordinator_page(
        services.db, services.settings, services.clock, user_id, flt, check
    )
    rendered = None if page is None else listing(context.lang, page, flt, services.settings.tzinfo)
    await _show_page(update, context, rendered, edit, "obs.list.not_coordinator")


async def _show_page(
    update: Update,
    context: BotContext,
    rendered: tuple[str, InlineKeyboardMarkup | None] | None,
    edit: bool,
    refusal_key: str,
) -> None:
    """Show a listing page: edit the message of a pressed button, or answer a command.
    None means the person may not see it (storage said so)."""
    if rendered is None:
        if edit:
            await _not_allowed(update, context)
        else:
            await reply(update, context, refusal_key)
        return
    text, markup = rendered
    if edit:
        try:
            await _edit(update, text, markup)
        finally:
            await answer_query(callback_query(update))
    else:
        await effective_message(update).reply_text(text, reply_markup=markup)


async def on_detail(update: Update, context: BotContext) -> None:
    """`ObsDetail`: the full observation with photos, for a coordinator of its group."""
    await _detail(update, context, Viewer.COORDINATOR)


async def on_police_detail(update: Update, context: BotContext) -> None:
    """`PoliceDetail`: the full observation for a police officer it was forwarded to."""
    await _detail(update, context, Viewer.POLICE)


async def _detail(update: Update, context: BotContext, viewer: Viewer) -> None:
    services = context.services
    obs_id = _obs_id(update, ObsDetail if viewer is Viewer.COORDINATOR else PoliceDetail)
    user_id = effective_user(update).id
    if viewer is Viewer.COORDINATOR:
        obs = await _for_coordinator(update, context, obs_id, fresh=True)
    else:
        obs, _ = await svc.load_for(services.db, services.settings, user_id, obs_id, viewer)
    if obs is None:
        await (
            _refuse(update, context, obs_id)
            if viewer is Viewer.COORDINATOR
            else _not_allowed(update, context)
        )
        return
    await privacy.record_access(
        services.db, services.clock, user_id, "observation", obs.reference,
        viewer=viewer.value, photos=len(obs.photos),
    )  # fmt: skip
    lang = context.lang
    text = detail_text(lang, obs, viewer, services.settings.tzinfo)
    markup: InlineKeyboardMarkup | None
    if viewer is Viewer.COORDINATOR:
        markup = coordinator_keyboard(lang, obs, details=False)
    else:
        markup = police_keyboard(lang, obs, details=False)
    await _send_card(context, user_id, obs, text, markup)
    await answer_query(callback_query(update))


async def on_action(update: Update, context: BotContext) -> None:
    """`ObsAction`: reviewed / forward / close (permission re-checked).

    The work comes first (store; the police's notifications are committed with the
    forward), then the message is edited, and the toast last: a press too old to answer
    still does everything, and pressing again finishes an edit a first press left undone."""
    _, button = pressed(update, ObsAction)
    obs_id = button.observation_id
    if await _for_coordinator(update, context, obs_id) is None:
        await _refuse(update, context, obs_id)
        return
    services = context.services
    action = ACTIONS[button.action]
    try:
        result = await svc.coordinator_action(
            services.db,
            services.settings,
            services.clock,
            effective_user(update).id,
            obs_id,
            action,
            notifier(services),
            chat_admin_check(context, update),
        )
    except Refused:  # e.g. withdrawn since the check
        await _refuse(update, context, obs_id)
        return
    if result.outcome is ActionOutcome.DONE:  # the police's and the reporter's notices
        services.delivery.wake()
    obs = result.observation
    try:
        if obs is not None:
            lang = context.lang
            text = detail_text(lang, obs, Viewer.COORDINATOR, services.settings.tzinfo)
            await _edit(update, text, coordinator_keyboard(lang, obs, details=True))
    finally:
        await _answer_action(update, context, action, result)


async def _answer_action(
    update: Update, context: BotContext, action: str, result: svc.ActionResult
) -> None:
    query = callback_query(update)
    obs = result.observation
    if result.outcome is ActionOutcome.STALE and obs is not None:
        # Say what it is now (the message was edited to it) and, if stored, who did it.
        status = t_plain(context.lang, f"obs.status.{obs.status}")
        if result.changed_by:
            key, extra = "obs.done.stale_by", {"name": result.changed_by}
        else:
            key, extra = "obs.done.stale_now", {}
        await answer_callback(query, context, key, alert=True, status=status, **extra)
    elif result.outcome is not ActionOutcome.DONE:
        await answer_callback(query, context, f"obs.done.{result.outcome}", alert=True)
    elif action != "forward":
        await answer_callback(query, context, f"obs.done.{action}")
    elif result.police_waiting:
        await answer_callback(
            query,
            context,
            "obs.done.forwarded_held",
            alert=True,
            count=len(result.police_waiting),
        )
    elif result.police:
        await answer_callback(query, context, "obs.done.forwarded", count=len(result.police))
    else:  # no officer of the kommun uses the bot: say so, and what to do if urgent
        reference = obs.reference if obs is not None else ""
        await answer_callback(
            query, context, "fb.forwarded.no_police", alert=True, reference=reference
        )


# ------------------------------------------------------------------ notes


async def start_note(update: Update, context: BotContext) -> int:
    """`ObsNote`: ask for the note text (only a coordinator of the group)."""
    obs_id = _obs_id(update, ObsNote)
    obs = await _for_coordinator(update, context, obs_id)
    if obs is None:
        await _refuse(update, context, obs_id)
        return ConversationHandler.END
    user_data(context).note_observation_id = obs.id
    ask = t(context.lang, "fb.note.ask", reference=obs.reference, max=svc.MAX_NOTE)
    user_id = effective_user(update).id
    await with_retries(lambda: context.bot.send_message(user_id, ask))  # see send_step
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
    if await _for_coordinator(update, context, obs_id) is None:
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


async def on_note_other(update: Update, context: BotContext) -> int:
    await reply(update, context, "obs.note.unsupported")
    return NOTE


def note_conversation() -> ConversationHandler:
    """The short follow-up step for a coordinator's note."""
    fresh = filters.UpdateType.MESSAGE  # an edited earlier message is not the note
    return dialogue(
        "observation_note",
        entry_points=[CallbackQueryHandler(start_note, pattern=ObsNote.filter())],
        states={
            NOTE: [
                MessageHandler(fresh & filters.TEXT & ~filters.COMMAND, on_note_text),
                MessageHandler(fresh & ~filters.COMMAND, on_note_other),
            ]
        },
        state=NOTE_STATE,
    )


# ------------------------------------------------------------------ police


async def inbox_command(update: Update, context: BotContext) -> None:
    """/inbox: what was forwarded to the person's kommuner."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    await _render_inbox(update, context, 0, edit=False)


async def on_inbox_page(update: Update, context: BotContext) -> None:
    _, button = pressed(update, InboxPage)
    if not 0 <= button.page <= 99_999:
        await _not_allowed(update, context)
        return
    await _render_inbox(update, context, button.page, edit=True)


async def _render_inbox(update: Update, context: BotContext, number: int, edit: bool) -> None:
    services = context.services
    page = await svc.inbox_page(services.db, services.settings, effective_user(update).id, number)
    tz = services.settings.tzinfo
    rendered = None if page is None else inbox_listing(context.lang, page, number, tz)
    await _show_page(update, context, rendered, edit, "onb.inbox.not_police")


async def on_handled(update: Update, context: BotContext) -> None:
    """`Handled`: a police officer marks a forwarded observation handled."""
    services = context.services
    obs_id = _obs_id(update, Handled)
    result = await svc.mark_handled(
        services.db,
        services.settings,
        services.clock,
        effective_user(update).id,
        obs_id,
        services.people,
    )
    if result.outcome is ActionOutcome.DONE:  # the reporter's notice
        services.delivery.wake()
    key = "obs.done.handled" if result.outcome is ActionOutcome.DONE else "obs.done.stale"
    try:
        if result.observation is not None:
            lang = context.lang
            text = detail_text(lang, result.observation, Viewer.POLICE, services.settings.tzinfo)
            await _edit(update, text, police_keyboard(lang, result.observation, details=True))
    finally:
        await answer_callback(callback_query(update), context, key)


def register(application: Application) -> None:
    application.add_handler(note_conversation())
    application.add_handler(CommandHandler(["observations", "observationer"], observations_command))
    application.add_handler(CommandHandler(["inbox", "inkorg"], inbox_command))
    for callback, kind in (
        (on_list, ObsListing),
        (on_filter, ObsFilter),
        (on_detail, ObsDetail),
        (on_police_detail, PoliceDetail),
        (on_action, ObsAction),
        (on_inbox_page, InboxPage),
        (on_handled, Handled),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=kind.filter()))
    observations_export.register(application)
    observations_notify.register(application)
