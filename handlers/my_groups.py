"""/minagrupper (/mygroups): a resident's groups in the bot, in pages, where they can leave
one or read how to mute its tips; and the 👥 button of /grupp: who is connected, with how
they joined, in pages.

Every press is re-checked against storage (bot/services/my_groups.py); a page that no
longer exists shows the nearest one and says so.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.api_request import without_result
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
    show_step,
)
from handlers.guard import chat_admin_check

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec(
        "mygroups", "fb.cmd.mygroups", EVERYONE, Where.PRIVATE, swedish_alias="minagrupper"
    ),
]


class MyGroupLeave(CallbackData, prefix="mygl", version=2):
    """/minagrupper: leave a group in the bot (`confirm` False asks first), pressed on
    page `page` (0-based), which is shown again afterwards."""

    group_id: int
    confirm: bool
    page: int


class MyGroupTips(CallbackData, prefix="mygt"):
    """/minagrupper: how to mute a group's tips."""

    group_id: int


class MyGroupsPage(CallbackData, prefix="mygp"):
    """/minagrupper: a page (0-based) of the person's groups (◀ ▶, and "No" to leaving)."""

    page: int


class GroupMembers(CallbackData, prefix="gmemb"):
    """/grupp → 👥: a page (0-based) of who is connected to the group."""

    group_id: int
    page: int


# ------------------------------------------------------------------ /minagrupper


def _kommun(code: str | None) -> str:
    kommun = find_kommun_by_code(code) if code else None
    return kommun.name if kommun else (code or "")


def _mine_view(lang: str, page: svc.MyGroupsPage) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The page's text (its groups, and which page of how many) and its buttons: tips and
    leave per group, then ◀ ▶ when there is more than one page."""
    if not page.total:
        return t(lang, "fb.mygroups.none"), None
    lines = [t(lang, "fb.mygroups.title")]
    if page.pages > 1:
        lines.append(
            t(lang, "fb.mygroups.page", page=page.number + 1, pages=page.pages, count=page.total)
        )
    rows = []
    for m in page.groups:
        lines.append(t(lang, "fb.mygroups.line", area=m.area, kommun=_kommun(m.kommun_code)))
        rows.append(
            [
                InlineKeyboardButton(
                    t_plain(lang, "fb.mygroups.tips", area=m.area)[:60],
                    callback_data=MyGroupTips(m.group_id).pack(),
                ),
                InlineKeyboardButton(
                    t_plain(lang, "fb.mygroups.leave", area=m.area)[:60],
                    callback_data=MyGroupLeave(m.group_id, False, page.number).pack(),
                ),
            ]
        )
    nav = []
    if page.number > 0:
        nav.append(
            InlineKeyboardButton(
                t_plain(lang, "obs.btn.prev"), callback_data=MyGroupsPage(page.number - 1).pack()
            )
        )
    if page.number < page.pages - 1:
        nav.append(
            InlineKeyboardButton(
                t_plain(lang, "obs.btn.next"), callback_data=MyGroupsPage(page.number + 1).pack()
            )
        )
    if nav:
        rows.append(nav)
    lines.append(t(lang, "fb.mygroups.footer"))
    return Html("\n".join(lines)), InlineKeyboardMarkup(rows)


async def my_groups_command(update: Update, context: BotContext) -> None:
    """/mygroups: the first page of the person's groups with a tips and a leave button each."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    page = await svc.my_groups_page(context.services.db, effective_user(update).id, 0)
    text, markup = _mine_view(context.lang, page)
    await without_result(effective_message(update).reply_text(text, reply_markup=markup))


async def on_page(update: Update, context: BotContext) -> None:
    """`MyGroupsPage`: the page read from storage now; a page that no longer exists (groups
    left meanwhile, an old or forged button) shows the nearest one and says so."""
    query, button = pressed(update, MyGroupsPage)
    page = await svc.my_groups_page(context.services.db, effective_user(update).id, button.page)
    text, markup = _mine_view(context.lang, page)
    await show_step(query, text, markup)  # a forged press of the page shown changes nothing
    if page.moved and page.total:
        await answer_callback(query, context, "fb.page_gone", page=page.number + 1)
    else:
        await answer_query(query)


async def on_tips(update: Update, context: BotContext) -> None:
    """`MyGroupTips`: tips are posts in the group chat, so they are muted in Telegram."""
    query, _ = pressed(update, MyGroupTips)
    await answer_callback(query, context, "fb.mygroups.tips_how", alert=True)


async def on_leave(update: Update, context: BotContext) -> None:
    """`MyGroupLeave`: ask, then leave (re-checked: only one's own membership) and show the
    page it was pressed on again (or the last one, if that page is now empty)."""
    query, button = pressed(update, MyGroupLeave)
    user_id = effective_user(update).id
    services = context.services
    mine = {m.group_id: m for m in await svc.my_groups(services.db, user_id)}
    membership = mine.get(button.group_id)
    if membership is None:
        await answer_callback(query, context, "fb.mygroups.not_member", alert=True)
        return
    lang = context.lang
    if not button.confirm:
        ask = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t_plain(lang, "fb.mygroups.leave_yes"),
                        callback_data=MyGroupLeave(button.group_id, True, button.page).pack(),
                    ),
                    InlineKeyboardButton(
                        t_plain(lang, "fb.mygroups.leave_no"),
                        callback_data=MyGroupsPage(button.page).pack(),
                    ),
                ]
            ]
        )
        text = t(lang, "fb.mygroups.leave_ask", area=membership.area)
        others = await svc.coordinators_besides(services.db, user_id, button.group_id)
        if others is not None:  # said before the press, as /glommig warns the last one
            key = (
                "fb.mygroups.leave_coordinator" if others else "fb.mygroups.leave_only_coordinator"
            )
            text = Html(text + "\n\n" + t(lang, key, area=membership.area))
        await without_result(query.edit_message_text(text, reply_markup=ask))
        await answer_query(query)
        return
    left = await svc.leave(services.db, services.clock, user_id, button.group_id)
    page = await svc.my_groups_page(services.db, user_id, button.page)
    text, markup = _mine_view(lang, page)
    await without_result(
        query.edit_message_text(
            t(lang, "fb.mygroups.left", area=left.area) + "\n\n" + text, reply_markup=markup
        )
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
        await show_step(query, text, markup)  # a forged press of the page shown: no change
        if page.moved:
            await answer_callback(query, context, "fb.page_gone", page=page.number + 1)
        else:
            await answer_query(query)
        return
    try:
        await without_result(context.bot.send_message(user_id, text, reply_markup=markup))
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
        (on_page, MyGroupsPage),
        (on_members, GroupMembers),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=kind.filter()))
