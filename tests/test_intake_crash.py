"""Kill -9 the bot after Telegram handed it updates it had not handled yet: after a restart
every one of them is handled (PTB's own polling confirmed them before handling, so a crash
lost them for good)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from storage.db import Database

CRASHBOT = Path(__file__).with_name("crashbot.py")
MESSAGES = 10


async def start_crashbot(
    emu, db_path: Path, log: Path, **settings: str
) -> asyncio.subprocess.Process:
    """tests/crashbot.py on `db_path` against the emulator (output appended to `log`), once
    it polls; `settings` are more environment variables (e.g. DELIVERY_CONCURRENCY)."""
    env = {
        **os.environ,
        "BOT_TOKEN": emu.token,
        "TELEGRAM_API_URL": emu.base_url,
        "DATABASE_PATH": str(db_path),
        **settings,
    }
    # start_polling calls deleteWebhook right before its first (long) getUpdates; updates
    # queued in the emulator meanwhile are not lost.
    polls = emu.stats.calls_by_method["deleteWebhook"]
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(CRASHBOT), env=env, cwd=str(db_path.parent),
            stdout=out, stderr=out,
        )  # fmt: skip
    await emu.wait_until(
        lambda: emu.stats.calls_by_method["deleteWebhook"] > polls, 20, "the bot to start polling"
    )
    return process


async def test_sigkill_with_confirmed_but_unhandled_updates_handles_them_after_restart(
    emu, tmp_path
):
    db_path, log = tmp_path / "crash.db", tmp_path / "bot.log"
    anna = emu.add_user("Anna")
    process = await start_crashbot(emu, db_path, log)
    try:
        # Ten quick messages from one person: handled in order, and Telegram lets the bot
        # answer one private chat about once a second, so most still wait at the kill.
        for _ in range(MESSAGES):
            await emu.send_text(anna, "/help")
        await emu.wait_until(lambda: emu.sent_messages(anna.id), 15, "the first answer")
        # The next getUpdates (offset past the batch) confirmed all ten to Telegram.
        await emu.wait_until(lambda: not emu.updates, 10, "the batch to be confirmed")
        process.send_signal(signal.SIGKILL)
        await process.wait()
        at_kill = len(emu.sent_messages(anna.id))
        assert at_kill < MESSAGES, "every message was answered before the kill; nothing tested"
        assert not emu.updates, "Telegram would not redeliver any of them"

        process = await start_crashbot(emu, db_path, log)
        await emu.wait_until(
            lambda: len(emu.sent_messages(anna.id)) >= MESSAGES,
            30,
            "every message to be answered",
        )
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    # At most the answer in flight at the kill is sent twice.
    assert len(emu.sent_messages(anna.id)) <= MESSAGES + 2, log.read_text()[-3000:]
    db = Database(db_path)
    await db.open()
    try:
        stored = await db.fetch_value("SELECT COUNT(*) FROM update_inbox")
        assert stored == MESSAGES  # redelivered copies were recognised, not stored twice
    finally:
        await db.close()
    assert "that the last run received but did not finish" in log.read_text()
