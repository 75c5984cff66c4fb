"""The copies grannvakt makes of its database by itself (before a migration, before a
restore) are deleted `AUTO_BACKUP_RETENTION_DAYS` after they were made, by the bot's
daily retention pass and by `grannvakt retention run`; nothing else next to the database
is touched (storage/backup_copies.py, docs/privacy.md)."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.retention_scheduler import RetentionPass
from bot.runtime import Services
from bot.services.people import PeopleService
from config import ConfigError, Settings, load_settings
from storage.backup import backup_database, restore_database
from storage.backup_copies import STAMP_FORMAT, automatic_copies
from storage.db import Database
from tests.cli_helpers import cli_env, fails_with, run_cli

NOW = datetime(2027, 12, 1, 12, 0, tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return moment.strftime(STAMP_FORMAT)


def _copy(db: Path, kind: str, days_ago: float, *, partial: bool = False) -> Path:
    """A file named as grannvakt names an automatic copy made `days_ago` before NOW."""
    stamp = _stamp(NOW - timedelta(days=days_ago))
    middle = "pre-migration-0031" if kind == "migration" else "before-restore"
    path = db.parent / f"{db.name}.{middle}-{stamp}.bak{'.partial' if partial else ''}"
    path.write_bytes(b"SQLite format 3\x00 erased people's data")
    return path


def _unrelated(db: Path) -> dict[Path, bytes]:
    """Files and a directory next to the database that grannvakt did not write, although
    some look alike; every one of them is older than any limit."""
    old = _stamp(NOW - timedelta(days=900))
    names = [
        f"{db.name}.bak",  # no stamp
        f"{db.name}.pre-migration-0031-{old}.bak.txt",  # more after the name
        f"{db.name}.pre-migration-{old}.bak",  # no version
        f"{db.name}.before-restore-{old}.BAK",
        f"{db.name}.before-restore-20271399T000000Z.bak",  # no moment (month 13)
        f"other.db.before-restore-{old}.bak",  # another database's copy
        f"x{db.name}.before-restore-{old}.bak",
        "grannvakt-2025-01-01.db",  # what `grannvakt backup --out` writes, operator's
        "notes.txt",
    ]
    files = {}
    for name in names:
        path = db.parent / name
        path.write_bytes(name.encode())
        files[path] = name.encode()
    (db.parent / f"{db.name}.before-restore-{old}.bak.d").mkdir()
    return files


def _settings(db: Path, **values: object) -> Settings:
    return Settings(_env_file=None, database_path=str(db), **values)  # type: ignore[arg-type]


async def _open(db: Path) -> Database:
    database = Database(db)
    await database.open()
    return database


async def test_the_daily_pass_deletes_copies_past_the_limit_and_nothing_else(tmp_path):
    db = tmp_path / "g.db"
    database = await _open(db)
    try:
        old_migration = _copy(db, "migration", 31)
        old_restore = _copy(db, "restore", 400)
        young_migration = _copy(db, "migration", 29)
        young_restore = _copy(db, "restore", 1)
        unrelated = _unrelated(db)
        # A symlink named like a copy is not grannvakt's: neither it nor its target goes.
        target = tmp_path / "elsewhere.db"
        target.write_bytes(b"keep")
        link = db.parent / f"{db.name}.before-restore-{_stamp(NOW - timedelta(days=99))}.bak"
        link.symlink_to(target)
        clock = FixedClock(NOW)
        settings = _settings(db)  # AUTO_BACKUP_RETENTION_DAYS: 30 by default
        services = Services(settings, database, clock, PeopleService(database, clock, "sv"))

        report = await RetentionPass(services).tick()

        assert report is not None and report.backup_copies == 2
        assert not old_migration.exists() and not old_restore.exists()
        assert young_migration.exists() and young_restore.exists()
        for path, content in unrelated.items():
            assert path.read_bytes() == content, path
        assert link.is_symlink() and target.read_bytes() == b"keep"
        assert db.exists()
        details = await database.fetch_value(
            "SELECT details FROM audit_log WHERE action = 'retention.run'"
        )
        assert '"backup_copies": 2' in details

        clock.advance(days=1, hours=1)  # the next day young_migration is 30 days old
        later = await RetentionPass(services).tick()
        assert later is not None and later.backup_copies == 1
        assert not young_migration.exists() and young_restore.exists()
    finally:
        await database.close()


async def test_a_partial_copy_is_deleted_only_when_no_one_writes_it(tmp_path):
    """A `.partial` left by a killed process goes; one changed within the hour may be a
    copy being written right now and stays."""
    from bot.services import retention

    db = tmp_path / "g.db"
    database = await _open(db)
    try:
        left = _copy(db, "migration", 40, partial=True)
        an_hour_ago = time.time() - 2 * 3600
        os.utime(left, (an_hour_ago, an_hour_ago))
        writing = _copy(db, "restore", 40, partial=True)  # just modified
        clock = FixedClock(NOW)
        people = PeopleService(database, clock, "sv")
        report = await retention.run(database, _settings(db), clock, people)
        assert report.backup_copies == 1
        assert not left.exists() and writing.exists()
    finally:
        await database.close()


async def test_zero_days_deletes_every_copy_at_the_next_pass_and_dry_run_only_counts(tmp_path):
    from bot.services import retention

    db = tmp_path / "g.db"
    database = await _open(db)
    try:
        copies = [_copy(db, "migration", 0.01), _copy(db, "restore", 0.5)]
        clock = FixedClock(NOW)
        people = PeopleService(database, clock, "sv")
        settings = _settings(db, auto_backup_retention_days=0)
        preview = await retention.run(database, settings, clock, people, dry_run=True)
        assert preview.backup_copies == 2
        assert "would delete 0 observations (0 photos), 0 audit entries, 2 automatic" in (
            preview.line()
        )
        assert all(path.exists() for path in copies)
        done = await retention.run(database, settings, clock, people)
        assert done.backup_copies == 2
        assert not any(path.exists() for path in copies)
    finally:
        await database.close()


async def test_the_names_grannvakt_writes_are_the_names_the_pass_knows(tmp_path):
    """The real writers, not hand-made names: a migration's copy (storage/db.py) and the
    database a restore replaced (storage/backup.py)."""
    from tests.test_backup import _older_database

    db = tmp_path / "g.db"
    _older_database(db)
    database = await _open(db)  # migrates: writes the pre-migration copy
    await database.close()
    saved = tmp_path / "saved.db"
    backup_database(str(db), saved)
    replaced = restore_database(saved, str(db))  # writes the before-restore copy
    assert replaced is not None
    found = {copy.path.name for copy in automatic_copies(str(db))}
    written = {p.name for p in tmp_path.glob("g.db.*.bak")}
    assert len(written) == 2 and found == written, (found, written)
    assert not any(copy.partial for copy in automatic_copies(str(db)))
    now = datetime.now(UTC)
    for copy in automatic_copies(str(db)):
        assert now - timedelta(minutes=5) < copy.made_at <= now


def test_cli_retention_run_deletes_the_old_copies(tmp_path):
    db = tmp_path / "grannvakt.db"
    env = cli_env(tmp_path, DATABASE_PATH=str(db), POLICE_FEED_ENABLED="false")
    assert run_cli(["roles", "list", "--create"], tmp_path, env).returncode == 0
    real_now = datetime.now(UTC)
    old = db.parent / f"{db.name}.before-restore-{_stamp(real_now - timedelta(days=31))}.bak"
    young = db.parent / f"{db.name}.before-restore-{_stamp(real_now - timedelta(days=29))}.bak"
    for path in (old, young):
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
    operator = tmp_path / "grannvakt-2020-01-01.db"
    operator.write_bytes(b"the operator's")

    preview = run_cli(["retention", "run", "--dry-run"], tmp_path, env)
    assert preview.returncode == 0, preview.stderr
    assert "1 automatic backup copies" in preview.stdout and old.exists()
    result = run_cli(["retention", "run"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert "deleted 0 observations (0 photos), 0 audit entries, 1 automatic backup copies" in (
        result.stdout
    )
    assert not old.exists() and young.exists()
    assert operator.read_bytes() == b"the operator's"


# ----------------------------------------------------------------- the setting


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("AUTO_BACKUP_RETENTION_DAYS", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_the_setting_defaults_to_30_days_and_takes_0(clean_env, monkeypatch):
    assert load_settings(require_token=False).auto_backup_retention_days == 30
    monkeypatch.setenv("AUTO_BACKUP_RETENTION_DAYS", "0")
    assert load_settings(require_token=False).auto_backup_retention_days == 0


@pytest.mark.parametrize("value", ["-1", "366", "a month", "7.5"])
def test_a_bad_setting_is_one_line_naming_it(clean_env, monkeypatch, value):
    monkeypatch.setenv("AUTO_BACKUP_RETENTION_DAYS", value)
    with pytest.raises(ConfigError) as caught:
        load_settings(require_token=False)
    message = str(caught.value)
    assert message.startswith("AUTO_BACKUP_RETENTION_DAYS is invalid: ")
    assert "\n" not in message


def test_a_bad_setting_stops_the_cli_with_one_line(tmp_path):
    env = cli_env(tmp_path, DATABASE_PATH=str(tmp_path / "g.db"), AUTO_BACKUP_RETENTION_DAYS="366")
    result = run_cli(["retention", "run"], tmp_path, env)
    fails_with(result, 2, "AUTO_BACKUP_RETENTION_DAYS is invalid", "365")
