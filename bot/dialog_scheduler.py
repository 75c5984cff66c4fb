"""The clock of surveys and announced presence: one database-driven pass (bot.periodic).

Every :data:`INTERVAL_SECONDS` (and once at start-up, which is the catch-up after a
restart) it closes the surveys whose closing time has come (stopPoll in every group) and
enqueues the presence reminders that are due. Both schedules are rows (surveys.closes_at,
presence_reminders.remind_at), so nothing lives only in memory and a restart loses none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram.ext import Application

from bot.periodic import PeriodicPass
from bot.runtime import Services
from bot.services import presence, surveys

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 30.0


@dataclass(frozen=True)
class DialogPass:
    """What one pass did: surveys closed (ids) and reminders enqueued."""

    closed: list[int]
    reminders: int


class DialogScheduler(PeriodicPass[DialogPass]):
    """Closes due surveys and sends due presence reminders; see the module docstring."""

    name = "dialog"

    def __init__(self, services: Services, interval: float = INTERVAL_SECONDS) -> None:
        super().__init__(services, interval)

    async def run_pass(self) -> DialogPass:
        s = self.services
        closed = await surveys.close_due(s.db, s.clock, s.settings)
        reminders = await presence.send_due_reminders(
            s.db, s.clock, s.settings.tzinfo, s.people.language_of
        )
        if closed or reminders:
            log.info("dialog: %d survey(s) closed, %d reminder(s)", len(closed), reminders)
            self.wake_delivery()
        return DialogPass(closed, reminders)


def install_dialog_scheduler(application: Application, services: Services) -> DialogScheduler:
    """Create the pass and hook it into start-up (idempotent: one per application)."""
    existing = application.bot_data.get(f"grannvakt.{DialogScheduler.name}")
    if isinstance(existing, DialogScheduler):
        return existing
    return DialogScheduler.install(application, services)


def dialog_scheduler_of(application: Application) -> DialogScheduler:
    return DialogScheduler.of(application)
