"""/group (/grupp) settings of a registered group: the Telegram invite link
(`/grupp inbjudan <link>`), the language the bot posts in there (`GroupLanguage`) and
whether its coordinators get the group's lägesbild chart with the Monday digest
(`GroupDigestChart`, off by default).

The caller (handlers.groups_manage) has checked the command's sender manages the group;
the language button re-checks the presser like every /group button.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.i18n import LANGUAGES, t, t_plain
from bot.services import digest_charts, onboarding
from bot.services import groups as group_service
from bot.services.roles import access_of
from handlers.common import answer_callback, effective_message, pressed, reply
from handlers.groups_manage_checks import callback_group
from handlers.guard import chat_admin_check
from storage.db import Database
from storage.groups import GroupRecord

INVITE_WORDS = ("invite", "inbjudan", "länk", "lank", "link")
REMOVE_WORDS = ("remove", "bort", "ta", "delete")
# Each language's own name, for the buttons that choose it; a sentence names the language in
# its reader's language instead (`language_name`).
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


class GroupLanguage(CallbackData, prefix="glang"):
    """/group: the language the bot posts in in the group (checked against LANGUAGES)."""

    group_id: int
    language: str


class GroupDigestChart(CallbackData, prefix="gdchart"):
    """/group: turn the group's chart in the coordinators' Monday digest on or off."""

    group_id: int
    on: bool


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
    await without_result(
        effective_message(update).reply_text(
            t(context.lang, "onb.invite.saved", link=link), disable_web_page_preview=True
        )
    )


def settings_lines(lang: str, group: GroupRecord) -> str:
    """/group's lines for the invite link and the group's language."""
    text = "\n" + (
        t(lang, "onb.group.invite_line", link=group.invite_link)
        if group.invite_link
        else t(lang, "onb.group.invite_none")
    )
    language = language_name(lang, group.language)
    return text + "\n" + t(lang, "onb.group.language_line", language=language)


def language_name(lang: str, code: str) -> str:
    """The name of language `code` as a reader of `lang` writes it in a sentence
    ("engelska" for a Swede, "Swedish" for an English reader)."""
    return t_plain(lang, f"tips.lang.{code}") if code in LANGUAGES else code


async def digest_chart_part(
    db: Database, lang: str, group: GroupRecord
) -> tuple[str, list[InlineKeyboardButton]]:
    """/group's line about the digest chart and the button that turns it the other way."""
    on = await digest_charts.group_chart_on(db, group.id)
    state = "on" if on else "off"
    button = InlineKeyboardButton(
        t_plain(lang, f"lagesbild.group_chart.button_{'off' if on else 'on'}"),
        callback_data=GroupDigestChart(group.id, not on).pack(),
    )
    return "\n" + t(lang, f"lagesbild.group_chart.line_{state}"), [button]


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
    group = await callback_group(update, context, button.group_id)
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
    name = language_name(context.lang, button.language)
    await answer_callback(query, context, "onb.group.language_saved", language=name)
    text, keyboard = await manage._overview(context, fresh, query.message)
    # A double tap makes this edit identical: the error handler takes that as harmless.
    await without_result(
        query.edit_message_text(text, reply_markup=keyboard, disable_web_page_preview=True)
    )


async def digest_chart_pressed(update: Update, context: BotContext) -> None:
    """`GroupDigestChart`: a coordinator turns the group's digest chart on or off. The
    button is only a wish: the group is re-checked here (stored coordinator, Telegram
    admin, the same chat) and the service checks the stored role again (Refused)."""
    from handlers import groups_manage as manage  # it imports this module

    query, button = pressed(update, GroupDigestChart)
    group = await callback_group(update, context, button.group_id)
    if group is None or not isinstance(query.message, Message):
        return
    services = context.services
    access = await access_of(services.db, services.settings, query.from_user.id)
    await digest_charts.set_group_chart(
        services.db,
        access,
        chat_admin_check(context, update),
        group.id,
        button.on,
        services.clock.now(),
    )
    key = "lagesbild.group_chart.saved_on" if button.on else "lagesbild.group_chart.saved_off"
    await answer_callback(query, context, key)
    text, keyboard = await manage._overview(context, group, query.message)
    # A double tap makes this edit identical: the error handler takes that as harmless.
    await without_result(
        query.edit_message_text(text, reply_markup=keyboard, disable_web_page_preview=True)
    )


def register(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(language_pressed, pattern=GroupLanguage.filter()))
    application.add_handler(
        CallbackQueryHandler(digest_chart_pressed, pattern=GroupDigestChart.filter())
    )
