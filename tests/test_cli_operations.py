"""An operator's mistakes and mishaps around backup, restore and long commands: one line
and an exit status, never a traceback, and the database as it was."""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli_common import database_failure
from storage.backup import BackupError, backup_database
from storage.db import Database
from tests.cli_helpers import TIMEOUT, cli_env, fails_with, run_cli


def _create_db(path: Path) -> None:
    async def go() -> None:
        db = Database(path)
        await db.open()
        await db.execute("INSERT INTO feed_state (key, value) VALUES ('marker', 'kept')")
        await db.close()

    asyncio.run(go())


def _marker(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT value FROM feed_state WHERE key = 'marker'").fetchone()
    conn.close()
    return None if row is None else row[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "grannvakt.db"
    _create_db(path)
    return path


def _env(tmp_path: Path, db: Path) -> dict[str, str]:
    return cli_env(tmp_path, DATABASE_PATH=str(db))


# --------------------------------------------------------------------------- backup


def test_backup_into_a_directory_names_it(tmp_path, db):
    result = run_cli(["backup", "--out", str(tmp_path), "--force"], tmp_path, _env(tmp_path, db))
    fails_with(result, 2, f"--out {tmp_path} is a directory")


def test_backup_into_a_missing_directory_names_it(tmp_path, db):
    out = tmp_path / "nowhere" / "b.db"
    result = run_cli(["backup", "--out", str(out)], tmp_path, _env(tmp_path, db))
    fails_with(result, 2, f"the directory {out.parent} does not exist")


@pytest.mark.parametrize("command", [["backup", "--out", "b.db"], ["restore", "backup.db"]])
def test_a_database_path_that_is_a_directory_is_named_so(tmp_path, db, command):
    (tmp_path / "backup.db").write_bytes(db.read_bytes())
    folder = tmp_path / "data"
    folder.mkdir()
    result = run_cli(command, tmp_path, _env(tmp_path, folder))
    fails_with(result, 2, f"DATABASE_PATH={folder}", "is a directory")


def test_backup_of_a_missing_database_offers_no_option_it_lacks(tmp_path):
    """The database commands' advice (add --create) is wrong for backup, which has none."""
    missing = tmp_path / "grannvakt.db"
    result = run_cli(["backup", "--out", "b.db"], tmp_path, _env(tmp_path, missing))
    line = fails_with(result, 2, f"DATABASE_PATH={missing}", "does not exist")
    assert "--create" not in line


def test_a_backup_is_readable_by_its_owner_only(tmp_path, db):
    """A copy of everyone's data: not world-readable under the usual umask 022."""
    old_umask = os.umask(0o022)
    try:
        result = backup_database(str(db), tmp_path / "b.db")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600


def test_a_full_disk_during_a_backup_names_the_copy(tmp_path, db, monkeypatch):
    class FullDisk(sqlite3.Connection):
        def backup(self, *args: object, **kwargs: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: real_connect(*a, **k, factory=FullDisk))
    out = tmp_path / "b.db"
    with pytest.raises(BackupError, match=f"cannot write {out}: the disk is full"):
        backup_database(str(db), out)
    assert not out.exists() and not (tmp_path / "b.db.partial").exists()


# --------------------------------------------------------------------------- restore


@pytest.mark.parametrize("kind", ["empty file", "another program's database"])
def test_restore_refuses_a_file_without_a_grannvakt_schema(tmp_path, db, kind):
    """Schema version 0 is no backup of ours: restoring it would replace every record."""
    other = tmp_path / "other.db"
    if kind == "empty file":
        other.write_bytes(b"")
    else:
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.close()
    result = run_cli(["restore", str(other)], tmp_path, _env(tmp_path, db))
    fails_with(result, 2, f"{other} is not a grannvakt backup")
    assert _marker(db) == "kept"
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_refuses_the_database_itself(tmp_path, db):
    result = run_cli(["restore", str(db)], tmp_path, _env(tmp_path, db))
    fails_with(result, 2, "is the database itself")
    assert _marker(db) == "kept"


def test_restore_into_a_missing_directory_names_it(tmp_path, db):
    target = tmp_path / "nowhere" / "grannvakt.db"
    result = run_cli(["restore", str(db)], tmp_path, _env(tmp_path, target))
    fails_with(result, 2, f"DATABASE_PATH={target}", "does not exist")
    assert not target.parent.exists()


# --------------------------------------------------------------------------- during a command


def _tip_file(path: Path, rows: int) -> Path:
    lines = ["key,focus,seasons,text_sv,text_en"]
    lines += [f"ops-{i},neighbour,dark,Hej {i} {'x' * 150},Hi {i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _tip_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        count = int(conn.execute("SELECT COUNT(*) FROM tips WHERE key LIKE 'ops-%'").fetchone()[0])
    conn.close()
    return count


def test_a_database_error_midway_is_one_line_naming_the_database(tmp_path, db):
    """The open goes well, then the disk refuses the writes (a file size limit stands in
    for a full disk): one line naming DATABASE_PATH, exit 1, not 'unexpected error'."""
    tips = _tip_file(tmp_path / "tips.csv", 4000)  # ~700 KB into the -wal file

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_123, 300_123))

    result = subprocess.run(
        [sys.executable, "-m", "bot", "tips", "import", str(tips)],
        cwd=tmp_path,
        env=_env(tmp_path, db),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limit_file_size,
    )
    line = fails_with(result, 1, f"DATABASE_PATH={db}")
    assert "unexpected" not in line
    assert _tip_count(db) == 0 and _marker(db) == "kept"


@pytest.mark.parametrize(
    ("message", "needle"),
    [
        ("database or disk is full", "the disk is full"),
        ("database is locked", "locked by another program"),
        ("disk I/O error", "disk I/O error"),
    ],
)
def test_database_failure_lines(message, needle):
    error = database_failure(sqlite3.OperationalError(message), "/srv/grannvakt.db")
    assert error.status == 1
    assert str(error).startswith("DATABASE_PATH=/srv/grannvakt.db: ") and needle in str(error)


def test_sigterm_during_a_long_command_ends_like_ctrl_c(tmp_path, db):
    """SIGTERM (systemd stopping, `kill`) mid-import: one line, exit 143, the import's
    transaction rolled back, the database intact."""
    tips = _tip_file(tmp_path / "tips.csv", 60_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "tips", "import", str(tips)],
        cwd=tmp_path,
        env=_env(tmp_path, db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wal = Path(f"{db}-wal")
        while not wal.exists() and process.poll() is None:  # the command has the database open
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in stderr, stderr
    assert process.returncode == 143, stderr
    assert stderr.strip() == "grannvakt: terminated (SIGTERM)"
    assert _tip_count(db) == 0 and _marker(db) == "kept"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
