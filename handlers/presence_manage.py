"""/narvarolista (/presences): the officer's announcements, each active one with
buttons to cancel (after a Yes) or move it; the list's buttons follow every change.
Every button re-checks the person's roles from storage.
"""

from __future__ import annotations

import logging
import warnings
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.i18n.dates import format_when
from bot.services import presence as service
from bot.services import presence_time
from bot.services.dialog_targets import Feature, may_use
from bot.services.refusals import Refused
from bot.services.roles import Access
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    is_private,
    reply,
    send_step,
    time_examples,
    user_data,
)
from handlers.dialog_target import current_access
from handlers.dialogues import add_step_questions, dialogue, not_typed
from storage.presence import PresenceRecord

log = logging.getLogger(__name__)

MOVE_WHEN = 10


class Manage(StrEnum):
    CANCEL = "c"  # asks to confirm
    CONFIRM = "y"  # yes, cancel it
    KEEP = "n"  # no, keep it
    MOVE = "m"


class PresencePress(CallbackData, prefix="prx"):
    """A button of /narvarolista: cancel or move one announcement."""

    action: Manage
    presence_id: int


async def _listing(
    context: BotContext, found: list[PresenceRecord], asking: int | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/narvarolista's text and buttons for the state in storage: cancel and move under
    each active announcement; under the one being cancelled (`asking`), Yes / No."""
    s, lang = context.services, context.lang
    tz, now = s.settings.tzinfo, s.clock.now()
    lines, rows = [t(lang, "dialog.presence.list_head")], []
    for p in found:
        # the listing stays in the chat: days are named ("tors 26 nov"), never "i morgon"
        when = presence_time.format_period(lang, p.starts_at, p.ends_at, tz, now=now)
        mark = "❌" if p.is_cancelled else ("✔️" if p.ends_at <= now else "🚓")
        lines.append(t(lang, "dialog.presence.list_line", mark=mark, when=when, place=p.place))
        if p.is_cancelled or p.ends_at <= now:
            continue
        short = format_when(lang, p.starts_at, tz, now=now, weekday=True)
        if p.id == asking:
            pairs = [("cancel_yes", Manage.CONFIRM), ("cancel_no", Manage.KEEP)]
        else:
            pairs = [("cancel_button", Manage.CANCEL), ("move_button", Manage.MOVE)]
        rows.append(
            [
                InlineKeyboardButton(
                    t_plain(lang, f"dialog.presence.{key}", when=short),
                    callback_data=PresencePress(action, p.id).pack(),
                )
                for key, action in pairs
            ]
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


async def list_presences(update: Update, context: BotContext) -> None:
    """/narvarolista: the person's latest announcements, active ones with buttons."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    access = await current_access(update, context)
    if not may_use(Feature.PRESENCE, access):
        raise Refused("onb.presence.not_police")
    found = await service.my_presences(context.services.db, access)
    if not found:
        await reply(update, context, "dialog.presence.none")
        return
    text, markup = await _listing(context, found)
    await without_result(effective_message(update).reply_text(text, reply_markup=markup))


async def _refresh_listing(
    context: BotContext,
    access: Access,
    chat_id: int,
    message_id: int,
    asking: int | None = None,
) -> None:
    """Bring a /narvarolista message up to date (cancelled, moved, asking): its buttons
    must never offer what is no longer possible. A lost edit is only cosmetic."""
    found = await service.my_presences(context.services.db, access)
    text, markup = await _listing(context, found, asking)
    try:
        await without_result(
            context.bot.edit_message_text(text, chat_id, message_id, reply_markup=markup)
        )
    except TelegramError as exc:  # "message is not modified", deleted, too old
        log.info("presence listing %s not updated: %s", message_id, exc)


def _listing_of(update: Update) -> tuple[int, int]:
    message = effective_message(update)
    return message.chat_id, message.message_id


async def cancel_pressed(update: Update, context: BotContext) -> None:
    """❌ under an announcement: ask to confirm (Yes, cancel / No) in the listing itself."""
    query = callback_query(update)
    press = PresencePress.unpack(query.data)
    access = await current_access(update, context)
    try:
        await service.cancellable(
            context.services.db, context.services.clock, access, press.presence_id
        )
    except Refused:  # e.g. cancelled meanwhile: the listing shows it, the refusal says why
        await _refresh_listing(context, access, *_listing_of(update))
        raise
    await _refresh_listing(context, access, *_listing_of(update), asking=press.presence_id)
    await answer_query(query, t_plain(context.lang, "dialog.presence.cancel_ask"))


async def cancel_answered(update: Update, context: BotContext) -> None:
    """Yes (cancel it: the groups and those reminded are told) or No, then the listing
    shows the new state."""
    query = callback_query(update)
    press = PresencePress.unpack(query.data)
    access = await current_access(update, context)
    s = context.services
    if press.action is Manage.KEEP:
        await _refresh_listing(context, access, *_listing_of(update))
        await answer_query(query)
        return
    try:
        told = await service.cancel(
            s.db, s.clock, s.settings.tzinfo, access, press.presence_id, s.people.language_of
        )
    finally:  # done or refused (cancelled meanwhile): the listing shows what is stored
        await _refresh_listing(context, access, *_listing_of(update))
    s.delivery.wake()
    await answer_query(query)
    await without_result(
        effective_message(update).reply_text(
            t(context.lang, "dialog.presence.cancelled_done", count=told)
        )
    )


async def move_pressed(update: Update, context: BotContext) -> int:
    query = callback_query(update)
    press = PresencePress.unpack(query.data)
    access = await current_access(update, context)
    # Refused (not theirs, unknown, cancelled, over) before the dialogue asks anything.
    try:
        await service.check_changeable(
            context.services.db, context.services.clock, access, press.presence_id
        )
    except Refused:  # the listing shows the new state, the refusal says why
        await _refresh_listing(context, access, *_listing_of(update))
        raise
    data = user_data(context)
    data.presence_move_id = press.presence_id
    data.presence_move_listing = effective_message(update).message_id
    await answer_query(query)
    await send_step(effective_message(update), *await move_question(update, context))
    return MOVE_WHEN


async def move_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    return t(context.lang, "dialog.presence.ask_move", **time_examples(context)), None


async def move_when_received(update: Update, context: BotContext) -> int:
    data = user_data(context)
    presence_id, listing = data.presence_move_id, data.presence_move_listing
    if not isinstance(presence_id, int):
        raise Refused("core.stale_button")
    access = await current_access(update, context)
    s = context.services
    told = await service.move(
        s.db,
        s.clock,
        s.settings.tzinfo,
        access,
        presence_id,
        effective_message(update).text or "",
        s.people.language_of,
    )
    data.forget("presence_move_id", "presence_move_listing")
    s.delivery.wake()
    await reply(update, context, "dialog.presence.moved_done", count=told)
    if listing is not None:  # its buttons show the new time
        await _refresh_listing(context, access, effective_message(update).chat_id, listing)
    return ConversationHandler.END


def register(application: Application) -> None:
    typed = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # per_message=False is intended: one dialogue per chat
        warnings.simplefilter("ignore", PTBUserWarning)
        moving = dialogue(
            "presence_move",
            entry_points=[
                CallbackQueryHandler(move_pressed, pattern=PresencePress.filter(action=Manage.MOVE))
            ],
            states={
                MOVE_WHEN: [MessageHandler(typed, move_when_received), not_typed(move_question)]
            },
            state=("presence_move_id", "presence_move_listing"),
        )
    application.add_handler(moving)
    add_step_questions("presence_move", {MOVE_WHEN: move_question})
    application.add_handler(CommandHandler(["presences", "narvarolista"], list_presences))
    application.add_handler(
        CallbackQueryHandler(cancel_pressed, pattern=PresencePress.filter(action=Manage.CANCEL))
    )
    for answer in (Manage.CONFIRM, Manage.KEEP):
        application.add_handler(
            CallbackQueryHandler(cancel_answered, pattern=PresencePress.filter(action=answer))
        )
