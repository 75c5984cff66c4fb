"""Shared fixtures: an emulator per test and a running bot against it."""

from __future__ import annotations

import pytest

from storage import db_point
from storage.db import Database
from tests.db_template import seed_fresh_database
from tests.emulator import BotApiEmulator
from tests.harness import BotHarness

# Flood limits run this many times faster in the emulator and in the bot under test alike
# (private chats refill this much faster, group windows are this much shorter), so that
# dialogues are not paced at ~1 message a second. The bot keeps its own margins below the
# emulator's limits, so a bot that sends too fast still gets 429s. Tests of the pacing
# itself (tests/test_ratelimit.py, tests/test_emulator*.py) build their own limiters.
RATE_SCALE = 4.0


# Every statement run as a point statement (on the event loop) is checked not to scan.
db_point.PLAN_CHECK = True


@pytest.fixture(autouse=True)
def _no_police_feed(monkeypatch):
    """Bots under test never call polisen.se; feed tests switch it on with a local server."""
    monkeypatch.setenv("POLICE_FEED_ENABLED", "false")


@pytest.fixture
async def emu():
    """A fresh Bot API emulator on 127.0.0.1 with Telegram's limits enforced (the per-chat
    ones `RATE_SCALE` times faster, as the harness's bot paces itself)."""
    async with BotApiEmulator(
        token="123456:TEST-TOKEN", bot_username="grannvakt_test_bot", rate_scale=RATE_SCALE
    ) as emulator:
        yield emulator


@pytest.fixture
def harness(emu, tmp_path):
    """A not-yet-started bot against `emu` with its own database file."""
    return BotHarness(emu, tmp_path / "grannvakt.db")


@pytest.fixture
async def bot(harness):
    """A running bot; stopped (and its database closed) after the test."""
    await harness.start()
    yield harness
    await harness.stop()


@pytest.fixture
async def db(tmp_path):
    """An open, migrated database in a fresh file (a copy of a template, see
    tests/db_template.py); closed after the test. A module that needs seed data overrides
    it with `async def db(db): ...; return db`."""
    await seed_fresh_database(tmp_path / "unit.db")
    database = Database(tmp_path / "unit.db")
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def world(emu, tmp_path):
    """A running bot with a registered group, its kontaktombud and residents
    (tests/test_observations_support.py: `build_world`); modules may override it."""
    from tests.harness import fixed_clock
    from tests.test_observations_support import build_world

    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock())
    w = await build_world(harness)
    yield w
    await harness.stop()
