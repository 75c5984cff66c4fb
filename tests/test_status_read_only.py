"""`grannvakt status` only reads the database as it is: a file it cannot read as
grannvakt's (empty, another program's database, not SQLite) is reported in one problem
line with exit status 1 and left byte for byte as it was; a grannvakt database, also one
whose newest writes are still in its -wal file, is read without being written.
`grannvakt backup` refuses such a file in one line too (`grannvakt restore` would refuse
the copy), and writes no copy."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, fails_with, run_cli


def _env(tmp_path: Path, db: Path) -> dict[str, str]:
    return cli_env(tmp_path, DATABASE_PATH=str(db), POLICE_FEED_ENABLED="false")


def _snapshot(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_size


def _backdate(path: Path) -> None:
    """An mtime far from now, so that any write (even within the same tick) shows."""
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('kanelbullar')")
    conn.close()


def _not_sqlite(path: Path) -> None:
    path.write_text("not a database, " * 100)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_empty, "database unreadable: it is an empty file (0 bytes), not a grannvakt database"),
        (
            _foreign,
            "database unreadable: it has no grannvakt schema (schema version 0): another "
            "program's database, or the wrong DATABASE_PATH",
        ),
        (_not_sqlite, "database unreadable: not an SQLite database (a different file, or"),
    ],
    ids=["empty", "another-program", "not-sqlite"],
)
def test_status_leaves_a_file_that_is_not_grannvakts_untouched(tmp_path, make, problem):
    db = tmp_path / "g.db"
    make(db)
    _backdate(db)
    before = _snapshot(db)
    result = run_cli(["status"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "status: UNHEALTHY"
    assert [line for line in lines if line.startswith("problem:")] == [
        line for line in lines[1:2] if line.startswith(f"problem: {problem}")
    ], lines  # exactly one problem, this one
    assert "Traceback" not in result.stderr
    assert _snapshot(db) == before
    assert not Path(f"{db}-wal").exists()

    result = run_cli(["status", "--json"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 1
    assert _snapshot(db) == before


def test_status_reads_a_grannvakt_database_without_writing_it(tmp_path):
    """Also its last writes still in the -wal file (a bot stopped with kill -9): they are
    read, not checkpointed into the database file."""
    made = tmp_path / "made.db"
    assert run_cli(["roles", "list", "--create"], tmp_path, _env(tmp_path, made)).returncode == 0
    holder = sqlite3.connect(made)
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute(
        "INSERT INTO users (telegram_id, first_name, created_at, updated_at)"
        " VALUES (42, 'Anna', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')"
    )
    holder.commit()
    # The files as a killed process leaves them: the row only in the -wal file.
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    db = crashed / "g.db"
    db.write_bytes(made.read_bytes())
    Path(f"{db}-wal").write_bytes(Path(f"{made}-wal").read_bytes())
    holder.close()
    _backdate(db)
    before = _snapshot(db)

    result = run_cli(["status"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "people: 1" in result.stdout.splitlines()
    assert _snapshot(db) == before


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_empty, "it is an empty file (0 bytes), not a grannvakt database"),
        (_foreign, "it has no grannvakt schema (schema version 0): another program's"),
    ],
    ids=["empty", "another-program"],
)
def test_backup_refuses_a_file_that_is_not_grannvakts(tmp_path, make, problem):
    db = tmp_path / "g.db"
    make(db)
    _backdate(db)
    before = _snapshot(db)
    out = tmp_path / "b.db"
    result = run_cli(["backup", "--out", str(out)], tmp_path, _env(tmp_path, db))
    fails_with(result, 2, f"DATABASE_PATH={db}", problem)
    assert not out.exists()
    assert _snapshot(db) == before
