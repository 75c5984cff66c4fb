"""The digest clock: one repeating JobQueue job that sends this week's lägesbild digests.

Like bot/tip_scheduler.py, the state lives in the database, not in the job: every
:data:`INTERVAL_SECONDS` (and once at start-up) a pass asks whether this ISO week's Monday
08:00 local time has passed and, if so, enqueues the digests of everyone not yet recorded
in ``digest_sends`` for the week (bot.services.digests.send_due). So a bot started on
Monday afternoon still sends them once, a restart never sends them twice, and a bot that
was down all of Monday sends nothing for a week that is over (the next ISO week has its
own key). At most one pass runs at a time (a lock).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.runtime import Services
from bot.services import digests as digest_service

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 300.0
SCHEDULER_KEY = "grannvakt.digests"
JOB_NAME = "grannvakt-digests"


class DigestScheduler:
    """Sends the weekly digests when due; see the module docstring."""

    def __init__(self, services: Services, interval: float = INTERVAL_SECONDS) -> None:
        self.services = services
        self.interval = interval
        self._lock = asyncio.Lock()

    async def tick(self) -> digest_service.SendResult:
        """One pass: enqueue the digests due now that were not sent yet this week."""
        services = self.services
        async with self._lock:
            result = await digest_service.send_due(
                services.db,
                services.settings.tzinfo,
                services.clock.now(),
                services.people.language_of,
            )
        if result.enqueued:
            delivery = getattr(services, "delivery", None)
            if delivery is not None:
                delivery.wake()
        if result.enqueued or result.empty:
            log.info(
                "digests %s: %d enqueued, %d with nothing to report",
                result.week,
                result.enqueued,
                result.empty,
            )
        return result

    async def startup(self, application: Application) -> None:
        """Run one pass now (a restart on Monday catches up) and start the repeating job."""
        try:
            await self.tick()
        except Exception:
            log.exception("digests: start-up pass failed")
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._job, interval=self.interval, first=self.interval, name=JOB_NAME
            )

    async def _job(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        del context
        try:
            await self.tick()
        except Exception:
            log.exception("digests: scheduler pass failed")


def install_digest_scheduler(application: Application, services: Services) -> DigestScheduler:
    """Create the scheduler and hook it into start-up; reachable via :func:`digest_scheduler_of`."""
    scheduler = DigestScheduler(services)
    application.bot_data[SCHEDULER_KEY] = scheduler
    services.startup_hooks.append(scheduler.startup)
    return scheduler


def digest_scheduler_of(application: Application) -> DigestScheduler:
    """The DigestScheduler of a built application."""
    return application.bot_data[SCHEDULER_KEY]
