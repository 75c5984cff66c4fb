"""/alerts → "Per group": an alert's figures per target group, and the same as CSV."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import alert_figures as service
from bot.services.roles import access_of
from handlers.alerts_buttons import AlertFigures
from handlers.common import answer_query, pressed


def figures_button(lang: str, alert_id: int) -> InlineKeyboardButton:
    """The "Per group" button under an alert in /alerts."""
    return InlineKeyboardButton(
        t_plain(lang, "police.figures.button", id=alert_id),
        callback_data=AlertFigures(alert_id, csv=False).pack(),
    )


async def figures_pressed(update: Update, context: BotContext) -> None:
    """Per-group lines (csv=False, with a CSV button) or the CSV file (csv=True), sent to
    the presser privately. Refused (not theirs, unknown alert): the error handler answers."""
    query, button = pressed(update, AlertFigures)
    services, lang = context.services, context.lang
    tz = services.settings.tzinfo
    access = await access_of(services.db, services.settings, query.from_user.id)
    alert, groups = await service.figures(services.db, access, button.alert_id)
    await answer_query(query)
    if button.csv:
        await context.bot.send_document(
            query.from_user.id,
            InputFile(service.to_csv(lang, tz, groups), filename=f"larm-{alert.id}-grupper.csv"),
            caption=t(lang, "police.figures.csv_caption", id=alert.id),
        )
        return
    csv_button = InlineKeyboardButton(
        t_plain(lang, "police.figures.csv_button"),
        callback_data=AlertFigures(alert.id, csv=True).pack(),
    )
    await without_result(
        context.bot.send_message(
            query.from_user.id,
            service.render(lang, tz, alert, groups),
            reply_markup=InlineKeyboardMarkup([[csv_button]]) if groups else None,
        )
    )
