"""The one shared poller: a periodic pass (bot/periodic.py) every POLICE_FEED_INTERVAL s.

The pass asks the politeness budget first, so a restart, a second start-up pass or a
short interval never makes calls closer than the rules allow (bot/feed/politeness.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram.ext import Application

from bot.feed.service import PollReport, poll_once
from bot.periodic import PeriodicPass
from bot.runtime import Services

log = logging.getLogger(__name__)


class PoliceFeedPoller(PeriodicPass[PollReport]):
    """Polls the police's events feed; see the module docstring."""

    name = "police_feed"

    def __init__(self, services: Services) -> None:
        super().__init__(services, float(services.settings.police_feed_interval))
        self._first: asyncio.Task[None] | None = None

    async def prepare(self, application: Application) -> None:
        settings = self.services.settings
        if not settings.police_feed_enabled:
            log.info("police feed: disabled (POLICE_FEED_ENABLED=false)")
        elif not settings.police_feed_contact:
            log.warning(
                "police feed: POLICE_FEED_CONTACT is not set; the police's rules of use ask"
                " for a way to contact the operator in the User-Agent"
            )

    async def startup(self, application: Application) -> None:
        """Prepare, poll once in the background, then every interval in the job queue.

        Unlike the database-only passes, the start-up poll is not awaited here: a slow or
        unreachable feed must never hold up the bot's start.
        """
        await self.prepare(application)
        self._first = asyncio.get_running_loop().create_task(
            self._job(None), name="grannvakt-police-feed-first"
        )
        self.services.shutdown_hooks.append(self._cancel_first)
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._job,
                interval=self.interval,
                first=self.interval,
                name=f"grannvakt-{self.name}",
            )

    async def _cancel_first(self, application: Application) -> None:
        del application
        if self._first is not None and not self._first.done():
            self._first.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._first

    async def run_pass(self) -> PollReport:
        services = self.services
        if not services.settings.police_feed_enabled:
            return PollReport("disabled")
        report = await poll_once(services.db, services.settings, services.clock.now())
        if report.sent or (report.plan and report.plan.edits):
            self.wake_delivery()
        return report


def install_police_feed(application: Application, services: Services) -> PoliceFeedPoller:
    """Create the poller and hook it into start-up."""
    return PoliceFeedPoller.install(application, services)
