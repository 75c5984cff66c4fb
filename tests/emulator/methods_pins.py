"""pinChatMessage / unpinChatMessage with Telegram's rules.

In a private chat the bot may always pin. In a group or supergroup it must be the
creator or an administrator with ``can_pin_messages``; otherwise Telegram answers 400
"not enough rights to manage pinned messages in the chat" (403 when it is not in the chat
at all). ``emu.pinned`` maps chat id → the pinned message id (the latest pin).
``emu.deny_bot_right(grp, "can_pin_messages")`` takes that right from the bot as admin.
"""

from __future__ import annotations

from typing import Any

from .server import ApiError, bad_request
from .state import Chat


class PinMethods:
    """A mixin of :class:`BotApiEmulator` (uses its chats, messages and resolve_chat)."""

    @property
    def pinned(self) -> dict[int, int]:
        """Chat id → pinned message id."""
        return self.__dict__.setdefault("_pinned", {})

    @property
    def _denied_rights(self) -> dict[int, set[str]]:
        return self.__dict__.setdefault("_bot_denied_rights", {})

    def deny_bot_right(self, grp: Chat, right: str) -> None:
        """The bot, as admin of ``grp``, lacks ``right`` (e.g. ``"can_pin_messages"``)."""
        self._denied_rights.setdefault(grp.id, set()).add(right)

    def _check_pin_rights(self, target: Any) -> None:
        if not isinstance(target, Chat):
            return  # a private chat: always allowed
        if not target.bot_is_member:
            kind = "supergroup chat" if target.type == "supergroup" else "group chat"
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")
        allowed = target.bot_status == "creator" or (
            target.bot_status == "administrator"
            and "can_pin_messages" not in self._denied_rights.get(target.id, set())
        )
        if not allowed:
            raise bad_request("not enough rights to manage pinned messages in the chat")

    async def api_pinchatmessage(self, p: dict[str, Any]) -> bool:
        """pinChatMessage(chat_id, message_id[, disable_notification])."""
        target = self.resolve_chat(p.get("chat_id"))  # type: ignore[attr-defined]
        self._check_pin_rights(target)
        try:
            message_id = int(p.get("message_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise bad_request("message_id is empty") from exc
        if (target.id, message_id) not in self.messages:  # type: ignore[attr-defined]
            raise bad_request("message to pin not found")
        self.pinned[target.id] = message_id
        return True

    async def api_unpinchatmessage(self, p: dict[str, Any]) -> bool:
        """unpinChatMessage(chat_id[, message_id])."""
        target = self.resolve_chat(p.get("chat_id"))  # type: ignore[attr-defined]
        self._check_pin_rights(target)
        self.pinned.pop(target.id, None)
        return True
