"""Telegram command menus (setMyCommands), per scope and per language."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from bot.commands import CommandSpec, Where, commands_for
from bot.i18n import FOREIGN_LANGUAGE, LANGUAGES, t_plain
from bot.runtime import Services
from bot.services.roles import Role, roles_of
from storage import menus as menu_store
from storage.menus import MENU_RESET_KIND

log = logging.getLogger(__name__)

RESIDENT = frozenset({Role.RESIDENT})
COORDINATOR = frozenset({Role.RESIDENT, Role.COORDINATOR})


def menu(
    specs: list[CommandSpec], roles: frozenset[Role], where: Where, language: str
) -> list[BotCommand]:
    """The BotCommand list for one audience in one language."""
    return [
        BotCommand(spec.shown_name(language), t_plain(language, spec.description_key))
        for spec in commands_for(specs, roles, where)
    ]


async def set_command_menus(bot: Bot, specs: list[CommandSpec]) -> None:
    """Set the menus for private chats, groups and group admins, in Swedish and English.

    The menus without a language code are for apps in any other language: in the language
    the bot speaks to those people (FOREIGN_LANGUAGE, English), not in Swedish.
    """
    audiences = [
        (BotCommandScopeAllPrivateChats(), RESIDENT, Where.PRIVATE),
        (BotCommandScopeAllGroupChats(), RESIDENT, Where.GROUP),
        (BotCommandScopeAllChatAdministrators(), COORDINATOR, Where.GROUP),
    ]
    for scope, roles, where in audiences:
        for language in LANGUAGES:
            await bot.set_my_commands(
                menu(specs, roles, where, language), scope=scope, language_code=language
            )
        await bot.set_my_commands(menu(specs, roles, where, FOREIGN_LANGUAGE), scope=scope)
    await bot.set_my_commands(
        menu(specs, RESIDENT, Where.PRIVATE, FOREIGN_LANGUAGE), scope=BotCommandScopeDefault()
    )


# --------------------------------------------------------------------------- per person


def person_menu_key(roles: frozenset[Role], language: str) -> str:
    """What a person's menu depends on, e.g. ``"sv:coordinator,resident"``."""
    return f"{language}:{','.join(sorted(roles))}"


async def set_person_menu(
    bot: Bot, specs: list[CommandSpec], user_id: int, roles: frozenset[Role], language: str
) -> None:
    """Give the person's private chat (BotCommandScopeChat) the menu of their roles, in
    their language. Raises TelegramError when Telegram refuses (e.g. an unknown chat)."""
    await bot.set_my_commands(
        menu(specs, roles, Where.PRIVATE, language), scope=BotCommandScopeChat(user_id)
    )


async def refresh_person_menu(
    bot: Bot, services: Services, user_id: int, *, language: str | None = None
) -> bool:
    """Set the person's menu when their roles or language changed since it was last set
    (or it never was). Call after granting or revoking a role, on a language change and
    at /start. True when the menu was set now; a refusal is logged and tried next time."""
    roles = await roles_of(services.db, services.settings, user_id)
    lang = language or await services.people.language_of(user_id)
    current = await menu_store.menu_of(services.db, user_id)
    return await update_person_menu(bot, services, user_id, roles, lang, current)


def shared_menu_fits(roles: frozenset[Role], language: str, telegram_language: str | None) -> bool:
    """True when the menu set for all private chats (set_command_menus) is already the
    person's: a resident only, spoken to in the language of the list Telegram shows them.

    Telegram shows the list whose language_code is the person's app language, else the one
    without a language code (ours: FOREIGN_LANGUAGE). Which one it shows for a regional
    code of our languages ("en-GB", "sv-FI") is not documented, and a person without an
    app language is spoken to in the default language: such people get their own menu.
    """
    if roles != RESIDENT or not telegram_language:
        return False
    if telegram_language in LANGUAGES:
        shown = telegram_language
    elif telegram_language.split("-")[0].lower() in LANGUAGES:
        return False
    else:
        shown = FOREIGN_LANGUAGE
    return language == shown


async def update_person_menu(
    bot: Bot,
    services: Services,
    user_id: int,
    roles: frozenset[Role],
    language: str,
    current: str | None,
    *,
    shared_fits: bool = False,
) -> bool:
    """refresh_person_menu for a caller that has just read the person's stored `roles`
    and `current` menu key (menu_store.menu_of) itself, e.g. /start in one round trip.

    `shared_fits` (see shared_menu_fits): a chat that was never given its own menu
    already shows the right one, so nothing is sent (a new resident's first /start costs
    one Bot API call fewer). An erased person's own menu is removed on Telegram (the
    outbox row storage.privacy_erasure enqueues), so "never given" stays true after an erasure."""
    key = person_menu_key(roles, language)
    if current == key or (current is None and shared_fits):
        return False
    try:
        await set_person_menu(bot, services.commands, user_id, roles, language)
    except TelegramError as exc:
        log.info("menu of %s not set: %s", user_id, exc)
        return False
    await menu_store.record_menu(services.db, user_id, key, services.clock.now())
    return True


def install_menu_resets(services: Services) -> None:
    """Forget each finished menu reset of an erased person (whatever its outcome: a
    person who blocked the bot has no menu to reset), so the chat's id goes with it."""

    async def on_result(row_id: int, _ref: int | None, _outcome: object) -> None:
        await menu_store.forget_menu_reset(services.db, row_id)

    services.delivery.register_result_handler(MENU_RESET_KIND, on_result)
