"""PriorityRateLimiter: stays inside the limits and lets answers overtake broadcasts."""

from __future__ import annotations

import asyncio
import time

from bot.ratelimit import PRIORITY_ANSWER, PRIORITY_SCHEDULED, PriorityRateLimiter


async def _send(limiter, log, chat_id, priority, label, method="sendMessage"):
    async def callback():
        log.append((label, time.monotonic()))
        return {"ok": True}

    return await limiter.process_request(
        callback, (), {}, method, {"chat_id": chat_id}, {"priority": priority}
    )


async def test_overall_window_is_never_exceeded():
    limiter = PriorityRateLimiter(overall_per_second=10)
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
