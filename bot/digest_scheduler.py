"""The digest clock: one repeating JobQueue job that sends this week's lägesbild digests.

Like bot/tip_scheduler.py, the state lives in the database, not in the job: every
:data:`INTERVAL_SECONDS` (and once at start-up) a pass asks whether this ISO week's Monday
08:00 local time has passed and, if so, enqueues the digests of everyone not yet recorded
in ``digest_sends`` for the week (bot.services.digests.send_due). So a bot started on
Monday afternoon still sends them once, a restart never sends them twice, and a bot that
was down all of Monday sends nothing for a week that is over (the next ISO week has its
own key). The clockwork (lock, start-up pass, repeating job) is bot.periodic.PeriodicPass.
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.delivery import DeliveryOutcome
from bot.periodic import PeriodicPass
from bot.runtime import Services
from bot.services import digests as digest_service
from bot.services.roles import system
from storage import digests as digest_store

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 300.0
SYSTEM = system("digest_scheduler")  # who asks, for the services this job calls


class DigestScheduler(PeriodicPass[digest_service.SendResult]):
    """Sends the weekly digests when due; see the module docstring."""

    name = "digests"

    def __init__(self, services: Services, interval: float = INTERVAL_SECONDS) -> None:
        super().__init__(services, interval)

    async def run_pass(self) -> digest_service.SendResult:
        """One pass: enqueue the digests due now that were not sent yet this week."""
        services = self.services
        result = await digest_service.send_due(
            services.db,
            SYSTEM,
            services.settings.tzinfo,
            services.clock.now(),
            services.people.language_of,
        )
        if result.enqueued:
            self.wake_delivery()
        if result.enqueued or result.empty:
            log.info(
                "digests %s: %d enqueued, %d with nothing to report; %d charts in %.1f s",
                result.week,
                result.enqueued,
                result.empty,
                result.charts,
                result.chart_seconds,
            )
        return result

    async def on_result(self, row_id: int, ref_id: int | None, outcome: DeliveryOutcome) -> None:
        """A finished digest row (sent, failed or skipped) no longer needs its chart's PNG
        (~150 KiB a row, 870 rows a week nationally): the outbox keeps the caption only."""
        del ref_id, outcome
        if self.services.db.is_open:
            await digest_store.drop_chart(self.services.db, row_id)


def install_digest_scheduler(application: Application, services: Services) -> DigestScheduler:
    """Create the scheduler and hook it into start-up; reachable via :func:`digest_scheduler_of`.

    Called while the application is built, before the delivery worker starts: it listens
    to the digests' delivery results (see `DigestScheduler.on_result`) from the first one."""
    scheduler = DigestScheduler.install(application, services)
    services.delivery.register_result_handler(digest_service.KIND, scheduler.on_result)
    return scheduler


def digest_scheduler_of(application: Application) -> DigestScheduler:
    """The DigestScheduler of a built application."""
    return DigestScheduler.of(application)
