"""The tip clock: one repeating JobQueue job that sends whatever schedule has come due.

Why one job for all groups rather than one job per group: the schedules live in the
database (``tip_schedules.next_run_at``), so a single pass every :data:`INTERVAL_SECONDS`
that asks storage "what is due now?" (using the injected clock) needs no in-memory job
state at all. There is nothing to rebuild, add, move or cancel when a coordinator changes
a schedule or a group leaves, restarts cannot lose or duplicate a job, and 5,000 groups
due in the same minute cost one indexed query plus a few batched transactions instead of
5,000 APScheduler jobs. At most one pass runs at a time (a lock), so the periodic job,
the start-up pass and tests calling :meth:`TipScheduler.tick` never overlap.

At start-up (a startup hook) the shipped tip library is synced into the database and one
pass runs immediately, which is the catch-up: a slot missed by less than a day is sent
once, older ones are skipped (bot.services.schedule.plan_due).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.delivery import DeliveryOutcome
from bot.runtime import Services
from bot.services import tips as tip_service
from storage import tips as tip_store

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 30.0
SCHEDULER_KEY = "grannvakt.tips"
JOB_NAME = "grannvakt-tips"


class TipScheduler:
    """Finds due tip schedules and enqueues their tips; see the module docstring."""

    def __init__(self, services: Services, interval: float = INTERVAL_SECONDS) -> None:
        self.services = services
        self.interval = interval
        self._lock = asyncio.Lock()

    async def tick(self) -> tip_service.TickResult:
        """One pass: default schedules for new groups, then every due schedule."""
        services = self.services
        tz = services.settings.tzinfo
        async with self._lock:
            now = services.clock.now()
            created = await tip_service.ensure_schedules(services.db, tz, now)
            result = await tip_service.run_due(services.db, tz, now)
        if result.sent:
            self.wake_delivery()
        if result.sent or result.skipped or created:
            log.info(
                "tips: %d enqueued, %d skipped (missed over a day ago), %d schedules created",
                result.sent,
                result.skipped,
                created,
            )
        return tip_service.TickResult(result.sent, result.skipped, created)

    def wake_delivery(self) -> None:
        """Tell the outbox worker that new rows are committed."""
        delivery = getattr(self.services, "delivery", None)
        if delivery is not None:
            delivery.wake()

    async def on_result(self, row_id: int, ref_id: int | None, outcome: DeliveryOutcome) -> None:
        """Delivery result of a tip row: stored on its tip_sends row (ref_id)."""
        del row_id
        if ref_id is not None and self.services.db.is_open:
            await tip_store.set_send_outcome(
                self.services.db, ref_id, outcome.status, self.services.clock.now()
            )

    async def startup(self, application: Application) -> None:
        """Sync the tip library, run the catch-up pass, and start the repeating job."""
        services = self.services
        added = await tip_service.sync_library(services.db, services.clock.now())
        if added:
            log.info("tips: %d tips added from the shipped library", added)
        delivery = getattr(services, "delivery", None)
        if delivery is not None:
            delivery.register_result_handler(tip_service.KIND, self.on_result)
        await self.tick()
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._job, interval=self.interval, first=self.interval, name=JOB_NAME
            )

    async def _job(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        del context
        try:
            await self.tick()
        except Exception:
            log.exception("tips: scheduler pass failed")


def install_tip_scheduler(application: Application, services: Services) -> TipScheduler:
    """Create the scheduler and hook it into start-up; reachable via :func:`tip_scheduler_of`."""
    scheduler = TipScheduler(services)
    application.bot_data[SCHEDULER_KEY] = scheduler
    services.startup_hooks.append(scheduler.startup)
    return scheduler


def tip_scheduler_of(application: Application) -> TipScheduler:
    """The TipScheduler of a built application."""
    return application.bot_data[SCHEDULER_KEY]
