"""What the observation screens share (handlers/observations_triage.py and the note
dialogue in handlers/observations_notes.py): the coordinator re-check of a press, the
answer to a press the observation no longer allows, editing the pressed message, and
sending an observation's card with its photos.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.error import BadRequest, TelegramError

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import t
from bot.services import observations as svc
from bot.services.observations import Viewer
from bot.services.roles import access_for_group
from bot.textlen import visible_length
from handlers.common import answer_callback, callback_query, effective_user
from handlers.guard import chat_admin_check, fresh_chat_admin_check
from handlers.observations_buttons import Handled, ObsDetail, ObsNote, PoliceDetail
from storage.observations import Observation

log = logging.getLogger(__name__)


async def not_allowed(update: Update, context: BotContext) -> None:
    await answer_callback(callback_query(update), context, "core.not_allowed", alert=True)


async def for_coordinator(
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


async def refuse_press(update: Update, context: BotContext, obs_id: int | None) -> None:
    """A coordinator's press the observation no longer allows. When its reporter withdrew
    it, a coordinator of its group is told so and the pressed notice shows it (without
    its details or buttons); anyone else gets "not allowed"."""
    services = context.services
    obs = None if obs_id is None else await svc.get_observation(services.db, obs_id)
    if obs is None or obs.status != "withdrawn":
        await not_allowed(update, context)
        return
    access = await access_for_group(
        services.db,
        services.settings,
        chat_admin_check(context, update),
        effective_user(update).id,
        obs.group_id,
    )
    if not access.coordinates(obs.group_id):
        await not_allowed(update, context)
        return
    try:
        text = t(context.lang, "obs.withdrawn.notice", reference=obs.reference)
        await edit_pressed(update, text, None)
    except TelegramError as exc:  # the answer below still says it
        log.info("withdrawn notice of %s not edited: %s", obs.reference, exc)
    finally:
        await answer_callback(callback_query(update), context, "obs.withdrawn.pressed", alert=True)


def press_observation_id(
    update: Update, kind: type[ObsDetail | PoliceDetail | Handled | ObsNote]
) -> int:
    return kind.unpack(callback_query(update).data).observation_id


async def edit_pressed(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await without_result(callback_query(update).edit_message_text(text, reply_markup=markup))
    except BadRequest as exc:  # "message is not modified" is harmless
        if "not modified" not in str(exc).lower():
            raise


CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption (visible characters)


async def send_card(
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
        await without_result(context.bot.send_message(chat_id, text, reply_markup=markup))
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
        await without_result(context.bot.send_message(chat_id, text, reply_markup=markup))
    elif len(obs.photos) > 1 and markup is not None:
        actions = t(context.lang, "fb.detail.actions", reference=obs.reference)
        await without_result(context.bot.send_message(chat_id, actions, reply_markup=markup))
