"""Per-chat pacing for the rate limiter (bot/ratelimit.py): groups at most
`group_per_minute` sends per sliding `group_window_seconds`, private chats a token bucket
(`private_per_second`, burst `private_burst`), a chat paused by a 429 until its
`retry_after` has passed, and the pruning of idle chats' state. Times are monotonic
seconds; one request of a chat at a time (the chat's lock, taken by the limiter).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter


class ChatPaused(RetryAfter):
    """Raised (without calling Telegram) for a deferrable request whose chat must wait.

    `retry_after` is a timedelta: how long the chat stays paused or its window stays full."""

    def __init__(self, seconds: float) -> None:
        super().__init__(timedelta(seconds=max(seconds, 0.001)))


class ChatState:
    """Per-chat pacing: a lock (one request of a chat at a time), its recent sends, and
    until when (monotonic seconds) a 429 paused it."""

    __slots__ = ("lock", "paused_until", "sent", "tokens", "updated")

    def __init__(self, burst: float) -> None:
        self.lock = asyncio.Lock()
        self.sent: deque[float] = deque()
        self.tokens = burst
        self.updated = time.monotonic()
        self.paused_until = 0.0


class ChatPacing:
    """The state and rules of every chat the limiter has seen recently."""

    def __init__(
        self,
        group_per_minute: int,
        group_window_seconds: float,
        private_per_second: float,
        private_burst: float,
        defer_after: float,
    ) -> None:
        self.group_per_minute = group_per_minute
        self.group_window_seconds = group_window_seconds
        self.private_per_second = private_per_second
        self.private_burst = private_burst
        self.defer_after = defer_after
        self.chats: dict[int | str, ChatState] = {}

    @staticmethod
    def key(chat_id: Any) -> int | str:
        return chat_id if isinstance(chat_id, int | str) else str(chat_id)

    def state(self, key: int | str) -> ChatState:
        state = self.chats.get(key)
        if state is None:
            state = self.chats[key] = ChatState(self.private_burst)
        return state

    def paused_for(self, chat_id: int | str) -> float:
        """Seconds a 429 still pauses `chat_id` (0.0 when it is not paused)."""
        state = self.chats.get(chat_id)
        return 0.0 if state is None else max(state.paused_until - time.monotonic(), 0.0)

    def pause(self, key: int | str, until: float) -> None:
        chat = self.state(key)
        chat.paused_until = max(chat.paused_until, until)

    @staticmethod
    def is_group(chat_id: Any) -> bool:
        # Group and supergroup ids are negative; usernames (@channel) count as groups.
        return isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)

    def delay(self, chat_id: int | str, chat: ChatState, now: float) -> float:
        """Seconds until the chat may send again (<= 0: now)."""
        paused = chat.paused_until - now
        if self.is_group(chat_id):
            while chat.sent and chat.sent[0] <= now - self.group_window_seconds:
                chat.sent.popleft()
            if len(chat.sent) < self.group_per_minute:
                return paused
            return max(paused, chat.sent[0] + self.group_window_seconds - now)
        chat.tokens = min(
            self.private_burst, chat.tokens + (now - chat.updated) * self.private_per_second
        )
        chat.updated = now
        if chat.tokens >= 1.0:
            return paused
        return max(paused, (1.0 - chat.tokens) / self.private_per_second)

    async def wait(self, chat_id: int | str, chat: ChatState, defer: bool) -> None:
        """Wait until the chat may send; `defer`: raise ChatPaused instead of waiting while
        the chat is paused or longer than `defer_after` seconds."""
        while True:
            now = time.monotonic()
            delay = self.delay(chat_id, chat, now)
            if delay <= 0:
                return
            if defer and (chat.paused_until > now or delay > self.defer_after):
                raise ChatPaused(delay)
            await asyncio.sleep(max(delay, 0.001))

    def record_send(self, chat_id: int | str, chat: ChatState) -> None:
        now = time.monotonic()
        if self.is_group(chat_id):
            chat.sent.append(now)
        else:
            chat.tokens -= 1.0
            chat.updated = now

    def prune(self, now: float) -> int:
        """Drop the state of idle chats (no request under way, not paused, and back at a
        fresh state: empty group window, full private bucket); returns how many."""
        idle = [
            key
            for key, chat in self.chats.items()
            if not chat.lock.locked()
            and chat.paused_until <= now
            and self._is_fresh(key, chat, now)
        ]
        for key in idle:
            del self.chats[key]
        return len(idle)

    def _is_fresh(self, key: int | str, chat: ChatState, now: float) -> bool:
        if self.is_group(key):
            return not chat.sent or chat.sent[-1] <= now - self.group_window_seconds
        refilled = chat.tokens + (now - chat.updated) * self.private_per_second
        return refilled >= self.private_burst
