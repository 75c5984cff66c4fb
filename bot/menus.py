"""Telegram command menus (setMyCommands), per scope and per language."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)

from bot.commands import CommandSpec, Where, commands_for
from bot.i18n import LANGUAGES, t_plain
from bot.services.roles import Role

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
