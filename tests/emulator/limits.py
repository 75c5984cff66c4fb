"""Telegram-like flood limits for message-sending methods.

Three independent checks, all configurable:

* global: at most ``global_limit`` sends in any sliding ``global_window`` seconds;
* per group/supergroup: at most ``group_limit`` sends in any sliding ``group_window``;
* per private chat: a token bucket refilled at ``private_rate`` tokens/s with capacity
  ``private_burst``.

A refused request does not consume any quota.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class RateDecision:
    """Outcome of :meth:`RateLimiter.check`: ``allowed`` or refused with ``retry_after``."""

    allowed: bool
    retry_after: int = 0
    kind: str | None = None  # "global" / "group" / "private" when refused
    wait_seconds: float = 0.0


class RateLimiter:
    """Sliding-window + token-bucket limiter; time source injectable for tests."""

    def __init__(
        self,
        global_limit: int = 30,
        global_window: float = 1.0,
        group_limit: int = 20,
        group_window: float = 60.0,
        private_rate: float = 1.0,
        private_burst: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_limit = global_limit
        self.global_window = global_window
        self.group_limit = group_limit
        self.group_window = group_window
        self.private_rate = private_rate
        self.private_burst = private_burst
        self.clock = clock
        self._global: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, last time)

    @staticmethod
    def _window_wait(q: deque[float], limit: int, window: float, now: float) -> float:
        while q and q[0] <= now - window:
            q.popleft()
        if len(q) < limit:
            return 0.0
        # the (len-limit)th oldest must expire before one more fits
        return q[len(q) - limit] + window - now

    def _bucket_tokens(self, chat_id: int, now: float) -> float:
        tokens, last = self._buckets.get(chat_id, (self.private_burst, now))
        return min(self.private_burst, tokens + (now - last) * self.private_rate)

    def check(self, chat_id: int, is_private: bool, consume: bool = True) -> RateDecision:
        """Check whether a send to ``chat_id`` is allowed now; consume quota if so."""
        now = self.clock()
        waits: list[tuple[float, str]] = []
        w = self._window_wait(self._global, self.global_limit, self.global_window, now)
        if w > 0:
            waits.append((w, "global"))
        if is_private:
            tokens = self._bucket_tokens(chat_id, now)
            if tokens < 1.0:
                waits.append(((1.0 - tokens) / self.private_rate, "private"))
        else:
            q = self._groups.setdefault(chat_id, deque())
            w = self._window_wait(q, self.group_limit, self.group_window, now)
            if w > 0:
                waits.append((w, "group"))
        if waits:
            wait, kind = max(waits)
            return RateDecision(False, max(1, math.ceil(wait - 1e-9)), kind, wait)
        if consume:
            self._global.append(now)
            if is_private:
                self._buckets[chat_id] = (self._bucket_tokens(chat_id, now) - 1.0, now)
            else:
                self._groups[chat_id].append(now)
        return RateDecision(True)

    def reset(self) -> None:
        """Forget all recorded sends."""
        self._global.clear()
        self._groups.clear()
        self._buckets.clear()
