"""The daily retention pass (bot/services/retention.py) on the shared periodic machinery.

The job wakes every hour and runs a pass when the last one (its audit entry) is a day old
or more, so restarts neither skip a day nor run it twice.
"""

from __future__ import annotations

from telegram.ext import Application

from bot.periodic import PeriodicPass
from bot.runtime import Services
from bot.services import retention

CHECK_EVERY_SECONDS = 3600.0


class RetentionPass(PeriodicPass[retention.RetentionReport | None]):
    name = "retention"

    def __init__(self, services: Services, interval: float = CHECK_EVERY_SECONDS) -> None:
        super().__init__(services, interval)

    async def run_pass(self) -> retention.RetentionReport | None:
        """A pass if a day has gone by since the last one; None when it was not due."""
        s = self.services
        last = await retention.last_run(s.db)
        if last is not None and s.clock.now() - last < retention.EVERY:
            return None
        return await retention.run(s.db, s.settings, s.clock, s.people)


def install_retention(application: Application, services: Services) -> RetentionPass:
    return RetentionPass.install(application, services)
