"""/lagesbild and /karta (/map): the shared lägesbild as a chart, a map and a CSV.

For the kommun role, the police and coordinators, each in their own scope (see
bot/services/lagesbild.py). Every press re-reads the person's scope from storage, so a
button kept after a role was revoked is refused (callback data is user input).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import lagesbild as service
from bot.services import lagesbild_map
from bot.services import lagesbild_render as render
from bot.services.lagesbild import PeriodKind, period_ending
from bot.services.lagesbild_period import Period, period_ended
from bot.services.refusals import Refused
from bot.services.roles import Role
from handlers.common import answer_query, callback_query, effective_user, is_private, reply
from handlers.guard import chat_admin_check

STAFF = frozenset({Role.KOMMUN, Role.POLICE, Role.COORDINATOR})

COMMANDS = [
    CommandSpec("lagesbild", "lagesbild.cmd.lagesbild", STAFF, Where.PRIVATE),
    CommandSpec("map", "lagesbild.cmd.map", STAFF, Where.PRIVATE, swedish_alias="karta"),
]


class View(StrEnum):
    CHART = "c"
    MAP = "m"
    CSV = "v"


class LagesbildPress(CallbackData, prefix="lb", version=2):
    """A period button of /lagesbild or /karta, or the CSV button under a chart; the CSV
    button carries the chart's period end (the Monday after its last week, as a date
    ordinal) so that it gives the chart's weeks also when pressed in a later week."""

    view: View
    period: PeriodKind
    ends: int | None = None


def period_buttons(lang: str, view: View) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(lang, f"lagesbild.period.{kind}"),
                    callback_data=LagesbildPress(view, kind).pack(),
                )
                for kind in PeriodKind
            ]
        ]
    )


async def _ask(update: Update, context: BotContext, view: View, key: str) -> None:
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    services = context.services
    # Refused (no role) is answered by the error handler in the person's language.
    await service.scope_of(
        services.db, services.settings, chat_admin_check(context, update), effective_user(update).id
    )
    message = update.effective_message
    assert message is not None
    await without_result(
        message.reply_text(t(context.lang, key), reply_markup=period_buttons(context.lang, view))
    )


async def lagesbild_command(update: Update, context: BotContext) -> None:
    """/lagesbild: choose a period; the chart, the text and a CSV button follow."""
    await _ask(update, context, View.CHART, "lagesbild.choose")


async def map_command(update: Update, context: BotContext) -> None:
    """/karta (/map): choose a period; the heat-grid map follows."""
    await _ask(update, context, View.MAP, "lagesbild.choose_map")


async def on_press(update: Update, context: BotContext) -> None:
    query = callback_query(update)
    press = LagesbildPress.unpack(query.data)
    services = context.services
    user_id = effective_user(update).id
    lang = context.lang
    tz = services.settings.tzinfo
    scope = await service.scope_of(
        services.db, services.settings, chat_admin_check(context, update), user_id
    )
    working = "lagesbild.working_csv" if press.view is View.CSV else "lagesbild.working"
    await answer_query(query, t_plain(lang, working))
    period = _period(press, services.clock.now(), tz)
    if press.view is View.MAP:
        grid = await lagesbild_map.heat_grid(services.db, scope, period)
        png, caption = await render.map_png(grid, lang, scope, tz)
        await context.bot.send_photo(user_id, InputFile(png, filename="karta.png"), caption=caption)
        return
    picture = await service.collect(services.db, scope, period)
    if press.view is View.CSV:
        first, last = render.iso_dates(period)
        await context.bot.send_document(
            user_id,
            InputFile(render.to_csv(picture, lang), filename=f"lagesbild-{first}-{last}.csv"),
            caption=t(
                lang,
                "lagesbild.csv_caption",
                scope=render.scope_title(lang, scope),
                period=render.period_text(lang, period),
            ),
        )
        return
    png = await render.chart_png(picture, lang, scope)
    await context.bot.send_photo(user_id, InputFile(png, filename="lagesbild.png"))
    csv_button = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(lang, "lagesbild.csv_button"),
                    callback_data=LagesbildPress(
                        View.CSV, press.period, period.end.date().toordinal()
                    ).pack(),
                )
            ]
        ]
    )
    await without_result(
        context.bot.send_message(
            user_id, render.summary(picture, lang, scope), reply_markup=csv_button
        )
    )


def _period(press: LagesbildPress, now: datetime, tz: tzinfo) -> Period:
    """The period a press asks for: the chart's own weeks for its CSV button, else the
    weeks ending with the last complete one."""
    if press.ends is not None:
        try:
            end = date.fromordinal(press.ends)
        except ValueError:  # not a day of the calendar: only a forged press sends that
            raise Refused("core.stale_button") from None
        return period_ended(press.period, end, tz)
    return period_ending(press.period, now, tz)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("lagesbild", lagesbild_command))
    application.add_handler(CommandHandler(["map", "karta"], map_command))
    application.add_handler(CallbackQueryHandler(on_press, pattern=LagesbildPress.filter()))
