"""Kill -9 while residents press Send on their report summaries: after the restart every
report is stored exactly once and every resident sees its reference, none is told the
button expired (before persistence the dialogues were gone, and each report had to be
typed again)."""

from __future__ import annotations

import asyncio
import re
import signal
from datetime import UTC, datetime

from handlers.observations_buttons import ReportButton, ReportStep
from storage import groups, users
from storage.db import Database
from tests.test_intake_crash import start_crashbot

RESIDENTS = 20
REFERENCE = "O-20"  # O-<year>-<number>


async def _prepare(db_path, people, group_chat) -> None:
    """A registered group with the residents as members, written before the bot starts."""
    db = Database(db_path)
    await db.open()
    try:
        now = datetime.now(UTC)
        group = await groups.ensure_group(db, group_chat.id, "Björkhagen", now)
        await groups.register_group(db, group.id, "Björkhagen", "0180", now)
        for person in people:
            await users.upsert_user(
                db, person.id, first_name=person.first_name, last_name=None, username=None,
                telegram_language_code="sv", now=now,
            )  # fmt: skip
            await groups.add_member(db, group.id, person.id, "deep_link", now)
    finally:
        await db.close()


async def _to_summary(emu, person):
    """Walk one resident through /rapportera to the summary; returns the prompt message."""
    await emu.send_text(person, "/rapportera")
    prompt = await emu.wait_for_message(person.id, lambda m: m.buttons(), timeout=60)

    async def press(data: str, expect: str) -> None:
        await emu.press_button(person, prompt, data=data)
        await emu.wait_until(lambda: expect in prompt.content, 60, f"{expect!r} for {person.id}")

    await press(ReportButton(ReportStep.CATEGORY, "sp").pack(), "När")
    await press(ReportButton(ReportStep.WHEN, "now").pack(), "Var")
    n = len(emu.sent_messages(person.id))
    await emu.send_text(person, "Storgatan 1")
    await emu.wait_for_message(person.id, after=n, timeout=60)
    n = len(emu.sent_messages(person.id))
    await emu.send_text(person, f"Bil utan skyltar, sedd av {person.first_name}")
    prompt = await emu.wait_for_message(person.id, after=n, timeout=60)
    await press(ReportButton(ReportStep.PHOTOS_DONE, "done").pack(), "rapporterade")
    await press(ReportButton(ReportStep.IDENTITY, "n").pack(), "Kontrollera")
    return prompt


async def test_sigkill_while_residents_press_send_stores_each_report_once(emu, tmp_path):
    db_path, log = tmp_path / "crash.db", tmp_path / "bot.log"
    people = [emu.add_user(f"Boende{i}", "sv") for i in range(RESIDENTS)]
    for person in people:
        person.started = True
    await _prepare(db_path, people, emu.add_group("Björkhagen", members=people))
    process = await start_crashbot(emu, db_path, log)
    try:
        summaries = await asyncio.gather(*(_to_summary(emu, p) for p in people))
        # The confirmations hang (and never take effect within this test): the reports
        # are stored, their updates not finished.
        slow = emu.faults.add("slow", "editMessageText", count=None, delay=3600)
        for person, summary in zip(people, summaries, strict=True):
            await emu.press_button(
                person, summary, data=ReportButton(ReportStep.SUMMARY, "ok").pack()
            )
        await emu.wait_until(lambda: not emu.updates, 20, "the presses to be confirmed")
        await emu.wait_until(lambda: slow.fired >= RESIDENTS // 2, 30, "reports being saved")
        process.send_signal(signal.SIGKILL)
        await process.wait()
        emu.faults.remove(slow)
        assert not emu.updates, "Telegram would not redeliver any of them"
        stored_at_kill = await _count(db_path, "SELECT COUNT(*) FROM observations")
        assert stored_at_kill >= RESIDENTS // 2, "no report was stored before the kill"

        process = await start_crashbot(emu, db_path, log)
        for person, summary in zip(people, summaries, strict=True):
            await emu.wait_until(
                lambda s=summary: REFERENCE in s.content, 60, f"the reference for {person.id}"
            )
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    references = [re.search(r"O-\d{4}-\d+", s.content).group(0) for s in summaries]
    assert len(set(references)) == RESIDENTS
    assert await _count(db_path, "SELECT COUNT(*) FROM observations") == RESIDENTS
    assert not [a for a in emu.callback_answers if "gått ut" in (a["text"] or "")]


async def _count(db_path, sql: str) -> int:
    db = Database(db_path)
    await db.open(create=False)
    try:
        return int(await db.fetch_value(sql))
    finally:
        await db.close()
