"""/alert (/larm): the police officer's dialogue to compose and send an alert.

type → target (all my kommuner / one kommun / chosen groups) → text → optional photo →
preview → Send/Cancel. Every button re-checks the person's roles from storage. The
acknowledgement button, /alerts, update and withdraw live in handlers/alerts_manage.py.
"""

from __future__ import annotations

import logging
import warnings

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

from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.services import alerts as service
from bot.services.alerts import AlertError, Draft
from bot.services.roles import Access, Role, access_of
from handlers import alerts_manage
from handlers.common import cancel_handler, is_private, reply

log = logging.getLogger(__name__)

POLICE = frozenset({Role.POLICE, Role.ADMIN})
COMMANDS = [
    CommandSpec("alert", "alerts.cmd.alert", POLICE, Where.PRIVATE, swedish_alias="larm"),
    *alerts_manage.COMMANDS,
]

TYPE, TARGET, KOMMUN, GROUPS, TEXT, PHOTO, CONFIRM = range(7)
DRAFT_KEY = "alert_draft"
PREFIX = "alert:"
MAX_GROUP_BUTTONS = 40


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=PREFIX + data)


def _rows(buttons: list[InlineKeyboardButton], width: int = 2) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


async def _access(update: Update, context: BotContext) -> Access:
    services = context.services
    return await access_of(services.db, services.settings, update.effective_user.id)


def _draft(context: BotContext) -> Draft | None:
    return Draft.from_dict(context.user_data.get(DRAFT_KEY))


def _save(context: BotContext, draft: Draft) -> None:
    context.user_data[DRAFT_KEY] = draft.to_dict()


async def _refuse(update: Update, context: BotContext, key: str) -> int:
    """Answer a refused step (button toast or message) and end the dialogue."""
    context.user_data.pop(DRAFT_KEY, None)
    if update.callback_query is not None:
        await update.callback_query.answer(t_plain(context.lang, key), show_alert=True)
    else:
        await reply(update, context, key)
    return ConversationHandler.END


async def _checked(update: Update, context: BotContext) -> tuple[Access, Draft] | None:
    """For every button and step: the person must still be police/admin with a draft."""
    access = await _access(update, context)
    draft = _draft(context)
    if not service.may_send_alerts(access) or draft is None:
        return None
    return access, draft


# --------------------------------------------------------------------------- steps


async def start(update: Update, context: BotContext) -> int:
    """/alert: only police and admins, only in private."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return ConversationHandler.END
    if not service.may_send_alerts(await _access(update, context)):
        return await _refuse(update, context, "core.not_allowed")
    _save(context, Draft())
    lang = context.lang
    buttons = [_button(service.category_label(lang, c), f"t:{c}") for c in service.CATEGORIES]
    await update.effective_message.reply_text(
        t(lang, "alerts.ask.type"), reply_markup=_rows(buttons)
    )
    return TYPE


async def type_chosen(update: Update, context: BotContext) -> int:
    query = update.callback_query
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    access, draft = checked
    category = query.data.removeprefix(PREFIX + "t:")
    if category not in service.CATEGORIES:
        await query.answer(t_plain(context.lang, "core.stale_button"))
        return TYPE
    draft.category = category
    _save(context, draft)
    await query.answer()
    count = len(await service.reachable_groups(context.services.db, access))
    lang = context.lang
    all_key = "alerts.target.everywhere" if access.is_admin else "alerts.target.all"
    buttons = [
        _button(t_plain(lang, all_key, count=count), "to:all"),
        _button(t_plain(lang, "alerts.target.kommun"), "to:kommun"),
        _button(t_plain(lang, "alerts.target.groups"), "to:groups"),
    ]
    await query.edit_message_text(t(lang, "alerts.ask.target"), reply_markup=_rows(buttons, 1))
    return TARGET


async def target_chosen(update: Update, context: BotContext) -> int:
    query = update.callback_query
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    access, draft = checked
    db, lang = context.services.db, context.lang
    choice = query.data.removeprefix(PREFIX + "to:")
    if choice == "all":
        if not await service.reachable_groups(db, access):
            await query.answer(t_plain(lang, "alerts.no_groups"), show_alert=True)
            return TARGET
        draft.target_kind = "all"
        _save(context, draft)
        return await _ask_text(update, context)
    if choice == "kommun":
        await query.answer()
        buttons = [
            _button(t_plain(lang, "alerts.kommun.button", name=name, count=count), f"k:{code}")
            for code, name, count in await service.kommun_choices(db, access)
        ]
        await query.edit_message_text(t(lang, "alerts.ask.kommun"), reply_markup=_rows(buttons))
        return KOMMUN
    if choice == "groups":
        await query.answer()
        draft.target_kind, draft.group_ids = "groups", []
        _save(context, draft)
        await _show_groups(update, context, access, draft)
        return GROUPS
    await query.answer(t_plain(lang, "core.stale_button"))
    return TARGET


async def kommun_chosen(update: Update, context: BotContext) -> int:
    query = update.callback_query
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    access, draft = checked
    code = query.data.removeprefix(PREFIX + "k:")
    if not (access.is_admin or access.polices(code)):  # forged or roles changed
        await query.answer(t_plain(context.lang, "core.not_allowed"), show_alert=True)
        return KOMMUN
    draft.target_kind, draft.kommun = "kommun", code
    try:
        groups = await service.target_groups(context.services.db, access, draft)
    except AlertError as exc:
        await query.answer(t_plain(context.lang, exc.key), show_alert=True)
        return KOMMUN
    if not groups:
        await query.answer(t_plain(context.lang, "alerts.no_groups"), show_alert=True)
        return KOMMUN
    _save(context, draft)
    return await _ask_text(update, context)


async def _show_groups(update: Update, context: BotContext, access: Access, draft: Draft) -> None:
    lang = context.lang
    groups = await service.reachable_groups(context.services.db, access)
    buttons = [
        _button(("✅ " if g.id in draft.group_ids else "") + (g.area_name or g.title), f"g:{g.id}")
        for g in groups[:MAX_GROUP_BUTTONS]
    ]
    buttons.append(
        _button(t_plain(lang, "alerts.groups.done", count=len(draft.group_ids)), "g:done")
    )
    text = t(lang, "alerts.ask.groups", count=len(draft.group_ids))
    if len(groups) > MAX_GROUP_BUTTONS:
        text += "\n" + t(lang, "alerts.groups.too_many", shown=MAX_GROUP_BUTTONS, total=len(groups))
    await update.callback_query.edit_message_text(text, reply_markup=_rows(buttons))


async def group_toggled(update: Update, context: BotContext) -> int:
    query = update.callback_query
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    access, draft = checked
    value = query.data.removeprefix(PREFIX + "g:")
    if value == "done":
        if not draft.group_ids:
            await query.answer(t_plain(context.lang, "alerts.groups.none_chosen"), show_alert=True)
            return GROUPS
        return await _ask_text(update, context)
    try:
        group = await service.check_group_choice(context.services.db, access, int(value))
    except (ValueError, AlertError):
        await query.answer(t_plain(context.lang, "core.not_allowed"), show_alert=True)
        return GROUPS
    if group.id in draft.group_ids:
        draft.group_ids.remove(group.id)
    else:
        draft.group_ids.append(group.id)
    _save(context, draft)
    await query.answer()
    await _show_groups(update, context, access, draft)
    return GROUPS


async def _ask_text(update: Update, context: BotContext) -> int:
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(t(context.lang, "alerts.ask.text", max=service.MAX_TEXT))
    return TEXT


async def text_received(update: Update, context: BotContext) -> int:
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    _, draft = checked
    text = update.effective_message.text or ""
    if len(text) > service.MAX_TEXT:
        await reply(update, context, "alerts.text.too_long", length=len(text), max=service.MAX_TEXT)
        return TEXT
    draft.body = text
    _save(context, draft)
    await update.effective_message.reply_text(
        t(context.lang, "alerts.ask.photo"),
        reply_markup=_rows([_button(t_plain(context.lang, "alerts.photo.skip"), "p:skip")]),
    )
    return PHOTO


async def not_text(update: Update, context: BotContext) -> int:
    await reply(update, context, "alerts.text.not_text")
    return TEXT


async def photo_received(update: Update, context: BotContext) -> int:
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    _, draft = checked
    services = context.services
    if not service.body_fits_photo(
        context.lang, draft.category or "other", draft.body or "", services.clock.now(),
        services.settings.tzinfo,
    ):  # fmt: skip
        await reply(update, context, "alerts.photo.too_long", max=service.CAPTION_LIMIT - 150)
        return PHOTO
    draft.photo = update.effective_message.photo[-1].file_id
    _save(context, draft)
    return await _preview(update, context, draft)


async def photo_skipped(update: Update, context: BotContext) -> int:
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    _, draft = checked
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    draft.photo = None
    _save(context, draft)
    return await _preview(update, context, draft)


async def not_photo(update: Update, context: BotContext) -> int:
    await reply(update, context, "alerts.photo.expected")
    return PHOTO


async def _preview(update: Update, context: BotContext, draft: Draft) -> int:
    """Show the alert exactly as residents will see it, then ask Send / Cancel."""
    services, lang = context.services, context.lang
    access = await _access(update, context)
    try:
        groups = await service.target_groups(services.db, access, draft)
    except AlertError as exc:
        return await _refuse(update, context, exc.key)
    languages = {g.language for g in groups}
    shown_lang = languages.pop() if len(languages) == 1 else lang
    text = service.render_alert(
        shown_lang, draft.category or "other", draft.body or "", services.clock.now(),
        services.settings.tzinfo,
    )  # fmt: skip
    markup = InlineKeyboardMarkup.de_json(service.ack_markup(shown_lang, "preview"), context.bot)
    chat = update.effective_chat
    if draft.photo:
        await context.bot.send_photo(chat.id, draft.photo, caption=text, reply_markup=markup)
    else:
        await context.bot.send_message(chat.id, text, reply_markup=markup)
    target_key = f"alerts.confirm.target.{draft.target_kind}"
    if draft.target_kind == "all" and access.is_admin:
        target_key = "alerts.confirm.target.everywhere"
    names = {"name": service.kommun_name(draft.kommun)} if draft.target_kind == "kommun" else {}
    target = t(lang, target_key, **names)
    buttons = [
        _button(t_plain(lang, "alerts.button.send"), "send"),
        _button(t_plain(lang, "alerts.button.cancel"), "cancel"),
    ]
    category = service.category_label(lang, draft.category or "other")
    question = t(lang, "alerts.confirm", category=category, count=len(groups), target=Html(target))
    await context.bot.send_message(
        chat.id, t(lang, "alerts.preview.title") + "\n\n" + question, reply_markup=_rows(buttons)
    )
    return CONFIRM


async def send_confirmed(update: Update, context: BotContext) -> int:
    query = update.callback_query
    checked = await _checked(update, context)
    if checked is None:
        return await _refuse(update, context, "core.not_allowed")
    access, draft = checked
    services, lang = context.services, context.lang
    try:
        created = await service.create_alert(
            services.db, services.clock, services.settings.tzinfo, access, draft, lang
        )
    except AlertError as exc:
        return await _refuse(update, context, exc.key)
    context.user_data.pop(DRAFT_KEY, None)
    await query.answer()
    try:
        status = await query.edit_message_text(
            t(lang, "alerts.sending", id=created.alert_id, count=created.group_count)
        )
        if status is not True:
            await service.set_status_message(
                services.db, created.alert_id, status.chat_id, status.message_id
            )
    except TelegramError:
        log.warning("could not show the sending status of alert %s", created.alert_id)
    services.delivery.wake()
    return ConversationHandler.END


async def cancel_pressed(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT_KEY, None)
    await update.callback_query.answer()
    await update.callback_query.edit_message_text(t(context.lang, "core.cancel.done"))
    return ConversationHandler.END


async def stale_button(update: Update, context: BotContext) -> None:
    """A dialogue button pressed after the dialogue ended (or the bot restarted)."""
    await update.callback_query.answer(t_plain(context.lang, "core.stale_button"), show_alert=True)


def _cb(callback, pattern: str) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=f"^{PREFIX}{pattern}")


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    with warnings.catch_warnings():  # per_message=False is intended: one dialogue per chat
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[CommandHandler(["alert", "larm"], start)],
            states={
                TYPE: [_cb(type_chosen, "t:")],
                TARGET: [_cb(target_chosen, "to:")],
                KOMMUN: [_cb(kommun_chosen, "k:")],
                GROUPS: [_cb(group_toggled, "g:")],
                TEXT: [
                    MessageHandler(private & filters.TEXT & ~filters.COMMAND, text_received),
                    MessageHandler(private & ~filters.COMMAND, not_text),
                ],
                PHOTO: [
                    MessageHandler(private & filters.PHOTO, photo_received),
                    _cb(photo_skipped, "p:skip$"),
                    CommandHandler(["skip", "hoppa"], photo_skipped),
                    MessageHandler(private & ~filters.COMMAND, not_photo),
                ],
                CONFIRM: [_cb(send_confirmed, "send$"), _cb(cancel_pressed, "cancel$")],
            },
            fallbacks=[cancel_handler()],
            allow_reentry=True,
            name="alert_compose",
        )
    application.add_handler(conversation)
    alerts_manage.register(application)
    application.add_handler(CallbackQueryHandler(stale_button, pattern=f"^{PREFIX}"))
