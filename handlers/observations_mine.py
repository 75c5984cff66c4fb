"""The resident's own reports: /myreports (/minarapporter) and withdrawing a new one."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.api_request import without_result
from bot.commands import EVERYONE, CommandSpec, Where
from bot.context import BotContext
from bot.services import observations as svc
from handlers.common import (
    answer_callback,
    effective_message,
    effective_user,
    is_private,
    pressed,
    reply,
)
from handlers.observations_buttons import Withdraw
from handlers.observations_notify import notifier
from handlers.observations_render import own_listing

COMMANDS = [
    CommandSpec(
        "myreports", "obs.cmd.myreports", EVERYONE, Where.PRIVATE, swedish_alias="minarapporter"
    ),
]


async def my_reports(update: Update, context: BotContext) -> None:
    """The resident's own reports with a withdraw button for those still new."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    services = context.services
    page = await svc.own_reports(services.db, effective_user(update).id)
    text, markup = own_listing(context.lang, page, services.settings.tzinfo)
    await without_result(effective_message(update).reply_text(text, reply_markup=markup))


async def on_withdraw(update: Update, context: BotContext) -> None:
    """`Withdraw`: withdraw one's own new report (ownership re-checked in storage)."""
    query, button = pressed(update, Withdraw)
    obs_id = button.observation_id
    services = context.services
    user_id = effective_user(update).id
    outcome = await svc.withdraw(services.db, services.clock, user_id, obs_id, notifier(services))
    if outcome is svc.ActionOutcome.DONE:
        services.delivery.wake()  # the coordinators' notices are edited to say so
    key, reference = "obs.done.stale", ""
    if outcome is not svc.ActionOutcome.STALE:
        obs, _ = await svc.load_for(
            services.db, services.settings, user_id, obs_id, svc.Viewer.RESIDENT
        )
        assert obs is not None  # just withdrawn by this resident, so theirs to see
        key, reference = "obs.mine.withdrawn", obs.reference
    page = await svc.own_reports(services.db, user_id)
    text, markup = own_listing(context.lang, page, services.settings.tzinfo)
    try:
        await without_result(query.edit_message_text(text, reply_markup=markup))
    finally:  # the toast last: a press too old to answer has still done its work
        await answer_callback(
            query, context, key, alert=key == "obs.done.stale", reference=reference
        )


def register(application: Application) -> None:
    """/myreports and the withdraw button (registered by handlers.observations_report)."""
    application.add_handler(CommandHandler(["myreports", "minarapporter"], my_reports))
    application.add_handler(CallbackQueryHandler(on_withdraw, pattern=Withdraw.filter()))
