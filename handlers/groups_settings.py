"""/group (/grupp) settings of a registered group: the Telegram invite link
(`/grupp inbjudan <link>`) and the language the bot posts in there (`GroupLanguage`).

The caller (handlers.groups_manage) has checked the command's sender manages the group;
the language button re-checks the presser like every /group button.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.i18n import LANGUAGES, t
from bot.services import groups as group_service
from bot.services import onboarding
from bot.services.roles import access_of
from handlers.common import answer_callback, effective_message, pressed, reply
from handlers.guard import chat_admin_check
from storage.groups import GroupRecord

INVITE_WORDS = ("invite", "inbjudan", "länk", "lank", "link")
REMOVE_WORDS = ("remove", "bort", "ta", "delete")
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


class GroupLanguage(CallbackData, prefix="glang"):
    """/group: the language the bot posts in in the group (checked against LANGUAGES)."""

    group_id: int
    language: str


async def set_invite(
    update: Update, context: BotContext, group: GroupRecord, args: list[str]
) -> None:
    """`/group invite <link>` stores the Telegram group's invite link; `… remove` drops it."""
    services = context.services
    user = update.effective_user
    assert user is not None
    if not args:
        await reply(update, context, "onb.invite.usage")
        return
    if args[0].lower() in REMOVE_WORDS:
        await onboarding.set_invite_link(services.db, services.clock.now(), group.id, None, user.id)
        await reply(update, context, "onb.invite.removed")
        return
    link = onboarding.clean_invite_link(" ".join(args))
    if link is None:
        await reply(update, context, "onb.invite.bad")
        return
    await onboarding.set_invite_link(services.db, services.clock.now(), group.id, link, user.id)
    await effective_message(update).reply_text(
        t(context.lang, "onb.invite.saved", link=link), disable_web_page_preview=True
    )


def settings_lines(lang: str, group: GroupRecord) -> str:
    """/group's lines for the invite link and the group's language."""
    text = "\n" + (
        t(lang, "onb.group.invite_line", link=group.invite_link)
        if group.invite_link
        else t(lang, "onb.group.invite_none")
    )
    language = LANGUAGE_NAMES.get(group.language, group.language)
    return text + "\n" + t(lang, "onb.group.language_line", language=language)


def language_buttons(group: GroupRecord) -> list[InlineKeyboardButton]:
    """One button per language; the group's current one is ticked."""
    return [
        InlineKeyboardButton(
            ("✅ " if code == group.language else "") + LANGUAGE_NAMES[code],
            callback_data=GroupLanguage(group.id, code).pack(),
        )
        for code in LANGUAGES
    ]


async def language_pressed(update: Update, context: BotContext) -> None:
    """`GroupLanguage`: a coordinator sets the language the bot posts in in the group."""
    from handlers import groups_manage as manage  # it imports this module

    query, button = pressed(update, GroupLanguage)
    group = await manage._callback_group(update, context, button.group_id)
    if group is None or not isinstance(query.message, Message):
        return
    services = context.services
    now = services.clock.now()
    access = await access_of(services.db, services.settings, query.from_user.id)
    if not await onboarding.set_language(
        services.db, access, chat_admin_check(context, update), group.id, button.language, now
    ):
        await answer_callback(query, context, "core.stale_button")
        return
    fresh = await group_service.group_by_id(services.db, group.id)
    assert fresh is not None
    name = LANGUAGE_NAMES[button.language]
    await answer_callback(query, context, "onb.group.language_saved", language=name)
    text, keyboard = await manage._overview(context, fresh, query.message)
    # A double tap makes this edit identical: the error handler takes that as harmless.
    await query.edit_message_text(text, reply_markup=keyboard, disable_web_page_preview=True)


def register(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(language_pressed, pattern=GroupLanguage.filter()))
