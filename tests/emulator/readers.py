"""Reading what the bot did, and waiting for it: a mixin of :class:`BotApiEmulator`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .state import SentMessage


class ResultReaders:
    """Sent messages, edits and callback answers, with waiting helpers for tests."""

    # ------------------------------------------------------------------ reading results
    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent successfully, in order (edited/deleted ones included)."""
        return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    def last_message(self, chat_id: int | None = None) -> SentMessage | None:
        """The most recent message the bot sent (to ``chat_id``), or None."""
        msgs = self.sent_messages(chat_id)
        return msgs[-1] if msgs else None

    def messages_edited(self, chat_id: int | None = None) -> list[SentMessage]:
        """Bot messages that have been edited at least once."""
        return [m for m in self.sent_messages(chat_id) if m.edited]

    def reset_limits(self) -> None:
        """Forget flood-limit history (e.g. between benchmark phases)."""
        self.limiter.reset()

    def _dump(self) -> str:
        sent = "\n".join(f"  {m!r}" for m in self._sent[-10:]) or "  (none)"
        errs = (
            "\n".join(f"  {c.method}: {c.error_code} {c.description}" for c in self.errors[-10:])
            or "  (none)"
        )
        return f"last sent messages:\n{sent}\nlast errors:\n{errs}"

    async def wait_until(
        self,
        condition: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "condition",
    ) -> Any:
        """Wait until ``condition()`` is truthy (re-checked on every API call); return it."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what}\n" + self._dump()
                )
            await self._wait_change(min(remaining, 0.05))

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[SentMessage], Any] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        after: int | float | SentMessage | None = None,
    ) -> SentMessage:
        """Wait for the next bot message to ``chat_id`` satisfying ``predicate``.

        ``after``: None = messages sent since the last scenario action (the last update
        queued), so a reply that came before this call is still found; int = index into
        ``sent_messages(chat_id)``; float = a ``time.monotonic()`` instant; a SentMessage =
        messages after that one.
        """
        if after is None:
            start = sum(
                1 for m in self._sent[: self.messages_before_last_action] if m.chat_id == chat_id
            )
        elif isinstance(after, SentMessage):
            start = self.sent_messages(chat_id).index(after) + 1
        elif isinstance(after, float):
            start = sum(m.sent_at <= after for m in self.sent_messages(chat_id))
        else:
            start = after

        def find() -> SentMessage | None:
            for m in self.sent_messages(chat_id)[start:]:
                if predicate is None or predicate(m):
                    return m
            return None

        return await self.wait_until(find, timeout, f"a bot message to chat {chat_id}")

    async def wait_for_callback_answer(
        self,
        callback_id: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait for answerCallbackQuery (for ``callback_id``, or the next one)."""
        start = self.answers_before_last_action if callback_id is None else 0

        def find() -> dict[str, Any] | None:
            for a in self.callback_answers[start:]:
                if callback_id is None or a["callback_query_id"] == str(callback_id):
                    return a
            return None

        return await self.wait_until(find, timeout, f"callback answer {callback_id}")
