"""A rate limiter that keeps the bot inside Telegram's limits, with priorities.

Every Bot API request passes through `PriorityRateLimiter.process_request` (it is handed
to `ApplicationBuilder.rate_limiter`). Only message-sending methods are limited:

* per chat: groups at most `group_per_minute` messages per sliding minute, private chats a
  token bucket (`private_per_second`, burst `private_burst`);
* overall: `overall_per_second` evenly spaced slots per second, handed out by priority:
  0 = answers to people talking to the bot (the default), 1 = alerts, 2 = scheduled
  messages (tips, digests). A waiting answer always gets the next slot.

Overall slots lie on a fixed timeline (one every 1/`overall_per_second` s, counted from
the scheduled time of the previous slot, not from when the dispatcher woke up), so wake-up
delays do not add up. As a backstop, at most `overall_window_limit` (Telegram's 30)
requests go out in any `overall_window_seconds` (a little over Telegram's second, so that
jitter on the way to Telegram cannot make 31 of them arrive within one second); a
request that comes back later than the fastest recent ones is counted from when it
probably reached Telegram (its extra delay most likely came before).
The limits sit a little below Telegram's (30/s, 20/min per group, ~1/s per chat) so that
clock jitter between us and Telegram never turns into a 429.

Should Telegram still answer 429, only that chat pauses for `retry_after` (its flood limit
is per chat); only when `global_429_chats` distinct chats get a 429 within
`global_429_window` seconds does all sending pause. A request that passes
``rate_limit_args={"defer": True}`` (the outbox worker) is never held while its chat is
paused or must wait more than `defer_after` seconds for its chat's window: it gets
`ChatPaused` (a `RetryAfter`) at once and is rescheduled by the caller, so it holds no
slot meanwhile. Other requests (answers to people) wait for their chat and are retried.

The per-chat half (windows, buckets, pauses, pruning) is in bot/ratelimit_chats.py.
Per-chat state of chats that have been idle long enough to be back at a fresh state is
dropped every `prune_every` seconds (on the next request, or by the dispatcher when no
request comes), so memory stays flat however many chats were served.
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

from bot import memory_release
from bot.ratelimit_chats import ChatPacing

log = logging.getLogger(__name__)

# Chats dropped by one prune that mark the end of a burst (bot/memory_release.py).
RELEASE_AFTER_PRUNED = 100

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


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """Telegram-limit pacing with priorities; see the module docstring.

    Rates are per second (`overall_per_second`, `private_per_second`) or per window
    (`group_per_minute` sends per `group_window_seconds`); times are monotonic seconds."""

    def __init__(
        self,
        overall_per_second: float = 29.3,
        group_per_minute: int = 20,
        group_window_seconds: float = 61.0,
        private_per_second: float = 0.95,
        private_burst: float = 3.0,
        max_retries: int = 3,
        *,
        overall_window_limit: int = 30,
        overall_window_seconds: float = 1.02,
        global_429_chats: int = 3,
        global_429_window: float = 1.0,
        defer_after: float = 1.0,
        prune_every: float = 60.0,
    ) -> None:
        self.overall_per_second = overall_per_second
        self.overall_window_limit = overall_window_limit
        self.overall_window_seconds = overall_window_seconds
        self.max_retries = max_retries
        self.global_429_chats = global_429_chats
        self.global_429_window = global_429_window
        self.prune_every = prune_every
        self.retry_after_count = 0
        # When granted requests went out ([time], moved later by _settle), and how long the
        # latest ones took to come back.
        self._window: deque[list[float]] = deque()
        self._latencies: deque[float] = deque(maxlen=50)
        self._in_transit = 0  # granted, not yet gone out
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._sequence = itertools.count()
        self.chats = ChatPacing(
            group_per_minute, group_window_seconds, private_per_second, private_burst, defer_after
        )
        self._recent_429: deque[tuple[float, int | str]] = deque()
        self._paused_until = 0.0
        self._next_slot = 0.0
        self._last_prune = time.monotonic()
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

    @property
    def tracked_chats(self) -> int:
        """How many chats have pacing state right now (idle ones are pruned)."""
        return len(self.chats.chats)

    @property
    def globally_paused(self) -> bool:
        """True while a 429 from many chats at once pauses all sending."""
        return self._paused_until > time.monotonic()

    def chat_paused_for(self, chat_id: int | str) -> float:
        """Seconds a 429 still pauses `chat_id` (0.0 when it is not paused)."""
        return self.chats.paused_for(chat_id)

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
        options = rate_limit_args or {}
        priority = int(options.get("priority", PRIORITY_ANSWER))
        defer = bool(options.get("defer", False))
        key = self.chats.key(data.get("chat_id"))
        self._maybe_prune()
        attempts = 0
        while True:
            chat = self.chats.state(key)
            async with chat.lock:
                await self.chats.wait(key, chat, defer)
                sent = await self._wait_for_overall_slot(priority)
                self.chats.record_send(key, chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                attempts += 1
                self.retry_after_count += 1
                delay = retry_after_seconds(exc)
                log.warning("Telegram answered 429 for %s in %s (retry after %.1fs)",
                            endpoint, key, delay)  # fmt: skip
                self._note_429(key, delay)
                if defer or attempts > self.max_retries:
                    raise
                # The loop waits in chats.wait until the pause ends, holding no slot.
            finally:
                if sent is not None:
                    self._settle(sent)

    # -- 429s ---------------------------------------------------------------------------

    def _note_429(self, key: int | str, delay: float) -> None:
        """Pause the chat; pause everything when many chats were refused at once."""
        now = time.monotonic()
        self.chats.pause(key, now + delay)
        self._recent_429.append((now, key))
        while self._recent_429 and self._recent_429[0][0] < now - self.global_429_window:
            self._recent_429.popleft()
        if len({k for _, k in self._recent_429}) >= self.global_429_chats:
            log.warning("429 from %d chats within %.1fs: pausing all sending for %.1fs",
                        self.global_429_chats, self.global_429_window, delay)  # fmt: skip
            self._paused_until = max(self._paused_until, now + delay)
            if self._wakeup is not None:
                self._wakeup.set()

    # -- pruning idle chats ------------------------------------------------------------

    def _maybe_prune(self) -> None:
        now = time.monotonic()
        if now - self._last_prune >= self.prune_every:
            self.prune(now)

    def prune(self, now: float | None = None) -> int:
        """Drop the state of idle chats (see ChatPacing.prune); returns how many."""
        now = time.monotonic() if now is None else now
        self._last_prune = now
        dropped = self.chats.prune(now)
        if dropped >= RELEASE_AFTER_PRUNED:  # the end of a burst: give its memory back
            memory_release.release_free_memory()
        return dropped

    # -- overall, by priority ------------------------------------------------------

    async def _wait_for_overall_slot(self, priority: int) -> list[float] | None:
        """Wait for a slot; returns the request's window entry ([time it went out])."""
        if self._wakeup is None:  # not initialised (e.g. a bare Bot in a unit test)
            return None
        if not self._waiting and self._take_free_slot():
            return self._went_out()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._sequence), future))
        self._wakeup.set()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # granted, but will not send
                self._in_transit -= 1
            raise
        return self._went_out()

    def _take_free_slot(self) -> bool:
        """Take the next slot inline when it is free right now (nothing waits, so no
        priority is passed over): the same slot the dispatcher would hand out, without
        the round trip through its task. False when the caller must queue."""
        now = time.monotonic()
        if self._overall_delay(now) > 0:
            return False
        self._take_slot(now)
        return True

    def _went_out(self) -> list[float]:
        # The window counts when the request really goes out: a request that resumes late
        # (a busy event loop) must not let later ones bunch up behind it.
        self._in_transit -= 1
        entry = [time.monotonic()]
        self._window.append(entry)
        return entry

    def _settle(self, entry: list[float]) -> None:
        """A request came back: if it took longer than the fastest recent ones, assume the
        extra time passed before it reached Telegram (a stalled event loop), and count it
        in the window from then on, as Telegram does."""
        latency = time.monotonic() - entry[0]
        self._latencies.append(latency)
        entry[0] += latency - min(self._latencies)

    def _overall_delay(self, now: float) -> float:
        span = self.overall_window_seconds
        # Entries leave from the left as they expire: O(1) amortised per request, however
        # many sends the window holds. Settling can move an entry later than the ones
        # behind it, so an expired entry may wait behind a live one and be counted a
        # little longer; that only errs on the safe side, and the exact count is taken
        # below whenever the window is (nearly) full.
        window = self._window
        while window and window[0][0] <= now - span:
            window.popleft()
        # Evenly spaced slots: a burst would fill the whole second at once and make an
        # answer that arrives just after it wait for the window to slide (up to 1 s).
        delay = max(self._paused_until, self._next_slot) - now
        excess = len(window) + self._in_transit - self.overall_window_limit
        if excess >= 0:
            # Full: drop every expired entry (at most a limit's worth) and count exactly.
            self._window = deque(entry for entry in window if entry[0] > now - span)
            excess = len(self._window) + self._in_transit - self.overall_window_limit
        if excess >= 0:
            times = sorted(entry[0] for entry in self._window)
            expiring = times[excess] + span if excess < len(times) else now + 0.005
            delay = max(delay, expiring - now)
        return delay

    def _take_slot(self, now: float) -> None:
        interval = 1.0 / self.overall_per_second
        # The next slot follows the scheduled one, not the moment we woke up, so wake-up
        # delays (shorter than a slot) do not accumulate; after an idle spell the timeline
        # restarts at `now` (no catch-up burst).
        if now - self._next_slot >= interval:
            self._next_slot = now + interval
        else:
            # Never closer than half a slot to this release: catching up on a late wake-up
            # must not bunch sends, which Telegram would see as a burst.
            self._next_slot = max(self._next_slot + interval, now + interval / 2)
        self._in_transit += 1

    async def _dispatch(self) -> None:
        assert self._wakeup is not None
        while True:
            # Also wakes when idle, so chats served before a quiet spell are dropped even if
            # no request comes (polling bypasses the limiter): memory returns to idle.
            try:
                async with asyncio.timeout(self.prune_every):
                    await self._wakeup.wait()
            except TimeoutError:
                self._maybe_prune()
                continue
            self._wakeup.clear()
            while self._waiting:
                delay = self._overall_delay(time.monotonic())
                if delay > 0:
                    await asyncio.sleep(delay)
                    continue
                _, _, future = heapq.heappop(self._waiting)
                if future.done():  # the waiting request was cancelled
                    continue
                self._take_slot(time.monotonic())
                future.set_result(None)
