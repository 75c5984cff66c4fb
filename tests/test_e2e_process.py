"""The real `python -m bot` process: it talks to the emulator and stops cleanly on signals."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import start_bot_process

ROOT = Path(__file__).resolve().parent.parent


async def _start_bot_process(emu, db_path: Path) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(db_path.parent),
        "BOT_TOKEN": emu.token,
        "TELEGRAM_API_URL": emu.base_url,
        "DATABASE_PATH": str(db_path),
        "LOG_LEVEL": "INFO",
        "POLICE_FEED_ENABLED": "false",  # no network in tests
    }
    return await start_bot_process(db_path.parent, env)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_process_answers_and_stops_cleanly_on_signal(emu, tmp_path, stop_signal):
    db_path = tmp_path / "bot.db"
    process = await _start_bot_process(emu, db_path)
    try:
        anna = emu.add_user("Anna", language_code="sv")
        await emu.send_text(anna, "/start")
        reply = await emu.wait_for_message(anna.id, timeout=30)
        assert "Hej Anna" in reply.text
        process.send_signal(stop_signal)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
    assert b"database closed" in stderr
    assert emu.token.split(":")[1].encode() not in stderr  # the token never reaches the log
    # A cleanly closed SQLite database leaves no write-ahead log behind.
    assert not os.path.exists(f"{db_path}-wal")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT first_name FROM users").fetchall() == [("Anna",)]


async def test_rejected_token_is_one_clear_line(emu, tmp_path):
    db_path = tmp_path / "bot.db"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "BOT_TOKEN": "999:WRONG",
        "TELEGRAM_API_URL": emu.base_url,
        "DATABASE_PATH": str(db_path),
    }
    process = await start_bot_process(tmp_path, env)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert b"Traceback" not in stderr
    assert stderr.decode().strip().splitlines()[-1] == (
        "grannvakt: BOT_TOKEN was rejected by Telegram: check it with @BotFather"
    )
