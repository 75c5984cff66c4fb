"""The bot's commands in one place: /help and the Telegram command menus are built from it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services.roles import Role


class Where(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    BOTH = "both"


@dataclass(frozen=True)
class CommandSpec:
    """One command: its English name, optional Swedish alias, who may use it, and where."""

    name: str
    description_key: str
    roles: frozenset[Role]
    where: Where = Where.PRIVATE
    swedish_alias: str | None = None

    def names(self) -> list[str]:
        """Every name the command answers to."""
        return [self.name] + ([self.swedish_alias] if self.swedish_alias else [])

    def shown_name(self, language: str) -> str:
        """The name shown in menus and help for a language."""
        return self.swedish_alias if language == "sv" and self.swedish_alias else self.name


EVERYONE = frozenset(Role)


def commands_for(
    specs: list[CommandSpec], roles: frozenset[Role], where: Where
) -> list[CommandSpec]:
    """The commands a person with `roles` may use in a chat of kind `where`."""
    return [
        spec
        for spec in specs
        if spec.roles & roles and (spec.where is Where.BOTH or spec.where is where)
    ]
