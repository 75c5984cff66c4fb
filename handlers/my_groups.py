"""/minagrupper (/mygroups): a resident's groups in the bot, where they can leave one or read
how to mute its tips; and the 👥 button of /grupp: who is connected, with how they joined.

Every press is re-checked against storage (bot/services/my_groups.py).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.callbacks import CallbackData
from bot.commands import EVERYONE, CommandSpec, Where
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.services import my_groups as svc
from bot.services.kommuner import find_kommun_by_code
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

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec(
        "mygroups", "fb.cmd.mygroups", EVERYONE, Where.PRIVATE, swedish_alias="minagrupper"
    ),
]


class MyGroupLeave(CallbackData, prefix="mygl"):
    """/minagrupper: leave a group in the bot (`confirm` False asks first)."""

    group_id: int
    confirm: bool


class MyGroupTips(CallbackData, prefix="mygt"):
    """/minagrupper: how to mute a group's tips."""

    group_id: int


class GroupMembers(CallbackData, prefix="gmemb"):
    """/grupp → 👥: a page (0-based) of who is connected to the group."""

    group_id: int
    page: int


# ------------------------------------------------------------------ /minagrupper


def _kommun(code: str | None) -> str:
    kommun = find_kommun_by_code(code) if code else None
    return kommun.name if kommun else (code or "")


async def _render_mine(
    context: BotContext, user_id: int
) -> tuple[Html, InlineKeyboardMarkup | None]:
    lang = context.lang
    mine = await svc.my_groups(context.services.db, user_id)
    if not mine:
        return t(lang, "fb.mygroups.none"), None
    lines = [t(lang, "fb.mygroups.title")]
    rows = []
    for m in mine:
        lines.append(t(lang, "fb.mygroups.line", area=m.area, kommun=_kommun(m.kommun_code)))
        rows.append(
            [
                InlineKeyboardButton(
                    t_plain(lang, "fb.mygroups.tips", area=m.area)[:60],
                    callback_data=MyGroupTips(m.group_id).pack(),
                ),
                InlineKeyboardButton(
                    t_plain(lang, "fb.mygroups.leave", area=m.area)[:60],
                    callback_data=MyGroupLeave(m.group_id, False).pack(),
                ),
            ]
        )
    lines.append(t(lang, "fb.mygroups.footer"))
    return Html("\n".join(lines)), InlineKeyboardMarkup(rows)


async def my_groups_command(update: Update, context: BotContext) -> None:
    """/mygroups: the person's groups with a tips and a leave button each."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    text, markup = await _render_mine(context, effective_user(update).id)
    await effective_message(update).reply_text(text, reply_markup=markup)


async def on_tips(update: Update, context: BotContext) -> None:
    """`MyGroupTips`: tips are posts in the group chat, so they are muted in Telegram."""
    query, _ = pressed(update, MyGroupTips)
    await answer_callback(query, context, "fb.mygroups.tips_how", alert=True)


async def on_leave(update: Update, context: BotContext) -> None:
    """`MyGroupLeave`: ask, then leave (re-checked: only one's own membership)."""
    query, button = pressed(update, MyGroupLeave)
    user_id = effective_user(update).id
    services = context.services
    if button.group_id == 0:  # "No" to the question: back to the list
        text, markup = await _render_mine(context, user_id)
        await query.edit_message_text(text, reply_markup=markup)
        await answer_query(query)
        return
    mine = {m.group_id: m for m in await svc.my_groups(services.db, user_id)}
    membership = mine.get(button.group_id)
    if membership is None:
        await answer_callback(query, context, "fb.mygroups.not_member", alert=True)
        return
    lang = context.lang
    if not button.confirm:
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t_plain(lang, "fb.mygroups.leave_yes"),
                        callback_data=MyGroupLeave(button.group_id, True).pack(),
                    ),
                    InlineKeyboardButton(
                        t_plain(lang, "fb.mygroups.leave_no"),
                        callback_data=MyGroupLeave(0, False).pack(),
                    ),
                ]
            ]
        )
        await query.edit_message_text(
            t(lang, "fb.mygroups.leave_ask", area=membership.area), reply_markup=markup
        )
        await answer_query(query)
        return
    left = await svc.leave(services.db, services.clock, user_id, button.group_id)
    text, markup = await _render_mine(context, user_id)
    await query.edit_message_text(
        t(lang, "fb.mygroups.left", area=left.area) + "\n\n" + text, reply_markup=markup
    )
    await answer_query(query)


# ------------------------------------------------------------------ /grupp → 👥


def members_button(lang: str, group_id: int, count: int) -> InlineKeyboardButton:
    """The /grupp button that lists who is connected (sent privately to the coordinator)."""
    return InlineKeyboardButton(
        t_plain(lang, "fb.members.button", count=count),
        callback_data=GroupMembers(group_id, 0).pack(),
    )


def _members_text(lang: str, page: svc.MembersPage) -> Html:
    lines = [t(lang, "fb.members.title", area=page.area, count=page.total)]
    for m in page.members:
        name = m.name or (f"@{m.username}" if m.username else str(m.user_id))
        source = m.source if m.source in svc.SOURCES else "other"
        how = t(lang, f"fb.members.src.{source}")
        lines.append(t(lang, "fb.members.line", name=name, how=how))
    if not page.members:
        lines.append(t(lang, "fb.members.empty"))
    return Html("\n".join(lines))


async def on_members(update: Update, context: BotContext) -> None:
    """`GroupMembers`: a page of the group's connected people, to the coordinator privately
    (pressed in the group: a new private message; pressed in it: the page is edited)."""
    query, button = pressed(update, GroupMembers)
    services = context.services
    user_id = effective_user(update).id
    page = await svc.members_page(
        services.db, services.settings, chat_admin_check(context, update), user_id,
        button.group_id, button.page,
    )  # fmt: skip
    text, markup = members_view(context.lang, button.group_id, page)
    if is_private(update):
        await query.edit_message_text(text, reply_markup=markup)
        await answer_query(query)
        return
    try:
        await context.bot.send_message(user_id, text, reply_markup=markup)
    except Forbidden:
        await answer_callback(query, context, "fb.members.open_private", alert=True)
        return
    await answer_callback(query, context, "fb.members.sent")


def members_view(
    lang: str, group_id: int, page: svc.MembersPage
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The page's text and its ◀ ▶ buttons."""
    text = _members_text(lang, page)
    nav = []
    if page.number > 0:
        nav.append(
            InlineKeyboardButton(
                t_plain(lang, "obs.btn.prev"),
                callback_data=GroupMembers(group_id, page.number - 1).pack(),
            )
        )
    if page.has_next:
        nav.append(
            InlineKeyboardButton(
                t_plain(lang, "obs.btn.next"),
                callback_data=GroupMembers(group_id, page.number + 1).pack(),
            )
        )
    return text, (InlineKeyboardMarkup([nav]) if nav else None)


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["mygroups", "minagrupper"], my_groups_command))
    for callback, kind in (
        (on_leave, MyGroupLeave),
        (on_tips, MyGroupTips),
        (on_members, GroupMembers),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=kind.filter()))
