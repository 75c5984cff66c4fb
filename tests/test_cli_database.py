"""Every way DATABASE_PATH can be unusable, for every database subcommand: one line, exit.

The CLI runs as a subprocess, as an operator runs it; a hang (the old behaviour with a
file that is not SQLite) ends in TimeoutExpired and fails the test.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from storage.db import Database
from storage.db_files import DatabaseOpenError
from tests.cli_helpers import cli_env, fails_with, run_cli

TIP_FILE = (
    "key,focus,seasons,text_sv,text_en\r\n"
    'cli-db-test,neighbour,all_year,"Hälsa på nya grannar.","Greet new neighbours."\r\n'
)

# Every subcommand that opens the database, with otherwise valid arguments.
DB_COMMANDS = {
    "roles list": ["roles", "list"],
    "roles revoke": ["roles", "revoke", "5"],
    "audit list": ["audit", "list"],
    "export": ["export", "observations", "--since", "2026-01-01"],
    "tips export": ["tips", "export"],
    "tips import": ["tips", "import", "tips.csv"],
    "invite": ["invite", "police", "--kommun", "Lund", "--bot-username", "grannvakt_bot"],
    "retention run": ["retention", "run", "--dry-run"],
    "lagesbild": ["lagesbild", "--kommun", "Lund", "--since", "2026-01-05", "--out", "."],
    "feed status": ["feed", "status"],
    "feed replay": ["feed", "replay", "answer.json", "--dry-run"],
    "feed poll": ["feed", "poll", "--dry-run"],
}

running_as_root = os.geteuid() == 0


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "tips.csv").write_text(TIP_FILE, encoding="utf-8")
    (tmp_path / "answer.json").write_text("[]", encoding="utf-8")
    return tmp_path


def _create_db(path: Path) -> None:
    async def go() -> None:
        db = Database(path)
        await db.open()
        await db.close()

    asyncio.run(go())


def _not_sqlite(path: Path) -> None:
    path.write_text("name;street\nAnna;Storgatan 1\n" * 20, encoding="utf-8")


@pytest.mark.parametrize("command", DB_COMMANDS.values(), ids=DB_COMMANDS.keys())
def test_a_file_that_is_not_sqlite_is_one_line_and_no_hang(workdir, command):
    db = workdir / "notes.db"
    _not_sqlite(db)
    result = run_cli(command, workdir, cli_env(workdir, DATABASE_PATH=str(db)))
    fails_with(result, 2, f"DATABASE_PATH={db}", "not an SQLite database")
    assert db.read_text(encoding="utf-8").startswith("name;street")  # left untouched


@pytest.mark.parametrize("command", DB_COMMANDS.values(), ids=DB_COMMANDS.keys())
def test_a_missing_database_is_not_created_without_create(workdir, command):
    """The default path is relative: run elsewhere, the CLI must not start an empty one."""
    result = run_cli(command, workdir, cli_env(workdir))  # DATABASE_PATH unset
    line = fails_with(result, 2, "DATABASE_PATH=grannvakt.db", "does not exist", "--create")
    assert str(workdir / "grannvakt.db") in line  # where it looked
    assert not (workdir / "grannvakt.db").exists()


def test_create_makes_the_database_and_says_where(workdir):
    result = run_cli(["roles", "list", "--create"], workdir, cli_env(workdir))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        f"grannvakt: created a new database at grannvakt.db ({workdir / 'grannvakt.db'})"
    )
    assert (workdir / "grannvakt.db").exists()
    again = run_cli(["roles", "list"], workdir, cli_env(workdir))
    assert again.returncode == 0 and again.stderr == ""


def _corrupt(path: Path) -> None:
    _create_db(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xab" * (4096 - 100)  # keep the SQLite header, wreck the schema page
    path.write_bytes(bytes(data))


def _other_programs_database(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('Anna')")
    conn.close()


def test_another_programs_database_is_refused_and_left_as_it_was(workdir):
    """A mistyped DATABASE_PATH pointing at another program's SQLite file: every command
    that opens the database (the bot's `run` too, through the same Database.open) used to
    write grannvakt's schema into it and set its version to 28."""
    import sqlite3

    db = workdir / "shop.db"
    _other_programs_database(db)
    before = db.read_bytes()
    for command in (["roles", "list"], ["retention", "run"]):
        result = run_cli(command, workdir, cli_env(workdir, DATABASE_PATH=str(db)))
        fails_with(result, 2, f"DATABASE_PATH={db}", "another program's SQLite database")
        assert "customers" in result.stderr
    assert db.read_bytes() == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize(
    ("name", "prepare", "extra", "needle"),
    [
        ("directory", lambda p: p.mkdir(), [], "is a directory"),
        ("corrupt", _corrupt, [], "corrupt"),
        ("missing parent", lambda p: None, [], "does not exist"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_unusable_database_file_kinds(workdir, name, prepare, extra, needle):
    db = workdir / "sub" / "grannvakt.db" if name == "missing parent" else workdir / "x.db"
    prepare(db)
    result = run_cli(["roles", "list", *extra], workdir, cli_env(workdir, DATABASE_PATH=str(db)))
    fails_with(result, 2, f"DATABASE_PATH={db}", needle)


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("/proc/grannvakt/x.db", "cannot create directory /proc/grannvakt"),
        ("/sys/grannvakt-test.db", "cannot open: Permission denied"),
    ],
)
def test_a_database_that_cannot_be_created(workdir, path, needle):
    """Even for root: /proc takes no directories and sysfs no new files."""
    if not Path(path).parent.parent.exists():
        pytest.skip(f"no {Path(path).parent.parent} here")
    result = run_cli(["roles", "list", "--create"], workdir, cli_env(workdir, DATABASE_PATH=path))
    fails_with(result, 2, f"DATABASE_PATH={path}", needle)


@pytest.mark.skipif(running_as_root, reason="root may write read-only files")
@pytest.mark.parametrize("what", ["file", "directory"])
def test_a_read_only_database(workdir, what):
    folder = workdir / "ro"
    folder.mkdir()
    db = folder / "grannvakt.db"
    _create_db(db)
    target = db if what == "file" else folder
    target.chmod(0o555 if what == "directory" else 0o444)
    try:
        result = run_cli(["roles", "list"], workdir, cli_env(workdir, DATABASE_PATH=str(db)))
    finally:
        target.chmod(0o755 if what == "directory" else 0o644)
    line = fails_with(result, 2, f"DATABASE_PATH={db}")
    assert "Permission denied" in line or "read-only" in line or "not writable" in line


def test_a_locked_database_is_a_runtime_failure(workdir):
    """Another program holds the write lock past the busy timeout: exit 1, try again later."""
    db = workdir / "grannvakt.db"
    _create_db(db)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        result = run_cli(["roles", "list"], workdir, cli_env(workdir, DATABASE_PATH=str(db)))
    finally:
        holder.close()
    fails_with(result, 1, f"DATABASE_PATH={db}", "locked")


# --------------------------------------------------------------------------- Database.open


async def test_failed_open_closes_its_connection_thread(tmp_path):
    """aiosqlite's worker thread is not a daemon: left running, the process never exits."""
    path = tmp_path / "notes.db"
    _not_sqlite(path)
    before = {t.ident for t in threading.enumerate()}
    db = Database(path)
    with pytest.raises(DatabaseOpenError) as info:
        await db.open()
    assert info.value.path == str(path) and not info.value.transient
    assert not db.is_open
    for _ in range(100):
        left = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
        if not left:
            break
        await asyncio.sleep(0.01)
    assert left == []


async def test_failed_open_of_a_new_file_leaves_no_empty_file_behind(tmp_path, monkeypatch):
    """Else the next start would take the empty file for an existing database."""
    import storage.db as db_module

    async def unable(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(db_module.aiosqlite, "connect", unable)
    path = tmp_path / "new.db"
    with pytest.raises(DatabaseOpenError, match="unable to open"):
        await Database(path).open()
    assert not path.exists()


async def test_opening_another_programs_database_raises_before_writing(tmp_path):
    """The bot's own start (`run`) opens the database the same way: refused, unchanged."""
    db_path = tmp_path / "shop.db"
    _other_programs_database(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="another program's SQLite database"):
        await Database(db_path).open()
    assert db_path.read_bytes() == before
