"""Helpers of the privacy tests: walking every table for traces of a person, settling."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from handlers.observations_buttons import ReportButton, ReportStep
from storage.db import Database
from tests.emulator import BotApiEmulator
from tests.emulator.state import User
from tests.test_observations_support import World, press


async def traces(
    db: Database, user_id: int | None, needles: list[str]
) -> list[tuple[str, str, Any]]:
    """Every (table, column, value) in the whole schema (sqlite_master + PRAGMA table_info)
    that holds `user_id` or contains one of the `needles` (text or bytes)."""
    found = []
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    texts = [*needles] if user_id is None else [*needles, str(user_id)]
    for (table,) in tables:
        columns = [r[1] for r in await db.fetch_all(f'PRAGMA table_info("{table}")')]
        listed = ", ".join(f'"{c}"' for c in columns)
        for row in await db.fetch_all(f'SELECT {listed} FROM "{table}"'):
            for column, value in zip(columns, row, strict=True):
                if user_id is not None and isinstance(value, int) and value == user_id:
                    found.append((table, column, value))
                elif isinstance(value, str) and any(n in value for n in texts):
                    found.append((table, column, value))
                elif isinstance(value, bytes) and any(n.encode() in value for n in texts):
                    found.append((table, column, value))
    return found


async def settled(emu: BotApiEmulator, db: Database) -> None:
    """Wait until every update was handled (done) and the outbox has nothing to send."""
    for _ in range(200):
        open_updates = await db.fetch_value(
            "SELECT COUNT(*) FROM update_inbox WHERE done_at IS NULL"
        )
        pending = await db.fetch_value(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        if open_updates == 0 and pending == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot did not settle")


async def file_report_with_caption(w: World, user: User, text: str, caption: str) -> None:
    """The /rapportera dialogue with one photo that carries a caption; identity shown."""
    emu = w.emu
    await emu.send_text(user, "/rapportera")
    prompt = await emu.wait_for_message(user.id, lambda m: "112" in m.content)
    assert "/integritet" in prompt.content  # the first step links the privacy notice
    await press(w, user, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, user, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, "Storgatan 1")
    await emu.wait_for_message(user.id, after=n)
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, text)
    await emu.wait_for_message(user.id, after=n)
    await emu.send_photo(user, caption=caption)
    step = await emu.wait_for_message(user.id, lambda m: "Foto 1" in m.content)
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, user, step, ReportButton(ReportStep.IDENTITY, "y").pack())
    await press(w, user, step, ReportButton(ReportStep.SUMMARY, "ok").pack())


async def document_json(emu: BotApiEmulator, chat_id: int) -> dict[str, Any]:
    sent = await emu.wait_for_message(chat_id, lambda m: m.kind == "document")
    assert sent.document is not None and (sent.filename or "").endswith(".json")
    return json.loads(sent.document.decode("utf-8"))
