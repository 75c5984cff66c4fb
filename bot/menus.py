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
from bot.i18n import LANGUAGES, t_plain
from bot.runtime import Services
from bot.services.roles import Role, roles_of
from storage import menus as menu_store

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


async def set_command_menus(bot: Bot, specs: list[CommandSpec], default_language: str) -> None:
    """Set the menus for private chats, groups and group admins, in Swedish and English.

    The menu without a language code is the default language's, for clients whose
    language is neither Swedish nor English.
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
        await bot.set_my_commands(menu(specs, roles, where, default_language), scope=scope)
    await bot.set_my_commands(
        menu(specs, RESIDENT, Where.PRIVATE, default_language), scope=BotCommandScopeDefault()
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


async def update_person_menu(
    bot: Bot,
    services: Services,
    user_id: int,
    roles: frozenset[Role],
    language: str,
    current: str | None,
) -> bool:
    """refresh_person_menu for a caller that has just read the person's stored `roles`
    and `current` menu key (menu_store.menu_of) itself, e.g. /start in one round trip."""
    key = person_menu_key(roles, language)
    if current == key:
        return False
    try:
        await set_person_menu(bot, services.commands, user_id, roles, language)
    except TelegramError as exc:
        log.info("menu of %s not set: %s", user_id, exc)
        return False
    await menu_store.record_menu(services.db, user_id, key, services.clock.now())
    return True
