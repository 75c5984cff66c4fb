"""/export: a CSV of the observations a coordinator or police officer may see.

Callback data (re-checked against storage when pressed): obs:x:<days>  export period
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.api_request import without_result
from bot.commands import CommandSpec
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import observation_export as export_svc
from bot.services.refusals import Refused
from bot.services.roles import Role, access_of
from handlers.common import (
    answer_callback,
    answer_query,
    effective_message,
    effective_user,
    is_private,
    pressed,
    reply,
)
from handlers.guard import chat_admin_check
from handlers.observations_buttons import Export

COMMANDS = [
    CommandSpec("export", "obs.cmd.export", frozenset({Role.COORDINATOR, Role.POLICE})),
]


async def export_command(update: Update, context: BotContext) -> None:
    """/export: choose a period; the CSV follows as a document."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    services = context.services
    access = await access_of(services.db, services.settings, effective_message(update).chat_id)
    if not access.coordinator_of and not access.police_kommuner:
        raise Refused("obs.export.not_allowed")  # say so now, not after a period is chosen
    lang = context.lang
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(lang, f"obs.period.{days}"), callback_data=Export(days).pack()
                )
                for days in export_svc.EXPORT_PERIODS
            ]
        ]
    )
    await without_result(
        effective_message(update).reply_text(t(lang, "obs.export.ask"), reply_markup=markup)
    )


async def on_export(update: Update, context: BotContext) -> None:
    query, button = pressed(update, Export)
    days = button.days
    if days not in export_svc.EXPORT_PERIODS:
        await answer_callback(query, context, "core.not_allowed", alert=True)
        return
    services = context.services
    user_id = effective_user(update).id
    data, count = await export_svc.export_for(
        services.db, services.settings, services.clock, user_id, days,
        chat_admin_check(context, update), lang=context.lang,
    )  # fmt: skip
    stamp = services.clock.now().astimezone(services.settings.tzinfo).strftime("%Y-%m-%d")
    caption = t(
        context.lang,
        "fb.export.caption",
        count=count,
        period=t_plain(context.lang, f"obs.period.{days}"),
    )  # with the column meanings (within the 1024 characters of a caption)
    name = t_plain(context.lang, "fb.export.filename", date=stamp)
    await context.bot.send_document(user_id, InputFile(data, filename=name), caption=caption)
    await answer_query(query)


def register(application: Application) -> None:
    """/export and its period buttons (registered by handlers.observations_triage)."""
    application.add_handler(CommandHandler("export", export_command))
    application.add_handler(CallbackQueryHandler(on_export, pattern=Export.filter()))
