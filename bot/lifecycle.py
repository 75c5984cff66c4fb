"""Start and stop an Application the way `run_polling` does, so tests and production share it.

Updates come in through the application's `UpdateIntake` (bot/intake.py: long polling with
a durable inbox) instead of PTB's Updater, which confirms updates before handling them.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.ext import Application

from bot.intake import UpdateIntake, intake_of
from bot.webhook import WEBHOOK_KEY, webhook_for

log = logging.getLogger(__name__)


async def start_application(
    application: Application, *, poll_timeout: int = 10, poll_interval: float = 0.0
) -> None:
    """initialize → post_init → start processing updates → start polling.

    Processing starts first so that the updates a crash left unfinished, queued when the
    intake starts, are handled before any new ones."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    webhook = webhook_for(application)  # None unless WEBHOOK_URL is set
    await _intake(application).start(
        poll_timeout=poll_timeout, poll_interval=poll_interval, poll=webhook is None
    )
    if webhook is not None:
        await webhook.start()


async def stop_application(application: Application) -> None:
    """Stop polling, let running handlers finish, then shut down (closing storage)."""
    webhook = application.bot_data.get(WEBHOOK_KEY)
    if webhook is not None:
        await webhook.stop()
    await _intake(application).stop()
    if application.running:
        await application.stop()
    # Every handled update's done mark and state, before the database closes.
    await _intake(application).flush()
    # Also after a start that failed half-way: post_stop stops whatever post_init started.
    if application.post_stop is not None:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def _intake(application: Application) -> UpdateIntake:
    intake = intake_of(application)
    if intake is None:  # PTB's Updater would confirm updates before they are handled
        raise RuntimeError("build the application with bot.app.build_application (no intake)")
    return intake


async def serve(application: Application) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly.

    Raises the intake's fatal error (telegram.error.Conflict: another process polls with
    the same token) after stopping cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    intake = intake_of(application)
    try:
        await start_application(application)
        waits = [asyncio.ensure_future(stop.wait())]
        if intake is not None:
            waits.append(asyncio.ensure_future(intake.failed.wait()))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
        if stop.is_set():
            log.info("stop signal received; shutting down")
    finally:
        await stop_application(application)
    if intake is not None and intake.fatal is not None:
        raise intake.fatal
