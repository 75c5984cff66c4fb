"""PeriodicPass: passes never overlap, and a failing start-up pass does not stop the bot."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from bot.periodic import PeriodicPass


class _Counting(PeriodicPass):
    name = "counting"

    def __init__(self, services, interval: float = 60.0, fail: bool = False) -> None:
        super().__init__(services, interval)
        self.fail = fail
        self.running = 0
        self.most_at_once = 0
        self.passes = 0

    async def run_pass(self) -> int:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1
        self.passes += 1
        if self.fail:
            raise RuntimeError("storage unavailable")
        return self.passes


class _JobQueue:
    def __init__(self) -> None:
        self.jobs: list[tuple[float, str]] = []

    def run_repeating(self, callback, interval, first, name) -> None:
        self.jobs.append((interval, name))


async def test_passes_never_overlap():
    periodic = _Counting(SimpleNamespace(delivery=None))
    await asyncio.gather(*(periodic.tick() for _ in range(5)))
    assert periodic.passes == 5 and periodic.most_at_once == 1


async def test_failing_startup_pass_is_logged_and_the_job_still_starts(caplog):
    application = SimpleNamespace(job_queue=_JobQueue(), bot_data={})
    services = SimpleNamespace(delivery=None, startup_hooks=[])
    periodic = _Counting.install(application, services)
    periodic.fail = True
    await services.startup_hooks[0](application)
    assert application.job_queue.jobs == [(60.0, "grannvakt-counting")]
    assert "start-up pass failed" in caplog.text
    assert _Counting.of(application) is periodic
