"""Migration 0016 on a database built at the previous schema (0015): the copies already in
the outbox move to alert_copies with the version they show, unsent copies keep theirs in
their payload, and an upgraded bot updates every copy of an old alert end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import aiosqlite
from telegram import Bot

import storage.migrations as runner
from bot.services.alerts import ack_markup, render_alert
from handlers.alerts_buttons import AlertManage, ManageAction
from storage.timeutil import to_db
from tests.alerts_helpers import make_police, text_of
from tests.harness import BotHarness

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
STAMP = to_db(NOW)
ORIGINAL = {"update": None, "withdrawn": False}


async def _database_at_0015(path, monkeypatch) -> None:
    everything = runner.discover_migrations
    monkeypatch.setattr(
        runner, "discover_migrations", lambda: [m for m in everything() if m.version <= 15]
    )
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        assert await runner.apply_migrations(conn)
        assert (await (await conn.execute("PRAGMA user_version")).fetchone())[0] == 15
    monkeypatch.setattr(runner, "discover_migrations", everything)


async def _old_rows(path, rows: list[tuple]) -> None:
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await conn.executemany(
            "INSERT INTO outbox (priority, kind, ref_id, group_id, payload, status, message_id,"
            " created_at, updated_at) VALUES (1, 'alert', ?, ?, ?, ?, ?, ?, ?)",
            [(*row, STAMP, STAMP) for row in rows],
        )


async def test_upgraded_bot_updates_every_copy_of_an_old_alert(emu, tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    await _database_at_0015(path, monkeypatch)
    officer = emu.add_user("Olle", language_code="en")
    chats = [emu.add_group(f"G{n}", bot_is_member=True) for n in range(3)]
    text = render_alert("en", "theft", "Bike thefts at the station", NOW, UTC)
    markup = ack_markup("en", 1)
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        for n, chat in enumerate(chats):
            await conn.execute(
                "INSERT INTO groups (id, chat_id, title, area_name, kommun_code, language,"
                " registered_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, '0180', 'en', ?, ?, ?)",
                (n + 1, chat.id, chat.title, f"Area {n}", STAMP, STAMP, STAMP),
            )
        for alert_id, update in ((1, None), (2, "Found")):
            await conn.execute(
                "INSERT INTO alerts (id, sender_id, sender_language, category, body,"
                " target_kind, update_text, created_at, done_at)"
                " VALUES (?, ?, 'en', 'theft', 'Bike thefts at the station', 'all', ?, ?, ?)",
                (alert_id, officer.id, update, STAMP, STAMP if alert_id == 2 else None),
            )
    # The old bot delivered two copies of alert 1 (one of them before "rendered" existed);
    # the third is still waiting in the outbox.
    async with Bot(emu.token, base_url=emu.base_url) as old_bot:
        sent = [
            (await old_bot.send_message(chat.id, text, parse_mode="HTML")).message_id
            for chat in chats[:2]
        ]
    payload = {"text": text, "reply_markup": markup}
    updated = {"update": "Found", "withdrawn": False}
    await _old_rows(
        path,
        [
            (1, 1, json.dumps({**payload, "rendered": ORIGINAL}), "sent", sent[0]),
            (1, 2, json.dumps(payload), "sent", sent[1]),
            (1, 3, json.dumps({**payload, "rendered": ORIGINAL}), "pending", None),
            # alert 2 was updated: one copy shows the update, one went out during it
            (2, 1, json.dumps({**payload, "rendered": updated}), "sent", 901),
            (2, 2, json.dumps({**payload, "rendered": ORIGINAL}), "sent", 902),
        ],
    )

    harness = BotHarness(emu, path)
    await harness.start()
    try:
        db = harness.services.db
        assert await db.fetch_value("PRAGMA user_version") >= 16
        versions = await db.fetch_all("SELECT id, version FROM alerts ORDER BY id")
        assert [tuple(r) for r in versions] == [(1, 0), (2, 1)]
        copies = await db.fetch_all(
            "SELECT alert_id, group_id, chat_id, message_id, version FROM alert_copies"
            " ORDER BY alert_id, group_id"
        )
        assert [tuple(r) for r in copies][:2] == [
            (1, 1, chats[0].id, sent[0], 0),
            (1, 2, chats[1].id, sent[1], 0),
        ]
        assert [tuple(r) for r in copies if r[0] == 2] == [
            (2, 1, chats[0].id, 901, 1),
            (2, 2, chats[1].id, 902, 0),
        ]
        await make_police(harness, officer)
        # The waiting copy goes out after the upgrade and is recorded too.
        await emu.wait_for_message(chats[2].id, lambda m: "Bike thefts" in m.text, after=0)
        await harness.services.delivery.wait_idle()
        assert await db.fetch_value("SELECT COUNT(*) FROM alert_copies WHERE alert_id = 1") == 3

        await emu.send_text(officer, "/alerts")
        listing = await emu.wait_for_message(officer.id, lambda m: "Reached" in m.text)
        assert "Reached 3 of 3 groups" in listing.text
        await emu.press_button(officer, listing, data=AlertManage(ManageAction.UPDATE, 1).pack())
        await emu.wait_for_message(officer.id, lambda m: "Write the update" in m.text, after=0)
        await emu.send_text(officer, "Suspect arrested")
        preview = await emu.wait_for_message(officer.id, lambda m: "This is how" in m.text)
        await emu.press_button(officer, preview, text="🔄 Send the update")
        for chat in chats:  # every copy, the pre-upgrade ones included, is edited
            message = emu.sent_messages(chat.id)[0]
            edited = await text_of(emu, message, "Suspect arrested")
            assert "Bike thefts" in edited.text
    finally:
        await harness.stop()
