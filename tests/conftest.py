"""Shared fixtures: an emulator per test and a running bot against it."""

from __future__ import annotations

import pytest

from storage.db import Database
from tests.db_template import seed_fresh_database
from tests.emulator import BotApiEmulator
from tests.harness import BotHarness


@pytest.fixture(autouse=True)
def _no_police_feed(monkeypatch):
    """Bots under test never call polisen.se; feed tests switch it on with a local server."""
    monkeypatch.setenv("POLICE_FEED_ENABLED", "false")


@pytest.fixture
async def emu():
    """A fresh Bot API emulator on 127.0.0.1 with Telegram's limits enforced."""
    async with BotApiEmulator(
        token="123456:TEST-TOKEN", bot_username="grannvakt_test_bot"
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
