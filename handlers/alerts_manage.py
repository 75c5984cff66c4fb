"""After an alert is sent: the "Seen" button, the officer's report, /alerts (its update and
withdraw buttons are handled in handlers/alerts_change.py)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
)

from bot.api_request import without_result
from bot.commands import CommandSpec, Where
from bot.context import SERVICES_KEY, BotContext
from bot.delivery import SENT, DeliveryOutcome
from bot.i18n import Html, t, t_plain
from bot.i18n.dates import format_when
from bot.services import alert_changes as changes
from bot.services import alerts as service
from bot.services.alert_ack import acknowledged_alert, is_ack
from bot.services.alerts import AckResult
from bot.services.refusals import Refused
from bot.services.roles import Role, access_of
from bot.textlen import clip
from handlers import alerts_change, alerts_figures
from handlers.alerts_buttons import AlertFigures, AlertManage, ManageAction
from handlers.alerts_figures import figures_button
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    is_private,
    reply,
)

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec(
        "alerts",
        "alerts.cmd.alerts",
        frozenset({Role.POLICE, Role.ADMIN}),
        Where.PRIVATE,
        swedish_alias="larmlista",
    ),
]


ACK_RESULT_KEYS = {
    AckResult.RECORDED: "fb.ack.recorded",  # "read", not "seen" (#13)
    AckResult.ALREADY: "fb.ack.already",
    AckResult.UNKNOWN: "alerts.ack.unknown",
    AckResult.WITHDRAWN: "alerts.ack.withdrawn",
}


# --------------------------------------------------------------------------- "Seen / Sett"


async def ack_pressed(update: Update, context: BotContext) -> None:
    """One acknowledgement per person and alert; a second press says so."""
    query = callback_query(update)
    button = acknowledged_alert(query.data)  # the pattern let only an ack through
    assert button is not None
    if button.alert_id is None:
        await answer_query(query, t_plain(context.lang, "alerts.ack.preview"), show_alert=True)
        return
    services = context.services
    chat = update.effective_chat
    result = await service.acknowledge(
        services.db,
        services.clock,
        button.alert_id,
        query.from_user.id,
        chat.id if chat else None,
    )
    await answer_query(query, t_plain(context.lang, ACK_RESULT_KEYS[result]))


# --------------------------------------------------------------------------- /alerts


async def list_alerts(update: Update, context: BotContext) -> None:
    """/alerts: recent alerts with groups reached and seen counts, with manage buttons."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    services, lang = context.services, context.lang
    access = await access_of(services.db, services.settings, effective_user(update).id)
    try:
        items = await changes.recent(services.db, access)
    except Refused as exc:  # not police: say who sends alerts and how to become one
        await reply(
            update, context, "onb.alert.not_police" if exc.key == "core.not_allowed" else exc.key
        )
        return
    if not items:
        await reply(update, context, "alerts.list.empty")
        return
    lines = [t(lang, "alerts.list.title")]
    buttons: list[list[InlineKeyboardButton]] = []
    tz = services.settings.tzinfo
    for stats in items:
        alert = stats.alert
        preview = clip(alert.body, 80)
        lines.append(
            t(
                lang,
                "alerts.list.item",
                id=alert.id,
                category=service.category_label(lang, alert.category),
                when=format_when(lang, alert.created_at, tz),
                preview=preview,
                delivered=stats.delivered,
                count=stats.targeted,
                seen=stats.seen,
                pending=Html(t(lang, "alerts.list.pending", pending=stats.pending))
                if stats.pending
                else "",
                withdrawn=Html(t(lang, "alerts.list.withdrawn")) if alert.is_withdrawn else "",
            )
        )
        row = [figures_button(lang, alert.id)]
        if not alert.is_withdrawn:
            row[:0] = [
                InlineKeyboardButton(
                    t_plain(lang, "alerts.button.update", id=alert.id),
                    callback_data=AlertManage(ManageAction.UPDATE, alert.id).pack(),
                ),
                InlineKeyboardButton(
                    t_plain(lang, "alerts.button.withdraw", id=alert.id),
                    callback_data=AlertManage(ManageAction.WITHDRAW, alert.id).pack(),
                ),
            ]
        buttons.append(row)
    await without_result(
        effective_message(update).reply_text(
            "\n\n".join(lines), reply_markup=InlineKeyboardMarkup(buttons)
        )
    )


# --------------------------------------------------------------------------- reports


async def _report(application: Application, alert_id: int) -> None:
    """If every delivery of the alert is finished, its report to the officer is enqueued
    (through the outbox, which retries and follows errors like every other row)."""
    services = application.bot_data[SERVICES_KEY]
    if await service.finish_if_done(services.db, services.clock, alert_id) is not None:
        services.delivery.wake()


def register(application: Application) -> None:
    services = application.bot_data[SERVICES_KEY]

    async def on_result(row_id: int, ref_id: int | None, outcome: DeliveryOutcome) -> None:
        if outcome.status == SENT and await changes.follow_up_edit(
            services.db, services.clock, services.settings.tzinfo, row_id
        ):
            services.delivery.wake()  # the alert changed while this copy was on its way
        if ref_id is not None and not outcome.unfinished:  # only the last copy can finish it
            await _report(application, ref_id)

    async def report_unfinished(_app: Application) -> None:
        for alert_id in await service.unreported_alerts(services.db):
            await _report(application, alert_id)

    services.delivery.register_result_handler(service.KIND_ALERT, on_result)
    services.startup_hooks.append(report_unfinished)

    application.add_handler(CallbackQueryHandler(ack_pressed, pattern=is_ack))
    application.add_handler(CommandHandler(["alerts", "larmlista"], list_alerts))
    alerts_change.register(application)
    application.add_handler(
        CallbackQueryHandler(alerts_figures.figures_pressed, pattern=AlertFigures.filter())
    )
