"""/group (/grupp): see and rename the registration, co-coordinators, /unregister.

Every command and button re-checks that the person is a stored coordinator of the group
AND still an admin of the Telegram group (getChatMember); callback data is only a hint.

Buttons: `CoordinatorList`, `CoordinatorToggle`, `Unregister` (handlers.groups_manage_buttons);
the check before each: handlers.groups_manage_checks; the co-coordinators screen:
handlers.groups_coordinators; the invite link and the group's language:
handlers.groups_settings.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.api_request import without_result
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.i18n.dates import format_when
from bot.menus import refresh_person_menu
from bot.services import group_input
from bot.services import groups as group_service
from bot.services import places as place_service
from bot.services.roles import Role, access_of
from handlers import groups_place, groups_settings
from handlers.common import (
    answer_callback,
    answer_query,
    effective_message,
    effective_user,
    group_lines,
    is_private,
    pressed,
    reply,
)
from handlers.groups import topic_lines
from handlers.groups_coordinators import coordinator_toggle, coordinators_list
from handlers.groups_manage_buttons import (
    CoordinatorList,
    CoordinatorToggle,
    GroupOverview,
    Unregister,
    UnregisterStep,
)
from handlers.groups_manage_checks import callback_group, group_of_command
from handlers.groups_settings import (
    INVITE_WORDS,
    language_buttons,
    set_invite,
    settings_lines,
)
from handlers.groups_welcome import group_link
from handlers.guard import chat_admin_check
from handlers.my_groups import members_button
from storage.groups import GroupRecord

COORDINATORS = frozenset({Role.COORDINATOR})


RENAME_WORDS = ("name", "namn", "rename")

COMMANDS = [
    CommandSpec("group", "grp.cmd.group", COORDINATORS, Where.BOTH, swedish_alias="grupp"),
    CommandSpec(
        "unregister", "grp.cmd.unregister", COORDINATORS, Where.GROUP, swedish_alias="avregistrera"
    ),
]


async def group_command(update: Update, context: BotContext) -> None:
    """`/group` shows the registration; `/group name <new name>` renames the area."""
    if is_private(update):
        await _where_to_send(update, context, "grp.group.private")
        return
    group = await group_of_command(update, context)
    if group is None:
        return
    args = context.args or []
    if args and args[0].lower() in RENAME_WORDS:
        await _rename(update, context, group, " ".join(args[1:]))
        return
    if args and args[0].lower() in INVITE_WORDS:
        await set_invite(update, context, group, args[1:])
        return
    if args and args[0].lower() in groups_place.PLACE_WORDS:
        await groups_place.place_command(update, context, group, args[1:])
        return
    await _show(effective_message(update), context, group)


async def _where_to_send(update: Update, context: BotContext, key: str) -> None:
    """A group command sent privately: say where to send it, and which groups they manage."""
    services = context.services
    mine = await group_service.groups_coordinated(
        services.db, services.settings, chat_admin_check(context, update), effective_user(update).id
    )
    if not mine:
        await reply(update, context, "grp.group.private_none")
        return
    await reply(update, context, key, lines=group_lines(context.lang, mine))


async def _rename(update: Update, context: BotContext, group: GroupRecord, raw: str) -> None:
    services = context.services
    area = group_input.clean_area_name(raw)
    if area is None:
        await reply(
            update,
            context,
            "grp.register.bad_area",
            count=group_input.area_name_length(raw),
            min=group_input.AREA_MIN_LENGTH,
            max=group_input.AREA_MAX_LENGTH,
        )
        return
    access = await access_of(services.db, services.settings, effective_user(update).id)
    check = chat_admin_check(context, update)
    await group_service.rename(services.db, services.clock.now(), access, check, group.id, area)
    await reply(update, context, "grp.rename.done", area=area)


async def _show(message: Message, context: BotContext, group: GroupRecord) -> None:
    text, keyboard = await _overview(context, group, message)
    await without_result(
        message.reply_text(text, reply_markup=keyboard, disable_web_page_preview=True)
    )


async def _overview(
    context: BotContext, group: GroupRecord, message: Message
) -> tuple[str, InlineKeyboardMarkup]:
    """/group's text and buttons: registration, people, links, the group's language."""
    services = context.services
    lang = context.lang
    info = await group_service.overview(services.db, group)
    registered = group.registered_at
    date = (
        format_when(context.lang, registered, services.settings.tzinfo, part="date", year=True)
        if registered
        else ""
    )
    chart_line, chart_row = await groups_settings.digest_chart_part(services.db, lang, group)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(lang, "grp.group.button.coordinators"),
                    callback_data=CoordinatorList(group.id).pack(),
                ),
                InlineKeyboardButton(
                    t_plain(lang, "grp.group.button.unregister"),
                    callback_data=Unregister(group.id, UnregisterStep.ASK).pack(),
                ),
            ],
            language_buttons(group),
            chart_row,  # the group's chart with the Monday digest (#17)
            [members_button(lang, group.id, info.members)],  # who is connected (#13)
        ]
    )
    text: str = t(
        lang,
        "grp.group.info",
        area=group.area_name or "",
        kommun=group_service.kommun_label(group.kommun_code),
        date=date,
        coordinators=", ".join(info.coordinator_names),
        members=info.members,
        link=group_link(context, group.id),
    )
    place = await place_service.group_place(context.services.db, group.id)
    text += settings_lines(lang, group) + chart_line + topic_lines(lang, group, message)
    return text + "\n" + groups_place.place_line(lang, place), keyboard


async def overview_pressed(update: Update, context: BotContext) -> None:
    """`GroupOverview`: the pressed message shows /group's overview again."""
    query, button = pressed(update, GroupOverview)
    group = await callback_group(update, context, button.group_id)
    if group is None or not isinstance(query.message, Message):
        return
    await answer_query(query)
    await _show_again(query.message, context, group)


async def _show_again(message: Message, context: BotContext, group: GroupRecord) -> None:
    text, keyboard = await _overview(context, group, message)
    # A double tap makes this edit identical: the error handler takes that as harmless.
    await without_result(
        message.edit_text(text, reply_markup=keyboard, disable_web_page_preview=True)
    )


# --------------------------------------------------------------------------- unregister


def _confirm_keyboard(context: BotContext, group_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(context.lang, "grp.unregister.yes"),
                    callback_data=Unregister(group_id, UnregisterStep.YES).pack(),
                ),
                InlineKeyboardButton(
                    t_plain(context.lang, "grp.unregister.no"),
                    callback_data=Unregister(group_id, UnregisterStep.NO).pack(),
                ),
            ]
        ]
    )


async def unregister_command(update: Update, context: BotContext) -> None:
    """`/unregister` in the group: asks for confirmation with two buttons."""
    if is_private(update):  # not "this group is not registered": it is no group at all
        await _where_to_send(update, context, "grp.unregister.private")
        return
    group = await group_of_command(update, context)
    if group is None:
        return
    await without_result(
        effective_message(update).reply_text(
            t(context.lang, "grp.unregister.confirm", area=group.area_name or ""),
            reply_markup=_confirm_keyboard(context, group.id),
        )
    )


async def unregister_pressed(update: Update, context: BotContext) -> None:
    """`Unregister`: ask, keep (no) or unregister (yes)."""
    query, button = pressed(update, Unregister)
    group = await callback_group(update, context, button.group_id)
    if group is None:
        return
    choice = button.step
    if choice is UnregisterStep.NO:
        await answer_callback(query, context, "grp.unregister.kept")
    else:
        await answer_query(query)
    if choice is UnregisterStep.ASK:
        await without_result(
            query.edit_message_text(
                t(context.lang, "grp.unregister.confirm", area=group.area_name or ""),
                reply_markup=_confirm_keyboard(context, group.id),
            )
        )
        return
    if choice is UnregisterStep.NO:  # back where the coordinator came from: the overview
        if isinstance(query.message, Message):
            await _show_again(query.message, context, group)
        return
    services = context.services
    access = await access_of(services.db, services.settings, query.from_user.id)
    check = chat_admin_check(context, update)
    former = await group_service.coordinators(services.db, group.id)
    await group_service.unregister(services.db, services.clock.now(), access, check, group.id)
    await without_result(query.edit_message_text(t(context.lang, "grp.unregister.done")))
    for user_id in former:  # their coordinator commands leave their menus
        await refresh_person_menu(context.bot, services, user_id)


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["group", "grupp"], group_command))
    application.add_handler(CommandHandler(["unregister", "avregistrera"], unregister_command))
    application.add_handler(
        CallbackQueryHandler(coordinators_list, pattern=CoordinatorList.filter())
    )
    application.add_handler(
        CallbackQueryHandler(coordinator_toggle, pattern=CoordinatorToggle.filter())
    )
    application.add_handler(CallbackQueryHandler(unregister_pressed, pattern=Unregister.filter()))
    application.add_handler(CallbackQueryHandler(overview_pressed, pattern=GroupOverview.filter()))
    groups_settings.register(application)
