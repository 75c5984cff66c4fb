"""/narvaro (/presence): announce "police on site" to the groups; /narvarolista
(/presences): cancel or move an announcement; the residents' "🔔 Påminn mig" button.

what → where (text, optionally a shared location first) → when → target
(handlers/dialog_target.py) → preview → Send. Every step and button re-checks the
person's roles from storage.
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

from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.i18n.dates import format_when
from bot.services import dialog_targets as targets
from bot.services import groups as group_service
from bot.services import presence as service
from bot.services import presence_time
from bot.services.dialog_targets import Feature
from bot.services.presence import PresenceDialogDraft, RemindMe, RemindResult
from bot.services.refusals import Refused
from bot.services.roles import Access, Role
from bot.textlen import is_blank
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    is_private,
    reply,
    send_step,
    show_step,
    user_data,
)
from handlers.dialog_target import (
    DRAFT_KEYS,
    TargetPick,
    current_access,
    describe_target,
    on_target_press,
    send_or_cancel,
    target_screen,
)
from handlers.dialogues import dialogue
from storage.presence import PresenceRecord

log = logging.getLogger(__name__)

WHAT, PLACE, WHEN, TARGET, CONFIRM = range(5)
MOVE_WHEN = 10
DRAFT_KEY = DRAFT_KEYS[Feature.PRESENCE]
MOVE_KEY = "presence_move"
POLICE = frozenset({Role.POLICE, Role.ADMIN})
COMMANDS = [
    CommandSpec("presence", "dialog.cmd.presence", POLICE, Where.PRIVATE, swedish_alias="narvaro"),
    CommandSpec(
        "presences", "dialog.cmd.presences", POLICE, Where.PRIVATE, swedish_alias="narvarolista"
    ),
]


class Confirm(CallbackData, prefix="prs"):
    send: bool


class Manage(StrEnum):
    CANCEL = "c"  # asks to confirm
    CONFIRM = "y"  # yes, cancel it
    KEEP = "n"  # no, keep it
    MOVE = "m"


class PresencePress(CallbackData, prefix="prx"):
    """A button of /narvarolista: cancel or move one announcement."""

    action: Manage
    presence_id: int


def _draft(context: BotContext) -> PresenceDialogDraft:
    draft = user_data(context).presence_draft
    if not isinstance(draft, PresenceDialogDraft):
        raise Refused("core.stale_button")
    return draft


async def _check(update: Update, context: BotContext) -> None:
    targets.check(Feature.PRESENCE, await current_access(update, context))


def _text(update: Update, limit: int) -> str:
    text = (effective_message(update).text or "").strip()
    if is_blank(text):
        raise Refused("dialog.presence.not_text")
    if len(text) > limit:
        raise Refused("dialog.presence.too_long", max=limit)
    return text


# --------------------------------------------------------------------------- composing


async def start(update: Update, context: BotContext) -> int:
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return ConversationHandler.END
    await _check(update, context)
    user_data(context).presence_draft = PresenceDialogDraft()
    await send_step(effective_message(update), t(context.lang, "dialog.presence.ask_what"))
    return WHAT


async def what_received(update: Update, context: BotContext) -> int:
    await _check(update, context)
    _draft(context).presence.what = _text(update, service.MAX_WHAT)
    await send_step(effective_message(update), t(context.lang, "dialog.presence.ask_place"))
    return PLACE


async def location_received(update: Update, context: BotContext) -> int:
    await _check(update, context)
    location = effective_message(update).location
    assert location is not None  # the handler's filter
    draft = _draft(context).presence
    draft.latitude, draft.longitude = location.latitude, location.longitude
    await send_step(effective_message(update), t(context.lang, "dialog.presence.got_location"))
    return PLACE


async def place_received(update: Update, context: BotContext) -> int:
    await _check(update, context)
    _draft(context).presence.place = _text(update, service.MAX_PLACE)
    await send_step(effective_message(update), t(context.lang, "dialog.presence.ask_when"))
    return WHEN


async def when_received(update: Update, context: BotContext) -> int:
    access = await current_access(update, context)
    targets.check(Feature.PRESENCE, access)
    s = context.services
    text = effective_message(update).text or ""
    start_at, end_at = presence_time.parse_period(text, s.clock.now(), s.settings.tzinfo)
    draft = _draft(context).presence
    draft.starts_at, draft.ends_at = start_at, end_at
    screen, markup = await target_screen(
        context, Feature.PRESENCE, access, "dialog.presence.ask_target"
    )
    await send_step(effective_message(update), screen, markup)
    return TARGET


async def not_text(update: Update, context: BotContext) -> object:
    """Anything but text where text is due; the dialogue stays at its step (None)."""
    await reply(update, context, "dialog.presence.not_text")
    return None


async def target_pressed(update: Update, context: BotContext) -> int:
    state = await on_target_press(update, context, _preview)
    return TARGET if state is None else state


async def _preview(update: Update, context: BotContext) -> int:
    access = await current_access(update, context)
    draft = _draft(context)
    s, lang = context.services, context.lang
    groups = await targets.target_groups(s.db, Feature.PRESENCE, access, draft.target)
    p = draft.presence
    assert p.starts_at is not None and p.ends_at is not None
    body = t(
        lang,
        "dialog.presence.msg",
        what=p.what or "",
        place=p.place or "",
        when=presence_time.format_period(lang, p.starts_at, p.ends_at, s.settings.tzinfo),
    )
    text = t(lang, "dialog.presence.preview", body=body, groups=describe_target(lang, len(groups)))
    markup = send_or_cancel(lang, Confirm(True), Confirm(False))
    query = callback_query(update)
    await answer_query(query)
    await show_step(query, text, markup)
    return CONFIRM


async def confirm_pressed(update: Update, context: BotContext) -> int:
    query = callback_query(update)
    lang = context.lang
    if not Confirm.unpack(query.data).send:
        user_data(context).forget("presence_draft")
        await answer_query(query)
        await show_step(query, t(lang, "dialog.cancelled"), None)
        return ConversationHandler.END
    access = await current_access(update, context)
    draft = _draft(context)
    s = context.services
    done = await service.announce(
        s.db, s.clock, s.settings.tzinfo, access, draft.presence, draft.target, lang
    )
    user_data(context).forget("presence_draft")
    s.delivery.wake()
    await answer_query(query)
    await show_step(query, t(lang, "dialog.presence.sent", count=done.group_count), None)
    return ConversationHandler.END


# --------------------------------------------------------------------------- managing


async def _listing(
    context: BotContext, found: list[PresenceRecord], asking: int | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/narvarolista's text and buttons for the state in storage: cancel and move under
    each active announcement; under the one being cancelled (`asking`), Yes / No."""
    s, lang = context.services, context.lang
    tz, now = s.settings.tzinfo, s.clock.now()
    lines, rows = [t(lang, "dialog.presence.list_head")], []
    for p in found:
        when = presence_time.format_period(lang, p.starts_at, p.ends_at, tz, now=now)
        mark = "❌" if p.is_cancelled else ("✔️" if p.ends_at <= now else "🚓")
        lines.append(t(lang, "dialog.presence.list_line", mark=mark, when=when, place=p.place))
        if p.is_cancelled or p.ends_at <= now:
            continue
        short = format_when(lang, p.starts_at, tz, now=now, relative=True)
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
    found = await service.my_presences(context.services.db, access)
    if not found:
        await reply(update, context, "dialog.presence.none")
        return
    text, markup = await _listing(context, found)
    await effective_message(update).reply_text(text, reply_markup=markup)


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
        await context.bot.edit_message_text(text, chat_id, message_id, reply_markup=markup)
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
        await service.cancellable(context.services.db, access, press.presence_id)
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
    await effective_message(update).reply_text(
        t(context.lang, "dialog.presence.cancelled_done", count=told)
    )


async def move_pressed(update: Update, context: BotContext) -> int:
    query = callback_query(update)
    press = PresencePress.unpack(query.data)
    access = await current_access(update, context)
    targets.check(Feature.PRESENCE, access)
    data = user_data(context)
    data.presence_move_id = press.presence_id
    data.presence_move_listing = effective_message(update).message_id
    await answer_query(query)
    await send_step(effective_message(update), t(context.lang, "dialog.presence.ask_move"))
    return MOVE_WHEN


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


# --------------------------------------------------------------------------- residents


async def remind_pressed(update: Update, context: BotContext) -> None:
    """ "🔔 Påminn mig" under an announcement: anyone may press it, for themselves."""
    query = callback_query(update)
    press = RemindMe.unpack(query.data)
    s, user = context.services, effective_user(update)
    lang = await s.people.language_of(user.id)
    result = await service.toggle_reminder(s.db, s.clock, press.presence_id, user.id)
    p = await service.get(s.db, press.presence_id)
    if result is RemindResult.SET and p is not None:
        at = p.starts_at - service.REMIND_BEFORE
        when = format_when(lang, at, s.settings.tzinfo, now=s.clock.now(), relative=True)
        text = t_plain(lang, "dialog.presence.remind_set", time=when)
    elif result is RemindResult.REMOVED:
        text = t_plain(lang, "dialog.presence.remind_removed")
    elif result is RemindResult.NOT_STARTED:
        link = group_service.deep_link(context.bot.username, "start")
        text = t_plain(lang, "dialog.presence.remind_not_started", link=link)
    else:
        text = t_plain(lang, "dialog.presence.remind_unknown")
    await answer_query(query, text, show_alert=result is RemindResult.NOT_STARTED)


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    typed = private & filters.TEXT & ~filters.COMMAND
    other = MessageHandler(private & ~filters.COMMAND, not_text)  # a photo where text is due
    with warnings.catch_warnings():  # per_message=False is intended: one dialogue per chat
        warnings.simplefilter("ignore", PTBUserWarning)
        compose = dialogue(
            "presence_compose",
            entry_points=[CommandHandler(["presence", "narvaro"], start)],
            states={
                WHAT: [MessageHandler(typed, what_received), other],
                PLACE: [
                    MessageHandler(private & filters.LOCATION, location_received),
                    MessageHandler(typed, place_received),
                    other,
                ],
                WHEN: [MessageHandler(typed, when_received), other],
                TARGET: [
                    CallbackQueryHandler(
                        target_pressed, pattern=TargetPick.filter(feature=Feature.PRESENCE)
                    )
                ],
                CONFIRM: [CallbackQueryHandler(confirm_pressed, pattern=Confirm.filter())],
            },
            state=("presence_draft",),
        )
        moving = dialogue(
            "presence_move",
            entry_points=[
                CallbackQueryHandler(move_pressed, pattern=PresencePress.filter(action=Manage.MOVE))
            ],
            states={MOVE_WHEN: [MessageHandler(typed, move_when_received)]},
            state=("presence_move_id", "presence_move_listing"),
        )
    application.add_handler(compose)
    application.add_handler(moving)
    application.add_handler(CommandHandler(["presences", "narvarolista"], list_presences))
    application.add_handler(
        CallbackQueryHandler(cancel_pressed, pattern=PresencePress.filter(action=Manage.CANCEL))
    )
    for answer in (Manage.CONFIRM, Manage.KEEP):
        application.add_handler(
            CallbackQueryHandler(cancel_answered, pattern=PresencePress.filter(action=answer))
        )
    application.add_handler(CallbackQueryHandler(remind_pressed, pattern=RemindMe.filter()))
