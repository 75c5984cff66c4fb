"""/group's co-coordinators screen: the Telegram group's admins as toggles; a press makes
an admin co-coordinator or removes one (the registrant is protected), refreshes their
command menu and, for a new one, asks them to open the private chat.

Separate from handlers/groups_manage.py (the overview, renaming, /unregister), which
opens this screen with `CoordinatorList` and registers its handlers.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.menus import refresh_person_menu
from bot.services import groups as group_service
from bot.services.roles import access_of
from handlers.common import answer_callback, answer_query, pressed
from handlers.groups_manage_buttons import CoordinatorList, CoordinatorToggle, GroupOverview
from handlers.groups_manage_checks import callback_group
from handlers.guard import chat_admin_check
from handlers.observations_notify import ask_to_open_private_chat
from storage.groups import GroupRecord
from storage.name_order import by_name


async def coordinator_keyboard(context: BotContext, group: GroupRecord) -> InlineKeyboardMarkup:
    try:
        admins: Sequence[ChatMember] = await context.bot.get_chat_administrators(group.chat_id)
    except TelegramError:
        admins = ()  # only the way back then
    current = set(await group_service.coordinators(context.services.db, group.id))
    rows = []
    people = by_name(
        (m.user for m in admins if not m.user.is_bot), lambda u: u.full_name, lambda u: u.id
    )
    for person in people:
        key = "grp.coord.on" if person.id in current else "grp.coord.off"
        rows.append(
            [
                InlineKeyboardButton(
                    t_plain(context.lang, key, name=person.full_name)[:60],
                    callback_data=CoordinatorToggle(group.id, person.id).pack(),
                )
            ]
        )
    back = InlineKeyboardButton(
        t_plain(context.lang, "grp.group.button.back"),
        callback_data=GroupOverview(group.id).pack(),
    )
    return InlineKeyboardMarkup([*rows[:50], [back]])


async def coordinators_list(update: Update, context: BotContext) -> None:
    """`CoordinatorList`: show the group's admins as coordinator toggles."""
    query, button = pressed(update, CoordinatorList)
    group = await callback_group(update, context, button.group_id)
    if group is None:
        return
    keyboard = await coordinator_keyboard(context, group)
    await answer_query(query)
    await without_result(
        query.edit_message_text(
            t(context.lang, "grp.coord.title", area=group.area_name or ""), reply_markup=keyboard
        )
    )


async def coordinator_toggle(update: Update, context: BotContext) -> None:
    """`CoordinatorToggle`: add an admin as co-coordinator, or remove one."""
    query, button = pressed(update, CoordinatorToggle)
    group = await callback_group(update, context, button.group_id)
    if group is None:
        return
    services = context.services
    target = button.user_id
    now = services.clock.now()
    try:
        target_user = (await context.bot.get_chat_member(group.chat_id, target)).user
        name = target_user.full_name
    except TelegramError:
        name = str(target)
    access = await access_of(services.db, services.settings, query.from_user.id)
    check = chat_admin_check(context, update)
    if target in await group_service.coordinators(services.db, group.id):
        if await group_service.protects_registrant(
            services.db, check, group.id, target, query.from_user.id
        ):
            await answer_callback(query, context, "onb.coord.registrant", alert=True, name=name)
            return
        await group_service.remove_coordinator(services.db, now, access, check, group.id, target)
        await answer_callback(query, context, "grp.coord.removed", name=name)
        await refresh_person_menu(context.bot, services, target)
    else:
        await group_service.add_coordinator(services.db, now, access, check, group.id, target)
        await answer_callback(query, context, "grp.coord.added", name=name)
        await refresh_person_menu(context.bot, services, target)
        if isinstance(query.message, Message):
            await ask_to_open_private_chat(context, query.message, target, name)
    keyboard = await coordinator_keyboard(context, group)
    # A double tap makes this edit identical: the error handler takes that as harmless.
    await without_result(query.edit_message_reply_markup(keyboard))
