"""A backup taken while a police alert is being delivered to many groups: the scenario
shared by tests/test_backup.py (a few groups) and bench/backup.py (1000 groups)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from handlers.alerts_buttons import AlertConfirm
from storage.backup import backup_database
from tests.alerts_helpers import compose_alert, make_police, register_groups


@dataclass
class BackupDuringBroadcast:
    groups: int
    sent_when_started: int  # alert messages Telegram had received when the backup began
    rows_before: int  # outbox rows committed before the backup began
    missing: int  # of those, rows the backup lacks (must be 0)
    regressed: int  # rows whose status in the backup is older than before (must be 0)
    backup_sent: int  # alert rows 'sent' in the backup
    backup_total: int  # alert rows in the backup
    counts_consistent: bool  # outbox_counts agrees with the outbox rows in the backup
    integrity: str
    size: int  # bytes
    seconds: float  # the backup call, verification excluded


_ORDER = {"pending": 0, "sending": 1, "sent": 2, "failed": 2, "skipped": 2}


async def backup_during_broadcast(harness, groups: int, out: Path) -> BackupDuringBroadcast:
    """Register `groups` groups, send an alert to all, back up once some are delivered."""
    emu = harness.emu
    chats = [emu.add_group(f"Grupp {n}", bot_is_member=True) for n in range(groups)]
    await register_groups(harness, chats)
    officer = emu.add_user("Polis", language_code="sv")
    await make_police(harness, officer, "0180")
    confirm = await compose_alert(emu, officer, "Inbrott på Ekvägen i natt.", send=False)
    group_ids = {chat.id for chat in chats}

    def delivered() -> int:
        return sum(1 for m in emu.sent_messages() if m.chat_id in group_ids)

    await emu.press_button(officer, confirm, data=AlertConfirm(send=True).pack())
    await emu.wait_until(lambda: delivered() >= max(3, groups // 20), timeout=30)
    db = harness.services.db
    before = {r[0]: r[1] for r in await db.fetch_all("SELECT id, status FROM outbox")}
    sent_when_started = delivered()
    started = time.monotonic()
    result = await asyncio.to_thread(backup_database, harness.settings.database_path, out)
    seconds = time.monotonic() - started

    with sqlite3.connect(out) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = dict(conn.execute("SELECT id, status FROM outbox").fetchall())
        alert_rows = conn.execute(
            "SELECT COUNT(*), SUM(status = 'sent'), SUM(status IN ('pending', 'sending'))"
            " FROM outbox WHERE kind = 'alert'"
        ).fetchone()
        counts = conn.execute(
            "SELECT SUM(total), SUM(sent), SUM(unfinished) FROM outbox_counts WHERE kind = 'alert'"
        ).fetchone()
    conn.close()
    missing = [row_id for row_id in before if row_id not in rows]
    regressed = [
        row_id
        for row_id, status in before.items()
        if row_id in rows and _ORDER[rows[row_id]] < _ORDER[status]
    ]
    return BackupDuringBroadcast(
        groups=groups,
        sent_when_started=sent_when_started,
        rows_before=len(before),
        missing=len(missing),
        regressed=len(regressed),
        backup_sent=int(alert_rows[1] or 0),
        backup_total=int(alert_rows[0] or 0),
        counts_consistent=tuple(alert_rows) == tuple(counts),
        integrity=integrity,
        size=result.size,
        seconds=seconds,
    )
