"""The tip clock: one repeating JobQueue job that sends whatever schedule has come due.

Why one job for all groups rather than one job per group: the schedules live in the
database (``tip_schedules.next_run_at``), so a single pass every :data:`INTERVAL_SECONDS`
that asks storage "what is due now?" (using the injected clock) needs no in-memory job
state at all. There is nothing to rebuild, add, move or cancel when a coordinator changes
a schedule or a group leaves, restarts cannot lose or duplicate a job, and 5,000 groups
due in the same minute cost one indexed query plus a few batched transactions instead of
5,000 APScheduler jobs. The clockwork (lock, start-up pass, repeating job) is
bot.periodic.PeriodicPass, shared with the digest scheduler.

At start-up (a startup hook) the shipped tip library is synced into the database and one
pass runs immediately, which is the catch-up: a slot missed by less than a day is sent
once, older ones are skipped (bot.services.schedule.plan_due).
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.delivery import DeliveryOutcome
from bot.periodic import PeriodicPass
from bot.runtime import Services
from bot.services import tips as tip_service
from bot.services.roles import system
from storage import tips as tip_store

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 30.0
SYSTEM = system("tip_scheduler")  # who asks, for the services this job calls


class TipScheduler(PeriodicPass[tip_service.TickResult]):
    """Finds due tip schedules and enqueues their tips; see the module docstring."""

    name = "tips"

    def __init__(self, services: Services, interval: float = INTERVAL_SECONDS) -> None:
        super().__init__(services, interval)

    async def run_pass(self) -> tip_service.TickResult:
        """One pass: default schedules for new groups, then every due schedule."""
        services = self.services
        tz = services.settings.tzinfo
        now = services.clock.now()
        created = await tip_service.ensure_schedules(services.db, SYSTEM, tz, now)
        result = await tip_service.run_due(services.db, SYSTEM, tz, now)
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

    async def on_result(self, row_id: int, ref_id: int | None, outcome: DeliveryOutcome) -> None:
        """Delivery result of a tip row: stored on its tip_sends row (ref_id)."""
        del row_id
        if ref_id is not None and self.services.db.is_open:
            await tip_store.set_send_outcome(
                self.services.db, ref_id, outcome.status, self.services.clock.now()
            )

    async def prepare(self, application: Application) -> None:
        """Sync the shipped tip library (at start-up, before the first pass)."""
        services = self.services
        added = await tip_service.sync_library(services.db, SYSTEM, services.clock.now())
        if added:
            log.info("tips: %d tips added from the shipped library", added)


def install_tip_scheduler(application: Application, services: Services) -> TipScheduler:
    """Create the scheduler, subscribe it to tip delivery results and hook it into start-up;
    reachable via :func:`tip_scheduler_of`.

    Called while the application is built, before the delivery worker starts: the worker
    refuses a subscription once it runs, so no tip result can go unrecorded."""
    scheduler = TipScheduler.install(application, services)
    services.delivery.register_result_handler(tip_service.KIND, scheduler.on_result)
    return scheduler


def tip_scheduler_of(application: Application) -> TipScheduler:
    """The TipScheduler of a built application."""
    return TipScheduler.of(application)
