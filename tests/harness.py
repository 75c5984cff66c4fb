"""Run the real grannvakt Application against the Bot API emulator, as people would use it.

Tests (and benchmarks) build a `BotHarness`, `await harness.start()`, then drive the
emulator (`harness.emu.send_text(...)`) and assert on what the bot sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_application, services_of
from bot.clock import Clock, FixedClock
from bot.lifecycle import start_application, stop_application
from bot.ratelimit import PriorityRateLimiter
from bot.runtime import Services
from config import Settings
from tests.db_template import seed_fresh_database
from tests.emulator import BotApiEmulator


def make_settings(emu: BotApiEmulator, database_path: Path | str, **overrides: Any) -> Settings:
    """Settings pointing the bot at the emulator; ignores any .env in the working directory."""
    values: dict[str, Any] = {
        "bot_token": emu.token,
        "telegram_api_url": emu.base_url,
        "telegram_file_url": emu.base_file_url,
        "database_path": str(database_path),
        "timezone": "Europe/Stockholm",
        "default_language": "sv",
        "log_level": "DEBUG",
        "police_feed_enabled": False,  # never polisen.se; feed tests switch it on explicitly
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class BotHarness:
    """One bot process-in-a-task: start, stop, restart against the same database."""

    def __init__(
        self,
        emu: BotApiEmulator,
        database_path: Path | str,
        *,
        clock: Clock | None = None,
        customize: Callable[[Application], None] | None = None,
        **settings_overrides: Any,
    ) -> None:
        self.emu = emu
        self.settings = make_settings(emu, database_path, **settings_overrides)
        self.clock = clock
        self.customize = customize
        self.app: Application | None = None

    @property
    def services(self) -> Services:
        assert self.app is not None, "bot is not running"
        return services_of(self.app)

    async def start(self) -> Application:
        """Build a fresh Application (as a new process would) and start polling.

        A database file that does not exist yet starts as a copy of a migrated template
        (tests/db_template.py) instead of being migrated from scratch."""
        await seed_fresh_database(self.settings.database_path)
        self.app = build_application(self.settings, clock=self.clock)
        _scale_pacing(self.app, getattr(self.emu, "rate_scale", 1))  # a bench may pass a stand-in
        if self.customize is not None:
            self.customize(self.app)
        await start_application(self.app, poll_timeout=1, poll_interval=0.0)
        return self.app

    async def stop(self) -> None:
        if self.app is not None:
            await stop_application(self.app)
            self.app = None

    async def restart(self) -> Application:
        await self.stop()
        return await self.start()


def _scale_pacing(app: Application, scale: float) -> None:
    """Run the bot's per-chat pacing `scale` times faster, as the emulator's limits run
    (`BotApiEmulator(rate_scale=...)`): the bot's own values, and so its margins below
    Telegram's limits, stay as built."""
    if scale == 1:
        return
    limiter = app.bot._rate_limiter  # type: ignore[attr-defined]
    if not isinstance(limiter, PriorityRateLimiter):
        return
    pacing = limiter.chats
    pacing.private_per_second *= scale
    pacing.group_window_seconds /= scale
    pacing.defer_after /= scale


def fixed_clock(iso: str = "2026-11-25T12:00:00+00:00") -> FixedClock:
    """A controllable clock at a given moment."""
    return FixedClock(datetime.fromisoformat(iso).astimezone(UTC))
