"""PriorityRateLimiter: stays inside the limits and lets answers overtake broadcasts."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import (
    PRIORITY_ANSWER,
    PRIORITY_SCHEDULED,
    PriorityRateLimiter,
    retry_after_seconds,
)
from bot.ratelimit_chats import ChatPaused


async def _send(limiter, log, chat_id, priority, label, method="sendMessage"):
    async def callback():
        log.append((label, time.monotonic()))
        return {"ok": True}

    return await limiter.process_request(
        callback, (), {}, method, {"chat_id": chat_id}, {"priority": priority}
    )


async def test_overall_window_is_never_exceeded():
    # Slots at the window's own rate: only the backstop window keeps catch-ups in bounds.
    limiter = PriorityRateLimiter(
        overall_per_second=10, overall_window_limit=10, overall_window_seconds=1.0
    )
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        await asyncio.gather(*(_send(limiter, log, -i, 1, f"g{i}") for i in range(25)))
        times = sorted(t for _, t in log)
        for i in range(len(times) - 10):
            assert times[i + 10] - times[i] >= 0.99  # any 11 sends span at least a second
        assert times[-1] - times[0] >= 1.9  # 25 at 10/s take two seconds at least
    finally:
        await limiter.shutdown()


async def test_answer_overtakes_waiting_broadcast():
    limiter = PriorityRateLimiter(overall_per_second=20)
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        broadcast = [
            asyncio.create_task(_send(limiter, log, -i, PRIORITY_SCHEDULED, f"tip{i}"))
            for i in range(30)
        ]
        await asyncio.sleep(0.3)
        started = time.monotonic()
        await _send(limiter, log, 42, PRIORITY_ANSWER, "answer")
        waited = time.monotonic() - started
        position = [label for label, _ in log].index("answer")
        await asyncio.gather(*broadcast)
        assert waited < 0.2, waited
        assert position < 12  # ahead of everything still queued, not after all 30
    finally:
        await limiter.shutdown()


async def test_private_chat_bucket_and_group_window():
    limiter = PriorityRateLimiter(
        private_per_second=5, private_burst=2, group_per_minute=3, group_window_seconds=0.5
    )
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        await asyncio.gather(*(_send(limiter, log, 7, 0, f"p{i}") for i in range(4)))
        private = sorted(t for _, t in log)
        assert private[3] - private[0] >= 0.35  # burst of 2, then 5/s
        log.clear()
        await asyncio.gather(*(_send(limiter, log, -5, 1, f"g{i}") for i in range(6)))
        group = sorted(t for _, t in log)
        assert group[3] - group[0] >= 0.49  # the 4th waits for the window
    finally:
        await limiter.shutdown()


async def test_non_sending_methods_pass_straight_through():
    limiter = PriorityRateLimiter(overall_per_second=1)
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        started = time.monotonic()
        await asyncio.gather(
            *(_send(limiter, log, 1, 0, f"a{i}", method="answerCallbackQuery") for i in range(5))
        )
        assert time.monotonic() - started < 0.2
    finally:
        await limiter.shutdown()


async def test_initialize_twice_runs_one_dispatcher_and_shutdown_stops_it():
    limiter = PriorityRateLimiter()
    await limiter.initialize()
    await limiter.initialize()  # PTB calls it from the Application and from the Updater
    dispatchers = [t for t in asyncio.all_tasks() if t.get_name() == "grannvakt-rate-limiter"]
    assert len(dispatchers) == 1
    await limiter.shutdown()
    await asyncio.sleep(0)
    assert all(t.done() for t in dispatchers)


def _flood_once(seconds: float, chats: set[int]):
    """A callback factory: the first send to each chat in `chats` gets a 429."""
    refused: set[int] = set()

    def make(log, chat_id, label):
        async def callback():
            if chat_id in chats and chat_id not in refused:
                refused.add(chat_id)
                raise RetryAfter(timedelta(seconds=seconds))
            log.append((label, time.monotonic()))
            return {"ok": True}

        return callback

    return make


async def test_429_pauses_only_that_chat():
    limiter = PriorityRateLimiter()
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        make = _flood_once(1.0, {-1})

        def send(chat_id, label):
            return limiter.process_request(
                make(log, chat_id, label), (), {}, "sendMessage", {"chat_id": chat_id}, None
            )

        flooded = asyncio.create_task(send(-1, "flooded"))
        await asyncio.sleep(0.05)  # the 429 has come back
        assert limiter.chat_paused_for(-1) > 0.5
        await asyncio.gather(send(-2, "other group"), send(42, "answer"))
        assert not flooded.done()  # the others did not wait for the flooded chat
        await flooded
        assert [label for label, _ in log] == ["other group", "answer", "flooded"]
        assert not limiter.globally_paused and limiter.retry_after_count == 1
    finally:
        await limiter.shutdown()


async def test_429_from_several_chats_at_once_pauses_everything():
    limiter = PriorityRateLimiter(global_429_chats=3, global_429_window=1.0)
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        make = _flood_once(0.5, {-1, -2, -3})
        args = {"defer": True}
        for chat_id in (-1, -2):
            with pytest.raises(RetryAfter):
                await limiter.process_request(
                    make(log, chat_id, "x"), (), {}, "sendMessage", {"chat_id": chat_id}, args
                )
            assert not limiter.globally_paused  # one or two chats: their own limits
        with pytest.raises(RetryAfter):
            await limiter.process_request(
                make(log, -3, "x"), (), {}, "sendMessage", {"chat_id": -3}, args
            )
        assert limiter.globally_paused
        started = time.monotonic()
        await _send(limiter, log, -4, PRIORITY_ANSWER, "fourth chat")
        assert time.monotonic() - started >= 0.4  # waited for the global pause
    finally:
        await limiter.shutdown()


async def test_deferrable_request_for_a_waiting_chat_is_refused_at_once():
    limiter = PriorityRateLimiter(group_per_minute=1, group_window_seconds=30, defer_after=1.0)
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        make = _flood_once(20.0, {-1})
        args = {"priority": PRIORITY_SCHEDULED, "defer": True}
        with pytest.raises(RetryAfter) as first:
            await limiter.process_request(
                make(log, -1, "a"), (), {}, "sendMessage", {"chat_id": -1}, args
            )
        assert not isinstance(first.value, ChatPaused)  # that one came from Telegram
        called: list[int] = []

        async def must_not_run():
            called.append(1)
            return {"ok": True}

        with pytest.raises(ChatPaused) as paused:  # paused chat: no request at all
            await limiter.process_request(
                must_not_run, (), {}, "sendMessage", {"chat_id": -1}, args
            )
        assert retry_after_seconds(paused.value) > 15
        await _send(limiter, log, -2, PRIORITY_SCHEDULED, "first in -2")
        with pytest.raises(ChatPaused) as full:  # the group's window is full for ~30 s
            await limiter.process_request(
                must_not_run, (), {}, "sendMessage", {"chat_id": -2}, args
            )
        assert retry_after_seconds(full.value) > 25
        assert called == []
    finally:
        await limiter.shutdown()


def test_slots_stay_on_a_fixed_timeline_despite_late_wake_ups():
    limiter = PriorityRateLimiter(overall_per_second=10)  # a slot every 0.1 s
    limiter._take_slot(100.0)
    for n in range(1, 50):
        due = 100.0 + n * 0.1
        assert limiter._overall_delay(due - 0.001) > 0
        limiter._take_slot(due + 0.02)  # every wake-up 20 ms late
        limiter._in_transit = 0
    # 50 slots in 4.9 s, not 4.9 + 49 × 0.02 s
    assert limiter._next_slot == pytest.approx(105.0)
    limiter._take_slot(200.0)  # after an idle spell: restart at now, no burst
    assert limiter._next_slot == pytest.approx(200.1)


async def test_idle_chats_are_pruned():
    limiter = PriorityRateLimiter(
        group_window_seconds=0.05, private_per_second=100, private_burst=2, prune_every=3600
    )
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        await asyncio.gather(*(_send(limiter, log, -n, 1, f"g{n}") for n in range(1, 41)))
        await asyncio.gather(*(_send(limiter, log, n, 0, f"p{n}") for n in range(1, 21)))
        assert limiter.tracked_chats == 60
        await asyncio.sleep(0.1)  # windows slid by, buckets refilled
        limiter.prune_every = 0.0
        await _send(limiter, log, 999, 0, "next")  # prunes on the way (prune_every=0)
        assert limiter.tracked_chats <= 1
        limiter.chats.state(-7).paused_until = time.monotonic() + 60
        assert limiter.prune(time.monotonic() + 1) <= 1
        assert limiter.tracked_chats == 1 and limiter.chat_paused_for(-7) > 0  # stays
    finally:
        await limiter.shutdown()


def test_a_request_that_came_back_late_counts_from_when_it_probably_arrived():
    limiter = PriorityRateLimiter()
    for _ in range(5):
        limiter._latencies.append(0.005)  # the fastest recent round trip: 5 ms
    went_out = time.monotonic() - 0.05  # this one took 50 ms: 45 ms more than usual
    entry = [went_out]
    limiter._settle(entry)
    assert entry[0] - went_out >= 0.045 - 0.001  # counted ~45 ms later in the window
    fast = [time.monotonic()]
    limiter._settle(fast)
    assert fast[0] - time.monotonic() < 0.001  # a quick one stays where it was


def _request(limiter, chat_id, priority=PRIORITY_ANSWER):
    async def callback():
        return {"ok": True}

    return limiter.process_request(
        callback, (), {}, "sendMessage", {"chat_id": chat_id}, {"priority": priority}
    )


async def test_a_free_slot_is_taken_inline_without_the_dispatcher():
    limiter = PriorityRateLimiter(overall_per_second=10)
    await limiter.initialize()
    try:
        # Run the request's coroutine one step by hand: it must finish without ever
        # suspending (no round trip through the dispatcher task when nothing waits).
        first = _request(limiter, 1)
        with pytest.raises(StopIteration):
            first.send(None)
        # The next slot lies 0.1 s later on the timeline: the second request must queue.
        second = asyncio.ensure_future(_request(limiter, 2))
        await asyncio.sleep(0)
        assert limiter.waiting == 1 and not second.done()
        # While one waits, a new request queues too, even an answer: the dispatcher
        # hands out slots by priority, so nothing is passed over.
        third = _request(limiter, 3, PRIORITY_ANSWER)
        assert third.send(None) is not None  # suspended: it waits for the dispatcher
        third.close()
        await second
    finally:
        await limiter.shutdown()


async def test_idle_chats_are_pruned_without_further_requests():
    """After a broadcast the bot may send nothing for hours (polling bypasses the limiter):
    the dispatcher still drops the state of the chats it served."""
    limiter = PriorityRateLimiter(group_window_seconds=0.05, prune_every=0.2)
    await limiter.initialize()
    try:
        log: list[tuple[str, float]] = []
        await asyncio.gather(*(_send(limiter, log, -n, 1, f"g{n}") for n in range(1, 31)))
        assert limiter.tracked_chats == 30
        for _ in range(50):  # no request from here on
            await asyncio.sleep(0.05)
            if limiter.tracked_chats == 0:
                break
        assert limiter.tracked_chats == 0
    finally:
        await limiter.shutdown()


class _CountedEntry(list[float]):
    """A window entry that counts how often its time is read."""

    reads = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        _CountedEntry.reads += 1
        return super().__getitem__(index)


def test_overall_window_costs_o1_per_request_however_many_sends_it_holds():
    # With Telegram's limits lifted (bench.updates) the window holds every send of the
    # last second; each request must not scan it.
    limiter = PriorityRateLimiter(
        overall_per_second=1_000_000, overall_window_limit=1_000_000, overall_window_seconds=1.0
    )
    now = 100.0
    limiter._window.extend(_CountedEntry([now - 0.5 + n * 1e-5]) for n in range(5_000))
    _CountedEntry.reads = 0
    for _ in range(100):
        assert limiter._overall_delay(now) <= 0
    assert _CountedEntry.reads <= 200  # the old scan read all 5,000 entries per call
    assert len(limiter._window) == 5_000


def test_overall_window_drops_expired_entries_and_counts_exactly_when_full():
    limiter = PriorityRateLimiter(
        overall_per_second=1_000, overall_window_limit=3, overall_window_seconds=1.0
    )
    # Settling moved the first entry later than the ones behind it; those have expired.
    limiter._window.extend([[100.6], [99.0], [99.1], [100.5]])
    # Three entries counted by the left-pop alone would fill the window; exactly, two live.
    assert limiter._overall_delay(100.2) <= 0
    assert sorted(e[0] for e in limiter._window) == [100.5, 100.6]
    limiter._window.append([100.7])  # now three live sends: wait until the oldest expires
    assert limiter._overall_delay(100.8) == pytest.approx(100.5 + 1.0 - 100.8)


def test_a_prune_after_a_burst_gives_the_freed_memory_back(monkeypatch):
    """Dropping many idle chats at once (the end of a broadcast) trims the C heap once;
    an ordinary prune of a few chats does not (a trim costs milliseconds)."""
    from bot import memory_release, ratelimit

    trims: list[bool] = []
    monkeypatch.setattr(memory_release, "release_free_memory", lambda: trims.append(True))
    limiter = PriorityRateLimiter(group_window_seconds=0.05)
    for chat_id in range(-ratelimit.RELEASE_AFTER_PRUNED, 0):
        limiter.chats.record_send(chat_id, limiter.chats.state(chat_id))
    assert limiter.prune(time.monotonic() + 3600) == ratelimit.RELEASE_AFTER_PRUNED
    assert trims == [True]
    limiter.chats.record_send(-1, limiter.chats.state(-1))
    assert limiter.prune(time.monotonic() + 7200) == 1
    assert trims == [True]


def test_freed_memory_can_be_given_back_on_this_c_library():
    import platform

    from bot.memory_release import release_free_memory

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is glibc's")
    assert release_free_memory() is True  # glibc (Linux): malloc_trim exists
