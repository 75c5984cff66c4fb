"""/tips: coordinators set their group's tip schedule; admins and police reach the library.

Buttons (handlers/tips_buttons.py, re-validated against storage on every press): the
panel's `TipsPanel` (weekday, time, frequency, preview, send now); the library's buttons
and dialogue live in handlers/tips_library.py. The group's language is set in one place,
/grupp (handlers/groups_settings.py); the panel names it and points there.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

import handlers.tips_library as library
from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.i18n.dates import format_when
from bot.services import groups as group_service
from bot.services import tip_admin
from bot.services import tips as tip_service
from bot.services.roles import Access, ChatAdminCheck, Role, access_for_group, access_of
from bot.services.schedule import Frequency
from handlers.common import (
    answer_callback,
    answer_query,
    effective_message,
    is_private,
    pressed,
    reply,
)
from handlers.guard import chat_admin_check, shown_in_own_chat
from handlers.tips_buttons import TIPS_BUTTONS, LibraryPage, LibraryTip, PanelAction, TipsPanel
from storage.groups import GroupRecord
from storage.tips import ScheduleRecord

COMMANDS = [
    CommandSpec(
        "tips", "cmd.tips", frozenset({Role.COORDINATOR, Role.POLICE, Role.ADMIN}), Where.BOTH
    )
]

FREQ_CODES = {"w": Frequency.WEEKLY, "b": Frequency.BIWEEKLY, "m": Frequency.MONTHLY,
              "o": Frequency.OFF}  # fmt: skip
FREQ_CODE_OF = {freq: code for code, freq in FREQ_CODES.items()}
HOURS = range(7, 22)
PICKERS = (PanelAction.DAY, PanelAction.TIME, PanelAction.FREQUENCY)


def _button(lang: str, key: str, data: CallbackData, **params: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(t_plain(lang, key, **params), callback_data=data.pack())


def describe_schedule(lang: str, schedule: ScheduleRecord) -> str:
    """'every Monday at 18:00' and the like, in a language."""
    if schedule.frequency == Frequency.OFF:
        return t(lang, "tips.sched.off")
    weekday = t(lang, f"tips.weekday.{schedule.weekday}")
    at = format_when(lang, dt.time.fromisoformat(schedule.local_time))
    return t(lang, f"tips.sched.{schedule.frequency}", weekday=weekday, time=at)


def describe_next(lang: str, schedule: ScheduleRecord, context: BotContext) -> str:
    if schedule.next_run_at is None:
        return t(lang, "tips.next_none")
    tz, now = context.services.settings.tzinfo, context.services.clock.now()
    # the panel stays in the chat: the day is named, never "i morgon"
    return format_when(lang, schedule.next_run_at, tz, now=now, weekday=True)


async def _panel(context: BotContext, group: GroupRecord) -> tuple[str, InlineKeyboardMarkup]:
    lang, services = context.lang, context.services
    schedule = await tip_service.schedule_of(
        services.db, services.settings.tzinfo, group.id, services.clock.now()
    )
    text = t(
        lang,
        "tips.panel",
        group=group.area_name or group.title,
        schedule=Html(describe_schedule(lang, schedule)),
        next_run=Html(describe_next(lang, schedule, context)),
        language=t(lang, f"tips.lang.{group.language}"),
    )
    g = group.id
    keyboard = InlineKeyboardMarkup(
        [
            [
                _button(lang, "tips.btn.day", TipsPanel(PanelAction.DAY, g)),
                _button(lang, "tips.btn.time", TipsPanel(PanelAction.TIME, g)),
            ],
            [
                _button(lang, "tips.btn.frequency", TipsPanel(PanelAction.FREQUENCY, g)),
                _button(lang, "tips.btn.preview", TipsPanel(PanelAction.PREVIEW, g)),
            ],
            [_button(lang, "tips.btn.send_now", TipsPanel(PanelAction.SEND, g))],
        ]
    )  # fmt: skip
    return text, keyboard


async def _access_for(update: Update, context: BotContext, user_id: int, group_id: int) -> Access:
    """Stored roles; coordinating this group also needs Telegram admin status right now."""
    services = context.services
    return await access_for_group(
        services.db, services.settings, chat_admin_check(context, update), user_id, group_id
    )


async def tips_command(update: Update, context: BotContext) -> None:
    """/tips: the group's panel in a group; a choice of groups (and the library) in private."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    services = context.services
    if not is_private(update):
        group = await group_service.group_for_chat(services.db, chat.id)
        if group is None or not group.is_registered:
            await reply(update, context, "tips.not_registered")
            return
        access = await _access_for(update, context, user.id, group.id)
        if not tip_service.may_schedule(access, group.id):
            await reply(update, context, "tips.schedule_by_coordinator")
            return
        text, keyboard = await _panel(context, group)
        await without_result(effective_message(update).reply_text(text, reply_markup=keyboard))
        return
    groups = await group_service.groups_coordinated(
        services.db, services.settings, chat_admin_check(context, update), user.id
    )
    access = await access_of(services.db, services.settings, user.id)
    librarian = tip_service.may_edit_library(access)
    if not groups and not librarian:
        await reply(update, context, "tips.no_groups")
        return
    if len(groups) == 1 and not librarian:
        text, keyboard = await _panel(context, groups[0])
        await without_result(effective_message(update).reply_text(text, reply_markup=keyboard))
        return
    rows = [
        [
            InlineKeyboardButton(
                g.area_name or g.title or str(g.id),
                callback_data=TipsPanel(PanelAction.PANEL, g.id).pack(),
            )
        ]
        for g in groups
    ]
    if librarian:
        rows.append([_button(context.lang, "tips.library_button", LibraryPage(0))])
    await without_result(
        effective_message(update).reply_text(
            t(context.lang, "tips.choose"), reply_markup=InlineKeyboardMarkup(rows)
        )
    )


def _picker(
    lang: str, action: PanelAction, gid: int
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    back = [_button(lang, "tips.btn.back", TipsPanel(PanelAction.PANEL, gid))]
    if action is PanelAction.DAY:
        days = [
            _button(lang, f"tips.weekday.{d}", TipsPanel(PanelAction.DAY, gid, str(d)))
            for d in range(7)
        ]
        return "tips.pick.day", [days[:4], days[4:], back]
    if action is PanelAction.TIME:
        hours = [
            InlineKeyboardButton(
                f"{h:02d}:00", callback_data=TipsPanel(PanelAction.TIME, gid, f"{h:02d}00").pack()
            )
            for h in HOURS
        ]
        return "tips.pick.time", [hours[i : i + 5] for i in range(0, len(hours), 5)] + [back]
    freqs = [  # PanelAction.FREQUENCY
        [_button(lang, f"tips.freq.{freq}", TipsPanel(PanelAction.FREQUENCY, gid, code))]
        for code, freq in FREQ_CODES.items()
    ]
    return "tips.pick.frequency", [*freqs, back]


async def _apply(
    context: BotContext,
    group: GroupRecord,
    action: str,
    value: str,
    access: Access,
    check: ChatAdminCheck,
) -> bool:
    """Store a picked value; False when the value is not one the buttons offer."""
    services = context.services
    now, tz, db = services.clock.now(), services.settings.tzinfo, services.db
    change = partial(tip_service.change_schedule, db, tz, now, access, check)
    if action == "d" and value in {str(d) for d in range(7)}:
        await change(group.id, weekday=int(value))
    elif action == "t" and len(value) == 4 and value.isdigit() and int(value[:2]) in HOURS:
        await change(group.id, local_time=f"{value[:2]}:{value[2:]}")
    elif action == "f" and value in FREQ_CODES:
        await change(group.id, frequency=FREQ_CODES[value])
    else:
        return False
    return True


async def panel_button(update: Update, context: BotContext) -> None:
    """Every schedule button: parse, re-check the presser's role from storage, act."""
    query, button = pressed(update, TipsPanel)
    services = context.services
    action, gid = button.action, button.group_id
    group = await group_service.group_by_id(services.db, gid)
    if group is None or not group.is_registered or not shown_in_own_chat(query, group):
        await answer_callback(query, context, "core.stale_button")
        return
    access = await _access_for(update, context, query.from_user.id, gid)
    if not tip_service.may_schedule(access, gid):
        await answer_callback(query, context, "core.not_allowed", alert=True)
        return
    lang = context.lang
    if action in PICKERS and button.value is None:
        key, rows = _picker(lang, action, gid)
        await answer_query(query)
        await without_result(
            query.edit_message_text(t(lang, key), reply_markup=InlineKeyboardMarkup(rows))
        )
        return
    if action in PICKERS:
        assert button.value is not None
        check = chat_admin_check(context, update)
        if not await _apply(context, group, action, button.value, access, check):
            await answer_callback(query, context, "core.stale_button")
            return
        group = await group_service.group_by_id(services.db, gid)
        assert group is not None
        await answer_callback(query, context, "tips.saved")
    elif action is PanelAction.PREVIEW:
        await _preview(update, context, group)
        return
    elif action is PanelAction.SEND:
        await _send_now(update, context, group, access)
        return
    else:  # PanelAction.PANEL
        await answer_query(query)
    text, keyboard = await _panel(context, group)
    await without_result(query.edit_message_text(text, reply_markup=keyboard))


async def _preview(update: Update, context: BotContext, group: GroupRecord) -> None:
    query = update.callback_query
    assert query is not None
    services, lang = context.services, context.lang
    tz, now = services.settings.tzinfo, services.clock.now()
    schedule = await tip_service.schedule_of(services.db, tz, group.id, now)
    tip = await tip_service.preview_next(services.db, tz, group.id, schedule.next_run_at or now)
    await answer_query(query)
    back = InlineKeyboardMarkup(
        [[_button(lang, "tips.btn.back", TipsPanel(PanelAction.PANEL, group.id))]]
    )
    if tip is None:
        await without_result(
            query.edit_message_text(t(lang, "tips.preview_none"), reply_markup=back)
        )
        return
    text = t(
        lang,
        "tips.preview",
        group=group.area_name or group.title,
        next_run=Html(describe_next(lang, schedule, context)),
        text=tip.text(group.language),
    )
    await without_result(query.edit_message_text(text, reply_markup=back))


_HAND_SEND_REFUSALS = {
    tip_admin.HandSendOutcome.INACTIVE: ("core.stale_button", False),
    tip_admin.HandSendOutcome.TOO_SOON: ("tips.sent_recently", True),
    tip_admin.HandSendOutcome.NOTHING: ("tips.nothing_to_send", True),
}


async def _send_now(
    update: Update, context: BotContext, group: GroupRecord, access: Access
) -> None:
    query = update.callback_query
    assert query is not None
    services = context.services
    outcome = await tip_admin.send_by_hand(
        services.db,
        services.settings.tzinfo,
        access,
        chat_admin_check(context, update),
        group,
        services.clock.now(),
    )
    if outcome in _HAND_SEND_REFUSALS:
        key, alert = _HAND_SEND_REFUSALS[outcome]
        await answer_callback(query, context, key, alert=alert)
        return
    if services.delivery is not None:
        services.delivery.wake()
    await answer_callback(query, context, "tips.sent_now")


async def stale_tips_button(update: Update, context: BotContext) -> None:
    """Any other /tips button (e.g. from a dialogue lost in a restart)."""
    query = update.callback_query
    assert query is not None
    await answer_callback(query, context, "core.stale_button")


def register(application: Application) -> None:
    application.add_handler(library.conversation())
    application.add_handler(CommandHandler("tips", tips_command))
    application.add_handler(CallbackQueryHandler(panel_button, pattern=TipsPanel.filter()))
    for kind in (LibraryPage, LibraryTip):
        application.add_handler(CallbackQueryHandler(library.library_button, pattern=kind.filter()))
    application.add_handler(CallbackQueryHandler(stale_tips_button, pattern=TIPS_BUTTONS))
