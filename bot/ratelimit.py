"""A rate limiter that keeps the bot inside Telegram's limits, with priorities.

Every Bot API request passes through `PriorityRateLimiter.process_request` (it is handed
to `ApplicationBuilder.rate_limiter`). Only message-sending methods are limited:

* per chat: groups at most `group_per_minute` messages per sliding minute, private chats a
  token bucket (`private_per_second`, burst `private_burst`);
* overall: at most `overall_per_second` messages in any sliding second, handed out by
  priority: 0 = answers to people talking to the bot (the default), 1 = alerts,
  2 = scheduled messages (tips, digests). A waiting answer always gets the next slot.

The limits sit a little below Telegram's (30/s, 20/min per group, ~1/s per chat) so that
clock jitter between us and Telegram never turns into a 429. Should Telegram still answer
429, all sending pauses for `retry_after` and the request is retried.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

PRIORITY_ANSWER = 0
PRIORITY_ALERT = 1
PRIORITY_SCHEDULED = 2

SENDING_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendLocation", "sendPoll",
        "sendMediaGroup", "sendVideo", "sendAudio", "sendVoice", "sendAnimation",
        "sendSticker", "sendVenue", "sendContact", "copyMessage", "forwardMessage",
    }
)  # fmt: skip


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds to wait from a 429, whether PTB gives an int or (from v23) a timedelta."""
    with warnings.catch_warnings():
        # PTB 22 warns on every read that the type will change; both types are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay = exc.retry_after
    return float(delay if isinstance(delay, int | float) else delay.total_seconds())


class _ChatState:
    """Per-chat pacing: a lock (one request of a chat at a time) and its recent sends."""

    __slots__ = ("lock", "sent", "tokens", "updated")

    def __init__(self, burst: float) -> None:
        self.lock = asyncio.Lock()
        self.sent: deque[float] = deque()
        self.tokens = burst
        self.updated = time.monotonic()


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """Telegram-limit pacing with priorities; see the module docstring."""

    def __init__(
        self,
        overall_per_second: int = 29,
        group_per_minute: int = 20,
        group_window_seconds: float = 61.0,
        private_per_second: float = 0.95,
        private_burst: float = 3.0,
        max_retries: int = 3,
    ) -> None:
        self.overall_per_second = overall_per_second
        self.group_per_minute = group_per_minute
        self.group_window_seconds = group_window_seconds
        self.private_per_second = private_per_second
        self.private_burst = private_burst
        self.max_retries = max_retries
        self.retry_after_count = 0
        self._window: deque[float] = deque()
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._sequence = itertools.count()
        self._chats: dict[int | str, _ChatState] = {}
        self._paused_until = 0.0
        self._last_release = 0.0
        self._wakeup: asyncio.Event | None = None
        self._dispatcher: asyncio.Task[None] | None = None

    async def initialize(self) -> None:
        # PTB initialises the bot (and so this limiter) from both the Application and the
        # Updater; a second dispatcher would be orphaned and destroyed while pending.
        if self._dispatcher is not None and not self._dispatcher.done():
            return
        self._wakeup = asyncio.Event()
        self._dispatcher = asyncio.get_running_loop().create_task(
            self._dispatch(), name="grannvakt-rate-limiter"
        )

    async def shutdown(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            try:
                await self._dispatcher
            except asyncio.CancelledError:
                pass
            self._dispatcher = None
        for _, _, future in self._waiting:
            if not future.done():
                future.cancel()
        self._waiting.clear()

    @property
    def waiting(self) -> int:
        """How many requests wait for an overall slot right now."""
        return len(self._waiting)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint not in SENDING_METHODS:
            return await callback(*args, **kwargs)
        priority = int((rate_limit_args or {}).get("priority", PRIORITY_ANSWER))
        chat_id = data.get("chat_id")
        attempts = 0
        while True:
            chat = self._chat_state(chat_id)
            async with chat.lock:
                await self._wait_for_chat(chat_id, chat)
                await self._wait_for_overall_slot(priority)
                self._record_chat_send(chat_id, chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                attempts += 1
                self.retry_after_count += 1
                delay = retry_after_seconds(exc)
                log.warning("Telegram answered 429 for %s (retry after %.1fs)", endpoint, delay)
                self._paused_until = max(self._paused_until, time.monotonic() + delay)
                if attempts > self.max_retries:
                    raise
                await asyncio.sleep(delay)

    # -- per chat -------------------------------------------------------------------

    def _chat_state(self, chat_id: Any) -> _ChatState:
        key = chat_id if isinstance(chat_id, int | str) else str(chat_id)
        state = self._chats.get(key)
        if state is None:
            state = self._chats[key] = _ChatState(self.private_burst)
        return state

    @staticmethod
    def _is_group(chat_id: Any) -> bool:
        # Group and supergroup ids are negative; usernames (@channel) count as groups.
        return isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)

    async def _wait_for_chat(self, chat_id: Any, chat: _ChatState) -> None:
        while True:
            now = time.monotonic()
            if self._is_group(chat_id):
                while chat.sent and chat.sent[0] <= now - self.group_window_seconds:
                    chat.sent.popleft()
                if len(chat.sent) < self.group_per_minute:
                    return
                delay = chat.sent[0] + self.group_window_seconds - now
            else:
                chat.tokens = min(
                    self.private_burst,
                    chat.tokens + (now - chat.updated) * self.private_per_second,
                )
                chat.updated = now
                if chat.tokens >= 1.0:
                    return
                delay = (1.0 - chat.tokens) / self.private_per_second
            await asyncio.sleep(max(delay, 0.001))

    def _record_chat_send(self, chat_id: Any, chat: _ChatState) -> None:
        now = time.monotonic()
        if self._is_group(chat_id):
            chat.sent.append(now)
        else:
            chat.tokens -= 1.0
            chat.updated = now

    # -- overall, by priority ------------------------------------------------------

    async def _wait_for_overall_slot(self, priority: int) -> None:
        if self._wakeup is None:  # not initialised (e.g. a bare Bot in a unit test)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._sequence), future))
        self._wakeup.set()
        await future

    def _overall_delay(self, now: float) -> float:
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        # Evenly spaced releases: a burst would fill the whole second at once and make an
        # answer that arrives just after it wait for the window to slide (up to 1 s).
        delay = max(self._paused_until, self._last_release + 1.0 / self.overall_per_second) - now
        if len(self._window) >= self.overall_per_second:
            delay = max(delay, self._window[0] + 1.0 - now)
        return delay

    async def _dispatch(self) -> None:
        assert self._wakeup is not None
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._waiting:
                delay = self._overall_delay(time.monotonic())
                if delay > 0:
                    await asyncio.sleep(delay)
                    continue
                _, _, future = heapq.heappop(self._waiting)
                if future.done():  # the waiting request was cancelled
                    continue
                self._last_release = time.monotonic()
                self._window.append(self._last_release)
                future.set_result(None)
