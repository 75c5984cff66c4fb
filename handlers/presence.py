"""/narvaro (/presence): announce "police on site" to the groups; the residents' "🔔 Påminn
mig" button. /narvarolista (/presences), cancel and move: handlers/presence_manage.py.

what → where (text, optionally a shared location first) → when → target
(handlers/dialog_target.py) → preview → Send. Every step and button re-checks the
person's roles from storage.
"""

from __future__ import annotations

import logging
import warnings

from telegram import InlineKeyboardMarkup, Update
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
from bot.services.roles import Role
from bot.textlen import is_blank, utf16_len
from handlers import presence_manage
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    is_private,
    reply,
    send_step,
    show_step,
    time_examples,
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
from handlers.dialogues import add_step_questions, dialogue, not_typed

log = logging.getLogger(__name__)

WHAT, PLACE, WHEN, TARGET, CONFIRM = range(5)
DRAFT_KEY = DRAFT_KEYS[Feature.PRESENCE]
POLICE = frozenset({Role.POLICE, Role.ADMIN})
COMMANDS = [
    CommandSpec("presence", "dialog.cmd.presence", POLICE, Where.PRIVATE, swedish_alias="narvaro"),
    CommandSpec(
        "presences", "dialog.cmd.presences", POLICE, Where.PRIVATE, swedish_alias="narvarolista"
    ),
]


class Confirm(CallbackData, prefix="prs"):
    send: bool


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
        raise Refused("core.text.empty")
    if utf16_len(text) > limit:
        raise Refused("core.text.too_long", length=utf16_len(text), max=limit)
    return text


# --------------------------------------------------------------------------- composing


async def start(update: Update, context: BotContext) -> int:
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return ConversationHandler.END
    if not targets.may_use(Feature.PRESENCE, await current_access(update, context)):
        raise Refused("onb.presence.not_police")  # who announces visits, and how to become one
    user_data(context).presence_draft = PresenceDialogDraft()
    await send_step(effective_message(update), *await what_question(update, context))
    return WHAT


async def what_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    return t(context.lang, "dialog.presence.ask_what"), None


async def place_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The PLACE step's question: its name, after a shared location or first."""
    shared = _draft(context).presence.latitude is not None
    key = "dialog.presence.got_location" if shared else "dialog.presence.ask_place"
    return t(context.lang, key), None


async def when_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    return t(context.lang, "dialog.presence.ask_when", **time_examples(context)), None


async def what_received(update: Update, context: BotContext) -> int:
    await _check(update, context)
    _draft(context).presence.what = _text(update, service.MAX_WHAT)
    await send_step(effective_message(update), *await place_question(update, context))
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
    await send_step(effective_message(update), *await when_question(update, context))
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
        link = group_service.deep_link(context.bot.username, group_service.PLAIN_START)
        text = t_plain(lang, "dialog.presence.remind_not_started", link=link)
    else:
        text = t_plain(lang, "dialog.presence.remind_unknown")
    await answer_query(query, text, show_alert=result is RemindResult.NOT_STARTED)


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    typed = private & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # per_message=False is intended: one dialogue per chat
        warnings.simplefilter("ignore", PTBUserWarning)
        compose = dialogue(
            "presence_compose",
            entry_points=[CommandHandler(["presence", "narvaro"], start)],
            states={
                WHAT: [MessageHandler(typed, what_received), not_typed(what_question)],
                PLACE: [
                    MessageHandler(private & filters.LOCATION, location_received),
                    MessageHandler(typed, place_received),
                    not_typed(place_question),
                ],
                WHEN: [MessageHandler(typed, when_received), not_typed(when_question)],
                TARGET: [
                    CallbackQueryHandler(
                        target_pressed, pattern=TargetPick.filter(feature=Feature.PRESENCE)
                    )
                ],
                CONFIRM: [CallbackQueryHandler(confirm_pressed, pattern=Confirm.filter())],
            },
            state=("presence_draft",),
        )
    application.add_handler(compose)
    add_step_questions(
        "presence_compose", {WHAT: what_question, PLACE: place_question, WHEN: when_question}
    )
    presence_manage.register(application)
    application.add_handler(CallbackQueryHandler(remind_pressed, pattern=RemindMe.filter()))
