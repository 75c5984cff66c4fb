"""Backups with SQLite's online backup API while the bot runs, restore (refused while the
database is in use), and the migration guards: a database newer than the code is refused,
an existing one is backed up before migrations change it."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage.backup import backup_database
from storage.db import Database, latest_schema_version
from storage.db_files import DatabaseOpenError
from storage.migrations import discover_migrations
from tests.backup_scenario import backup_during_broadcast
from tests.cli_helpers import cli_env, fails_with, run_cli, run_cli_async


def _env(tmp_path: Path, db: Path) -> dict[str, str]:
    return cli_env(tmp_path, DATABASE_PATH=str(db), POLICE_FEED_ENABLED="false")


async def test_backup_during_a_broadcast_holds_every_committed_row(bot, tmp_path):
    """60 groups here; bench/backup.py runs the same with 1000."""
    figures = await backup_during_broadcast(bot, 60, tmp_path / "during.db")
    assert figures.integrity == "ok"
    assert figures.rows_before >= 60
    assert figures.missing == 0
    assert figures.regressed == 0
    assert figures.counts_consistent  # no torn copy: counters match the rows
    assert figures.backup_total == 60
    assert 0 < figures.backup_sent < 60, figures  # taken mid-broadcast
    # The broadcast goes on to the end after the backup.
    await bot.emu.wait_until(lambda: len(bot.emu.sent_messages()) >= 60, timeout=30)


async def test_cli_backup_while_the_bot_runs(bot, tmp_path):
    anna = bot.emu.add_user("Anna")
    await bot.emu.send_text(anna, "/start")
    await bot.emu.wait_for_message(anna.id, after=0)
    out = tmp_path / "backup.db"
    db = Path(bot.settings.database_path)
    status, stdout, stderr = await run_cli_async(
        ["backup", "--out", str(out)], tmp_path, _env(tmp_path, db)
    )
    assert status == 0, stderr
    size = out.stat().st_size
    assert stdout.strip() == (
        f"backup written to {out}: {size} bytes, schema version {latest_schema_version()}, "
        "integrity check ok"
    )
    assert not Path(f"{out}-wal").exists()  # one self-contained file
    with sqlite3.connect(out) as conn:
        assert (
            conn.execute("SELECT COUNT(*) FROM users WHERE telegram_id = ?", (anna.id,)).fetchone()[
                0
            ]
            == 1
        )
    conn.close()
    # An existing file is not overwritten unless asked.
    status, _, stderr = await run_cli_async(
        ["backup", "--out", str(out)], tmp_path, _env(tmp_path, db)
    )
    assert status == 2 and "exists" in stderr
    status, _, _ = await run_cli_async(
        ["backup", "--out", str(out), "--force"], tmp_path, _env(tmp_path, db)
    )
    assert status == 0


async def test_restore_is_refused_while_the_bot_runs_and_works_after(harness, tmp_path):
    await harness.start()
    db = Path(harness.settings.database_path)
    emu = harness.emu
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "/start")
    await emu.wait_for_message(anna.id, after=0)
    saved = tmp_path / "saved.db"
    await asyncio.to_thread(backup_database, str(db), saved)
    bob = emu.add_user("Bob")
    await emu.send_text(bob, "/start")
    await emu.wait_for_message(bob.id, after=0)

    status, _, stderr = await run_cli_async(["restore", str(saved)], tmp_path, _env(tmp_path, db))
    assert status == 1
    assert "in use" in stderr and "stop the bot first" in stderr
    await harness.stop()

    status, stdout, stderr = await run_cli_async(
        ["restore", str(saved)], tmp_path, _env(tmp_path, db)
    )
    assert status == 0, stderr
    assert "restored" in stdout
    assert "saved as" in stderr
    with sqlite3.connect(db) as conn:
        ids = {r[0] for r in conn.execute("SELECT telegram_id FROM users")}
    conn.close()
    assert anna.id in ids and bob.id not in ids  # the database as it was at the backup
    replaced = next(tmp_path.glob("grannvakt.db.before-restore-*.bak"))
    with sqlite3.connect(replaced) as conn:
        assert {r[0] for r in conn.execute("SELECT telegram_id FROM users")} >= {anna.id, bob.id}
    conn.close()
    await harness.start()  # the bot starts on the restored database
    await harness.stop()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("hello " * 100)
    result = run_cli(["restore", str(junk)], tmp_path, _env(tmp_path, tmp_path / "g.db"))
    fails_with(result, 2, "not a usable SQLite database")


# ----------------------------------------------------------------- migration guards


def _older_database(path: Path) -> int:
    """A database at the schema version before the newest, with one user in it."""
    migrations = discover_migrations()
    older = migrations[-2].version
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    for migration in migrations[:-1]:
        conn.executescript(migration.sql)
    conn.execute(f"PRAGMA user_version = {older}")
    conn.execute(
        "INSERT INTO users (telegram_id, first_name, created_at, updated_at)"
        " VALUES (42, 'Anna', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')"
    )
    conn.commit()
    conn.close()
    return older


async def test_migrating_an_existing_database_backs_it_up_first(tmp_path):
    path = tmp_path / "g.db"
    older = _older_database(path)
    db = Database(path)
    await db.open()
    try:
        assert await db.fetch_value("PRAGMA user_version") == latest_schema_version()
    finally:
        await db.close()
    backups = list(tmp_path.glob(f"g.db.pre-migration-{older:04d}-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == older
        assert conn.execute("SELECT first_name FROM users").fetchall() == [("Anna",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    # Up to date now: the next open makes no further backup.
    await db.open()
    await db.close()
    assert len(list(tmp_path.glob("g.db.pre-migration-*"))) == 1


async def test_a_new_database_is_not_backed_up(tmp_path):
    db = Database(tmp_path / "g.db")
    await db.open()
    await db.close()
    assert list(tmp_path.glob("*.bak")) == []


async def test_a_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "g.db"
    db = Database(path)
    await db.open()
    await db.execute(f"PRAGMA user_version = {latest_schema_version() + 1}")
    await db.close()
    with pytest.raises(DatabaseOpenError, match="written by a newer grannvakt"):
        await Database(path).open()
    with sqlite3.connect(path) as conn:  # untouched
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_schema_version() + 1
    conn.close()
    result = run_cli(["roles", "list"], tmp_path, _env(tmp_path, path))
    fails_with(result, 2, "written by a newer grannvakt", "upgrade grannvakt")
