"""/alert (/larm): the police officer's dialogue to compose and send an alert.

type → target (all my kommuner / one kommun / chosen groups / near a place) → text →
optional photo → optional "Läs mer" link → optional event number → preview (in each
language of the chosen groups) → Send/Cancel. Every button re-checks the person's roles
from storage. Type and target: handlers/alerts_target.py (near a place:
handlers/alerts_place.py), link and event number in handlers/alerts_details.py, the
dialogue's shared parts in handlers/alerts_draft.py, the target screens' parts shared with
/enkat and /narvaro in handlers/target_screen.py. The acknowledgement button and /alerts
live in handlers/alerts_manage.py, update and withdraw in handlers/alerts_change.py.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.services import alert_format, alert_targets
from bot.services import alerts as service
from bot.services.alerts import Draft
from bot.services.refusals import Refused
from bot.services.roles import Role
from bot.textlen import is_blank, utf16_len
from handlers import alerts_details, alerts_manage, alerts_place
from handlers.alerts_buttons import (
    COMPOSE_BUTTONS,
    AlertConfirm,
    AlertDetailSkip,
    AlertGroup,
    AlertKommun,
    AlertNear,
    AlertPhotoSkip,
    AlertRadius,
    AlertTarget,
    AlertType,
    DetailStep,
)
from handlers.alerts_draft import (
    CONFIRM,
    EVENT,
    GROUPS,
    KOMMUN,
    LINK,
    NEAR,
    PHOTO,
    PLACE,
    RADIUS,
    STATE,
    TARGET,
    TEXT,
    TYPE,
    alert_button,
    button_rows,
    check_step,
    current_access,
    refuse,
    save_draft,
    text_question,
)
from handlers.alerts_target import group_toggled, kommun_chosen, target_chosen, type_chosen
from handlers.common import (
    StepCallback,
    answer_query,
    callback_query,
    effective_chat,
    effective_message,
    is_private,
    reply,
    send_step,
    show_step,
    user_data,
    with_retries,
)
from handlers.dialogues import add_step_questions, dialogue, not_typed

log = logging.getLogger(__name__)

POLICE = frozenset({Role.POLICE, Role.ADMIN})
COMMANDS = [
    CommandSpec("alert", "alerts.cmd.alert", POLICE, Where.PRIVATE, swedish_alias="larm"),
    *alerts_manage.COMMANDS,
]


# --------------------------------------------------------------------------- steps


async def start(update: Update, context: BotContext) -> int:
    """/alert: only police and admins, only in private."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return ConversationHandler.END
    if not alert_targets.may_send_alerts(await current_access(update, context)):
        return await refuse(update, context, "onb.alert.not_police")  # who can, and how
    save_draft(context, Draft())
    lang = context.lang
    buttons = [
        alert_button(service.category_label(lang, c), AlertType(c)) for c in service.CATEGORIES
    ]
    await send_step(effective_message(update), t(lang, "alerts.ask.type"), button_rows(buttons))
    return TYPE


async def text_received(update: Update, context: BotContext) -> int:
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    _, draft = checked
    text = effective_message(update).text or ""
    if is_blank(text):
        await reply(update, context, "core.text.empty")
        return TEXT
    length = utf16_len(text)
    if length > service.MAX_TEXT:
        await reply(update, context, "alerts.text.too_long", length=length, max=service.MAX_TEXT)
        return TEXT
    draft.body = text
    save_draft(context, draft)
    await send_step(effective_message(update), *await photo_question(update, context))
    return PHOTO


async def photo_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The PHOTO step's question and its Skip button."""
    skip = alert_button(t_plain(context.lang, "alerts.photo.skip"), AlertPhotoSkip())
    return t(context.lang, "alerts.ask.photo"), button_rows([skip])


async def photo_received(update: Update, context: BotContext) -> int:
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    services = context.services
    category, now, tz = draft.category or "other", services.clock.now(), services.settings.tzinfo
    # The sender line is part of the caption; a link and event number asked for later are
    # left out if they do not fit (see _preview).
    details = replace(
        await service.draft_details(services.db, access, draft), link=None, event_number=None
    )
    if not service.body_fits_photo(context.lang, category, draft.body or "", now, tz, details):
        limit = service.photo_body_max(category, now, tz, details)
        length = utf16_len(draft.body or "")
        await reply(update, context, "alerts.photo.too_long", length=length, max=limit)
        return PHOTO
    draft.photo = effective_message(update).photo[-1].file_id
    save_draft(context, draft)
    return await alerts_details.ask_link(update, context)


async def photo_skipped(update: Update, context: BotContext) -> int:
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    _, draft = checked
    if update.callback_query is not None:
        await answer_query(update.callback_query)
        try:  # cosmetic: the preview below is the step that matters
            await without_result(update.callback_query.edit_message_reply_markup(None))
        except TelegramError as exc:
            log.info("could not remove the skip button: %s", exc)
    draft.photo = None
    save_draft(context, draft)
    return await alerts_details.ask_link(update, context)


async def _send_preview(
    context: BotContext, chat_id: int, photo: str | None, text: str, markup: InlineKeyboardMarkup
) -> None:
    # Retried when lost (see send_step): the preview may then show twice.
    bot = context.bot
    if photo:
        await with_retries(
            lambda: bot.send_photo(chat_id, photo, caption=text, reply_markup=markup)
        )
    else:
        await with_retries(
            lambda: without_result(bot.send_message(chat_id, text, reply_markup=markup))
        )


async def _preview(update: Update, context: BotContext, draft: Draft) -> int:
    """Show the alert exactly as residents will see it, once in each language of the chosen
    groups, then ask Send / Cancel."""
    services, lang = context.services, context.lang
    access = await current_access(update, context)
    try:
        groups = await alert_targets.target_groups(services.db, access, draft)
    except Refused as exc:
        return await refuse(update, context, exc.key)
    details = await service.draft_details(services.db, access, draft)
    category, body = draft.category or "other", draft.body or ""
    now, tz = services.clock.now(), services.settings.tzinfo
    if draft.photo and not service.body_fits_photo(lang, category, body, now, tz, details):
        # the link and event number made the caption too long: go without them
        draft.link = draft.event_number = None
        save_draft(context, draft)
        await reply(update, context, "police.detail.too_long_for_photo")
        details = await service.draft_details(services.db, access, draft)
    languages = sorted({g.language for g in groups}, key=lambda code: code != lang) or [lang]
    chat_id, bot = effective_chat(update).id, context.bot
    for shown_lang in languages:
        text = service.render_alert(shown_lang, category, body, now, tz, details=details)
        if len(languages) > 1 and draft.photo:  # a caption has no room for the heading
            heading = t(shown_lang, "police.preview.language")
            await with_retries(partial(bot.send_message, chat_id, heading))
        elif len(languages) > 1:
            text = t(shown_lang, "police.preview.language") + "\n\n" + text
        share = alert_format.share_link(shown_lang, category, body, details)
        markup = InlineKeyboardMarkup.de_json(
            service.ack_markup(shown_lang, None, share), context.bot
        )
        await _send_preview(context, chat_id, draft.photo, text, markup)
    target_key = f"alerts.confirm.target.{draft.target_kind}"
    if draft.target_kind == "all" and access.is_admin:
        target_key = "alerts.confirm.target.everywhere"
    names = (
        {"name": alert_targets.kommun_name(draft.kommun)} if draft.target_kind == "kommun" else {}
    )
    target = t(lang, target_key, **names)
    buttons = [
        alert_button(t_plain(lang, "alerts.button.send"), AlertConfirm(send=True)),
        alert_button(t_plain(lang, "alerts.button.cancel"), AlertConfirm(send=False)),
    ]
    category_name = service.category_label(lang, category)
    question = t(
        lang, "alerts.confirm", category=category_name, count=len(groups), target=Html(target)
    )
    title_key = "alerts.preview.title" if len(languages) == 1 else "police.preview.titles"
    confirm = t(lang, title_key) + "\n\n" + question
    if details.sender_title is None:
        confirm += "\n\n" + t(lang, "police.profile.hint")
    await with_retries(
        lambda: bot.send_message(chat_id, confirm, reply_markup=button_rows(buttons))
    )
    return CONFIRM


async def send_confirmed(update: Update, context: BotContext) -> int:
    query = callback_query(update)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    services, lang = context.services, context.lang
    try:
        created = await service.create_alert(
            services.db, services.clock, services.settings.tzinfo, access, draft, lang
        )
    except Refused as exc:
        return await refuse(update, context, exc.key)
    user_data(context).forget(*STATE)
    await answer_query(query)  # after the work; never raises (a press too old to answer)
    sending = t(lang, "alerts.sending", id=created.alert_id, count=created.group_count)
    try:
        try:
            status = await query.edit_message_text(sending)
        except NetworkError:  # unknown whether it was edited: the status goes out anew, so
            # the officer sees it (and its final report) even if the edit never happened
            chat_id = effective_chat(update).id
            status = await with_retries(lambda: context.bot.send_message(chat_id, sending))
        if isinstance(status, Message):
            await service.set_status_message(
                services.db, created.alert_id, status.chat_id, status.message_id
            )
    except TelegramError:
        log.warning("could not show the sending status of alert %s", created.alert_id)
    services.delivery.wake()
    return ConversationHandler.END


async def cancel_pressed(update: Update, context: BotContext) -> int:
    user_data(context).forget(*STATE)
    await answer_query(callback_query(update))
    try:  # the draft is gone: the dialogue ends whatever the screen shows
        await show_step(callback_query(update), t(context.lang, "core.cancel.done"), None)
    except TelegramError as exc:
        log.warning("cancelled alert dialogue not shown: %s", exc)
    return ConversationHandler.END


async def stale_button(update: Update, context: BotContext) -> None:
    """A dialogue button pressed after the dialogue ended (or the bot restarted)."""
    await answer_query(
        callback_query(update), t_plain(context.lang, "core.stale_button"), show_alert=True
    )


def _cb(callback: StepCallback, kind: type[CallbackData], **where: object) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=kind.filter(**where))


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    link_received, event_received, link_skipped, event_skipped = alerts_details.steps(_preview)
    conversation = dialogue(
        "alert_compose",
        entry_points=[CommandHandler(["alert", "larm"], start)],
        states={
            TYPE: [_cb(type_chosen, AlertType)],
            TARGET: [_cb(target_chosen, AlertTarget)],
            KOMMUN: [_cb(kommun_chosen, AlertKommun)],
            GROUPS: [_cb(group_toggled, AlertGroup)],
            PLACE: [
                MessageHandler(private & filters.LOCATION, alerts_place.location_shared),
                MessageHandler(text, alerts_place.place_typed),
                not_typed(alerts_place.place_question, "police.place.expected"),
            ],
            RADIUS: [_cb(alerts_place.radius_chosen, AlertRadius)],
            NEAR: [_cb(alerts_place.near_toggled, AlertNear)],
            TEXT: [
                MessageHandler(text, text_received),
                not_typed(text_question),
            ],
            PHOTO: [
                MessageHandler(private & filters.PHOTO, photo_received),
                _cb(photo_skipped, AlertPhotoSkip),
                CommandHandler(["skip", "hoppa"], photo_skipped),
                # a photo sent as a file, a sticker…: please send a photo, and the question
                not_typed(photo_question, "alerts.photo.expected"),
            ],
            LINK: [
                MessageHandler(text, link_received),
                _cb(link_skipped, AlertDetailSkip, step=DetailStep.LINK),
                CommandHandler(["skip", "hoppa"], link_skipped),
                not_typed(alerts_details.link_question),
            ],
            EVENT: [
                MessageHandler(text, event_received),
                _cb(event_skipped, AlertDetailSkip, step=DetailStep.EVENT),
                CommandHandler(["skip", "hoppa"], event_skipped),
                not_typed(alerts_details.event_question),
            ],
            CONFIRM: [
                _cb(send_confirmed, AlertConfirm, send=True),
                _cb(cancel_pressed, AlertConfirm, send=False),
            ],
        },
        state=STATE,
    )
    application.add_handler(conversation)
    add_step_questions(
        "alert_compose",
        {
            PLACE: alerts_place.place_question,
            TEXT: text_question,
            PHOTO: photo_question,
            LINK: alerts_details.link_question,
            EVENT: alerts_details.event_question,
        },
    )
    alerts_manage.register(application)
    application.add_handler(CallbackQueryHandler(stale_button, pattern=COMPOSE_BUTTONS))
