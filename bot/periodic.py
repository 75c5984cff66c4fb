"""A database-driven pass that runs once at start-up and then every few seconds.

The tip and digest schedulers share this shape: all their state lives in the database, so
one repeating JobQueue job that asks storage "what is due now?" is restart-proof and needs
no in-memory job state. Passes never overlap (a lock), a failing pass is logged and the
next one tries again, and new outbox rows wake the delivery worker.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Generic, TypeVar

from telegram.ext import Application, CallbackContext

from bot.runtime import Services

log = logging.getLogger(__name__)

P = TypeVar("P", bound="PeriodicPass[Any]")
R = TypeVar("R")  # what one pass returns (a report for tests, benchmarks and the CLI)


class PeriodicPass(Generic[R]):
    """Subclasses set `name` and implement `run_pass`; see the module docstring."""

    name = "periodic"

    def __init__(self, services: Services, interval: float) -> None:
        self.services = services
        self.interval = interval
        self._lock = asyncio.Lock()

    async def run_pass(self) -> R:
        """One pass (called under the lock)."""
        raise NotImplementedError

    async def prepare(self, application: Application) -> None:
        """Runs once at start-up before the first pass (e.g. sync data, register handlers)."""

    async def tick(self) -> R:
        """Run one pass now (tests and benchmarks call this directly)."""
        async with self._lock:
            return await self.run_pass()

    def wake_delivery(self) -> None:
        """Tell the outbox worker that new rows are committed."""
        delivery = getattr(self.services, "delivery", None)
        if delivery is not None:
            delivery.wake()

    async def startup(self, application: Application) -> None:
        """Prepare, run the catch-up pass now, then repeat every `interval` seconds."""
        await self.prepare(application)
        try:
            await self.tick()
        except Exception:
            log.exception("%s: start-up pass failed", self.name)
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                self._job,
                interval=self.interval,
                first=self.interval,
                name=f"grannvakt-{self.name}",
            )

    async def _job(self, context: CallbackContext[Any, Any, Any, Any] | None) -> None:
        del context
        try:
            await self.tick()
        except Exception:
            log.exception("%s: scheduled pass failed", self.name)

    @classmethod
    def install(cls: type[P], application: Application, services: Services) -> P:
        """Create the pass, keep it in bot_data under its name, and hook it into start-up."""
        # Every subclass takes only the services (its interval has a default or comes from
        # the settings); the base class's own signature also asks for the interval.
        instance = cls(services)  # type: ignore[call-arg]
        application.bot_data[f"grannvakt.{cls.name}"] = instance
        services.startup_hooks.append(instance.startup)
        return instance

    @classmethod
    def of(cls: type[P], application: Application) -> P:
        """The instance installed in a built application."""
        return application.bot_data[f"grannvakt.{cls.name}"]
