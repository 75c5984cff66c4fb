"""The feed's rules of use, enforced in code: at least 10 s between calls, at most 60 calls
in any hour and 1440 in any day, plus back-off after 429, 5xx and network errors.

The call times live in the database (storage/feed_calls.py), so the budget holds across restarts.
Everything here is pure: it takes the call times and `now` from the injected clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MIN_GAP = timedelta(seconds=10)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
PER_HOUR, PER_DAY = 60, 1440
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)
RETRY_AFTER_MAX = timedelta(days=7)  # only guards against absurd values


def next_allowed(
    calls: list[datetime], now: datetime, not_before: datetime | None = None
) -> datetime | None:
    """When the next call may be made; None means now.

    Args:
        calls: times of the calls of the last day (or more), any order.
        now: the current time.
        not_before: a back-off deadline (429 Retry-After, errors), if any.
    """
    candidates = [now]
    if not_before is not None:
        candidates.append(not_before)
    recent = sorted(c for c in calls if c > now - DAY)
    if recent:
        candidates.append(recent[-1] + MIN_GAP)
    last_hour = [c for c in recent if c > now - HOUR]
    if len(last_hour) >= PER_HOUR:
        candidates.append(last_hour[-PER_HOUR] + HOUR)
    if len(recent) >= PER_DAY:
        candidates.append(recent[-PER_DAY] + DAY)
    moment = max(candidates)
    return None if moment <= now else moment


def backoff(failures: int) -> timedelta:
    """Wait after `failures` (≥ 1) consecutive failed calls: 1, 2, 4, … minutes, ≤ 1 hour."""
    return min(BACKOFF_FIRST * (2 ** max(failures - 1, 0)), BACKOFF_MAX)


def retry_after(header: str | None, now: datetime, failures: int) -> datetime:
    """The moment a 429's `Retry-After` (seconds or an HTTP date) allows; back-off if absent.

    Never less than the error back-off; capped at a week against absurd values.
    """
    from email.utils import parsedate_to_datetime

    wait = backoff(failures)
    if header:
        header = header.strip()
        try:
            wait = max(wait, timedelta(seconds=float(header)))
        except ValueError:
            try:
                moment = parsedate_to_datetime(header)
            except (TypeError, ValueError):
                moment = None
            if moment is not None and moment.tzinfo is not None:
                wait = max(wait, moment - now)
    return now + min(wait, RETRY_AFTER_MAX)
