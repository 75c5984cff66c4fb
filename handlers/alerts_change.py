"""An officer changes a sent alert from /alerts: the update dialogue (text, a preview of
the reply and the edited alert per group language, send) and the withdrawal (confirm,
then every delivered copy is edited). Each press re-checks in storage that the person
may still manage the alert. Registered by handlers.alerts_manage.
"""

from __future__ import annotations

from enum import IntEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.services import alert_changes as changes
from bot.services import alerts as service
from bot.services.refusals import Refused
from bot.services.roles import access_of
from bot.textlen import is_blank, utf16_len, visible_length
from handlers.alerts_buttons import AlertManage, AlertManageCancel, ManageAction
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    pressed,
    reply,
    send_closing,
    send_step,
    user_data,
)
from handlers.dialogues import add_step_questions, dialogue, not_typed


class UpdateStep(IntEnum):
    TEXT = 0
    CONFIRM = 1  # the preview is shown


UPDATE_TEXT = UpdateStep.TEXT
UPDATE_CONFIRM = UpdateStep.CONFIRM
#: The UserData attributes of the update dialogue.
UPDATE_STATE = ("alert_update_id", "alert_update_text")


async def _manageable(update: Update, context: BotContext) -> int | None:
    """The alert id of a manage button, if the presser may manage it (else answered)."""
    query, button = pressed(update, AlertManage)
    services = context.services
    alert_id = button.alert_id
    access = await access_of(services.db, services.settings, query.from_user.id)
    try:
        await changes.manageable(services.db, access, alert_id)
    except Refused as exc:
        await answer_query(query, t_plain(context.lang, exc.key), show_alert=True)
        return None
    return alert_id


async def update_pressed(update: Update, context: BotContext) -> int:
    alert_id = await _manageable(update, context)
    if alert_id is None:
        return ConversationHandler.END
    user_data(context).alert_update_id = alert_id
    await answer_query(callback_query(update))
    await send_step(effective_message(update), *await update_question(update, context))
    return UPDATE_TEXT


async def update_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The UPDATE_TEXT step's question, for the alert being updated."""
    alert_id = user_data(context).alert_update_id
    return t(context.lang, "alerts.update.ask", id=alert_id, max=service.MAX_UPDATE), None


async def update_text(update: Update, context: BotContext) -> int:
    services = context.services
    alert_id = user_data(context).alert_update_id
    if alert_id is None:
        return ConversationHandler.END
    text = effective_message(update).text or ""
    if is_blank(text):
        await reply(update, context, "core.text.empty")
        return UPDATE_TEXT
    if utf16_len(text) > service.MAX_UPDATE:
        length = utf16_len(text)
        await reply(update, context, "core.text.too_long", length=length, max=service.MAX_UPDATE)
        return UPDATE_TEXT
    access = await access_of(services.db, services.settings, effective_user(update).id)
    try:
        preview = await changes.update_preview(
            services.db, services.settings.tzinfo, access, alert_id, text
        )
    except Refused as exc:
        await reply(update, context, exc.key, **exc.params)
        return UPDATE_TEXT if exc.key == "core.text.too_long" else ConversationHandler.END
    user_data(context).alert_update_text = text
    *earlier, last = _preview_messages(context.lang, alert_id, preview)
    message = effective_message(update)
    for part in earlier:
        await send_step(message, part)
    await send_step(
        message,
        last,
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t_plain(context.lang, "police.update.send"),
                        callback_data=AlertManage(ManageAction.UPDATE_CONFIRMED, alert_id).pack(),
                    ),
                    InlineKeyboardButton(
                        t_plain(context.lang, "alerts.button.cancel"),
                        callback_data=AlertManageCancel().pack(),
                    ),
                ]
            ]
        ),
    )
    return UPDATE_CONFIRM


def _preview_messages(
    lang: str, alert_id: int, preview: list[tuple[str, str, str | None]]
) -> list[str]:
    """The officer's preview: per group language, the reply and the edited alert exactly
    as residents get them (a language header only when the groups' languages differ), in
    as few messages as Telegram's 4096 characters allow (a long alert in two languages
    takes several)."""
    parts = [str(t(lang, "police.update.preview.title", id=alert_id))]
    for group_lang, notice, alert_text in preview:
        if len(preview) > 1:
            language = t_plain(lang, f"police.language.{group_lang}")
            parts.append(str(t(lang, "police.update.preview.language", language=language)))
        parts.append(str(t(lang, "police.update.preview.reply", notice=Html(notice))))
        if alert_text is None:
            parts.append(str(t(lang, "police.update.preview.unchanged")))
        else:
            parts.append(str(t(lang, "police.update.preview.alert")))
            parts.append(alert_text)  # fits one message on its own (alert_changes.fits)
    messages = [parts[0]]
    for part in parts[1:]:
        joined = messages[-1] + "\n\n" + part
        if visible_length(joined) <= service.TEXT_LIMIT:
            messages[-1] = joined
        else:
            messages.append(part)
    return messages


async def update_confirmed(update: Update, context: BotContext) -> int:
    """Send the update shown in the preview (the button's alert must be the previewed one)."""
    query, button = pressed(update, AlertManage)
    services, data = context.services, user_data(context)
    text = data.alert_update_text
    if text is None or data.alert_update_id != button.alert_id:
        await answer_query(query, t_plain(context.lang, "core.stale_button"), show_alert=True)
        return UPDATE_CONFIRM if text is not None else ConversationHandler.END
    access = await access_of(services.db, services.settings, query.from_user.id)
    data.forget(*UPDATE_STATE)
    try:
        count = await changes.send_update(
            services.db, services.clock, services.settings.tzinfo, access, button.alert_id, text
        )
    except Refused as exc:
        await answer_query(query, t_plain(context.lang, exc.key), show_alert=True)
        return ConversationHandler.END
    services.delivery.wake()
    await answer_query(query)
    # The update is queued: the dialogue ends even if this answer is lost (pressing
    # again must not send a second update).
    await send_closing(
        effective_message(update), t(context.lang, "alerts.update.queued", count=count)
    )
    return ConversationHandler.END


async def update_cancelled(update: Update, context: BotContext) -> int:
    user_data(context).forget(*UPDATE_STATE)
    await manage_cancelled(update, context)
    return ConversationHandler.END


async def update_expected(update: Update, context: BotContext) -> int:
    await reply(update, context, "police.update.expected")
    return UPDATE_CONFIRM


async def withdraw_pressed(update: Update, context: BotContext) -> None:
    alert_id = await _manageable(update, context)
    if alert_id is None:
        return
    lang = context.lang
    await answer_query(callback_query(update))
    await without_result(
        effective_message(update).reply_text(
            t(lang, "alerts.withdraw.confirm", id=alert_id),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            t_plain(lang, "alerts.withdraw.yes"),
                            callback_data=AlertManage(
                                ManageAction.WITHDRAW_CONFIRMED, alert_id
                            ).pack(),
                        ),
                        InlineKeyboardButton(
                            t_plain(lang, "alerts.button.cancel"),
                            callback_data=AlertManageCancel().pack(),
                        ),
                    ]
                ]
            ),
        )
    )


async def withdraw_confirmed(update: Update, context: BotContext) -> None:
    alert_id = await _manageable(update, context)
    if alert_id is None:
        return
    services, query = context.services, callback_query(update)
    access = await access_of(services.db, services.settings, query.from_user.id)
    # Refused (e.g. withdrawn by someone else meanwhile): the error handler answers.
    count = await changes.withdraw(
        services.db, services.clock, services.settings.tzinfo, access, alert_id
    )
    services.delivery.wake()
    await answer_query(query)
    await without_result(
        query.edit_message_text(t(context.lang, "alerts.withdraw.done", id=alert_id, count=count))
    )


async def manage_cancelled(update: Update, context: BotContext) -> None:
    query = callback_query(update)
    await answer_query(query)
    await without_result(query.edit_message_text(t(context.lang, "core.cancel.done")))


def register(application: Application) -> None:
    update_dialogue = dialogue(
        "alert_update",
        entry_points=[
            CallbackQueryHandler(
                update_pressed, pattern=AlertManage.filter(action=ManageAction.UPDATE)
            )
        ],
        states={
            UPDATE_TEXT: [
                MessageHandler(
                    filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, update_text
                ),
                not_typed(update_question),
            ],
            UPDATE_CONFIRM: [
                CallbackQueryHandler(
                    update_confirmed,
                    pattern=AlertManage.filter(action=ManageAction.UPDATE_CONFIRMED),
                ),
                CallbackQueryHandler(update_cancelled, pattern=AlertManageCancel.filter()),
                MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, update_expected),
            ],
        },
        state=UPDATE_STATE,
    )
    application.add_handler(update_dialogue)
    add_step_questions("alert_update", {UPDATE_TEXT: update_question})
    application.add_handler(
        CallbackQueryHandler(
            withdraw_pressed, pattern=AlertManage.filter(action=ManageAction.WITHDRAW)
        )
    )
    application.add_handler(
        CallbackQueryHandler(
            withdraw_confirmed, pattern=AlertManage.filter(action=ManageAction.WITHDRAW_CONFIRMED)
        )
    )
    application.add_handler(
        CallbackQueryHandler(manage_cancelled, pattern=AlertManageCancel.filter())
    )
