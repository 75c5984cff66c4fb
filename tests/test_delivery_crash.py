"""Kill -9 the bot in the middle of a broadcast; after a restart every group has the alert
exactly once, apart from at most the messages that were in flight at the kill."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from storage import groups as group_store
from storage import roles as role_store
from storage.db import Database
from tests.alerts_helpers import compose_alert, text_of
from tests.test_intake_crash import start_crashbot

GROUPS = 60
CONCURRENCY = 8


async def _prepare(db_path: Path, emu, officer) -> list[int]:
    """Registered groups and a police officer, written to the database the bot will use."""
    db = Database(db_path)
    await db.open()
    try:
        from bot.clock import SystemClock

        now = SystemClock().now()
        chats = []
        for n in range(GROUPS):
            chat = emu.add_group(f"Grupp {n}", bot_is_member=True)
            group = await group_store.ensure_group(db, chat.id, chat.title, now)
            await group_store.register_group(db, group.id, f"Område {n}", "0180", now)
            chats.append(chat.id)
        await role_store.grant_role(db, officer.id, "police", "0180", None, now)
        return chats
    finally:
        await db.close()


async def _start_bot(emu, db_path: Path, log: Path) -> asyncio.subprocess.Process:
    return await start_crashbot(emu, db_path, log, DELIVERY_CONCURRENCY=str(CONCURRENCY))


async def test_sigkill_mid_broadcast_resumes_without_duplicates(emu, tmp_path):
    db_path, log = tmp_path / "crash.db", tmp_path / "bot.log"
    officer = emu.add_user("Polis", language_code="sv")
    chats = await _prepare(db_path, emu, officer)
    chat_ids = set(chats)

    def delivered() -> int:
        return sum(1 for m in emu.sent_messages() if m.chat_id in chat_ids)

    process = await _start_bot(emu, db_path, log)
    try:
        confirm = await compose_alert(emu, officer, "Inbrottsvåg: lås dörrar och fönster.")
        await emu.wait_until(lambda: delivered() >= 15, 10, "the broadcast to start")
        process.send_signal(signal.SIGKILL)
        await process.wait()
        at_kill = delivered()
        assert at_kill < GROUPS, "the broadcast finished before the kill; nothing was tested"

        process = await _start_bot(emu, db_path, log)
        await emu.wait_until(
            lambda: all(emu.sent_messages(c) for c in chats), 15, "every group to get the alert"
        )
        report = await text_of(emu, confirm, "Levererat:", wait=10)
    finally:
        if process.returncode is None:
            process.kill()  # a clean stop would wait for the 10 s long poll
            await process.wait()
    copies = {c: len(emu.sent_messages(c)) for c in chats}
    duplicates = sum(n - 1 for n in copies.values())
    assert all(n >= 1 for n in copies.values())
    assert duplicates <= CONCURRENCY, (duplicates, log.read_text()[-3000:])
    assert f"Levererat: {GROUPS} av {GROUPS}" in report.text


async def test_sigterm_mid_broadcast_lets_sends_finish_and_sends_nothing_twice(emu, tmp_path):
    db_path, log = tmp_path / "term.db", tmp_path / "bot.log"
    officer = emu.add_user("Polis", language_code="sv")
    chats = await _prepare(db_path, emu, officer)
    chat_ids = set(chats)
    # Slow answers keep sends in flight (on the wire) when SIGTERM arrives; the emulator
    # completes a request even if the client gives up on it, as Telegram does.
    slow = emu.faults.add(
        "slow",
        "sendMessage",
        count=None,
        delay=0.5,
        predicate=lambda p: int(p["chat_id"]) in chat_ids,
    )

    def delivered() -> int:
        return sum(1 for m in emu.sent_messages() if m.chat_id in chat_ids)

    process = await _start_bot(emu, db_path, log)
    try:
        confirm = await compose_alert(emu, officer, "Inbrottsvåg: lås dörrar och fönster.")
        await emu.wait_until(lambda: delivered() >= 15, 15, "the broadcast to start")
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
        at_stop = delivered()
        assert at_stop < GROUPS, "the broadcast finished before the stop; nothing was tested"
        emu.faults.remove(slow)

        process = await _start_bot(emu, db_path, log)
        await emu.wait_until(
            lambda: all(emu.sent_messages(c) for c in chats), 15, "every group to get the alert"
        )
        report = await text_of(emu, confirm, "Levererat:", wait=10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    copies = {c: len(emu.sent_messages(c)) for c in chats}
    twice = {c: n for c, n in copies.items() if n != 1}
    assert not twice, (twice, log.read_text()[-3000:])
    assert f"Levererat: {GROUPS} av {GROUPS}" in report.text
