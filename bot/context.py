"""A typed CallbackContext so handlers see `context.services` and a typed
`context.user_data` (bot/user_data.py) instead of dict lookups."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.runtime import Services
from bot.user_data import UserData

SERVICES_KEY = "grannvakt.services"


class BotContext(CallbackContext[ExtBot[None], UserData, dict[Any, Any], dict[Any, Any]]):
    """The context every grannvakt handler receives."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        return self.bot_data[SERVICES_KEY]

    @property
    def lang(self) -> str:
        """The language resolved for this update's user by the tracker (see handlers.tracking)."""
        return (
            self.services.settings.default_language
            if self.user_data is None
            else (self.user_data.lang or self.services.settings.default_language)
        )
