"""Consistent copies of the database with SQLite's online backup API, and restoring one.

A plain file copy can miss what is still in the -wal file or catch a page half-written;
the backup API copies the pages of one read transaction, so the copy is the database as
it was at one moment, while the bot goes on writing. All functions here are synchronous
(sqlite3); call them from a thread in async code.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BUSY_TIMEOUT_S = 5.0


class BackupError(Exception):
    """A backup or restore cannot be made; the message is one line for an operator."""


class DatabaseInUse(BackupError):
    """The database is open in another process (the bot, or another command)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    schema_version: int


def lock_path(database_path: str) -> str:
    """The lock file next to the database: every open Database holds a shared lock on it."""
    return database_path + ".lock"


def backup_database(source: str, dest: Path) -> BackupResult:
    """Copy `source` to `dest` (a single file, no -wal), check it, and return its size.

    The copy is written to `dest.partial` first and renamed only after
    `PRAGMA integrity_check` passed, so `dest` is never a half-made backup.
    Raises BackupError."""
    partial = dest.with_name(dest.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    try:
        # Read-write although only read: a read-only connection cannot create the -shm
        # file a WAL database needs when no one else has it open.
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {source}: {exc}") from None
    try:
        with contextlib.closing(sqlite3.connect(partial)) as dst:
            # pages=-1: every page in one step, inside one read transaction of `src`, so
            # writes committed meanwhile by the bot neither restart nor tear the copy.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            check_integrity(dst, str(dest))
            version = int(dst.execute("PRAGMA user_version").fetchone()[0])
        # A copy of everyone's data: readable by the bot's user only, whatever the umask
        # (docs/privacy.md, "Security measures").
        os.chmod(partial, 0o600)
        _fsync(partial)
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        if "full" in str(exc):  # only the copy is written: its disk is the full one
            raise BackupError(f"cannot write {dest}: the disk is full") from None
        raise BackupError(f"backup of {source} failed: {exc}") from None
    except OSError as exc:
        raise BackupError(f"cannot write {dest}: {exc.strerror}") from None
    finally:
        src.close()
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BackupResult(dest, dest.stat().st_size, version)


def check_integrity(conn: sqlite3.Connection, name: str) -> None:
    """BackupError unless `PRAGMA integrity_check` answers ok."""
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        raise BackupError(f"{name} fails the integrity check: {'; '.join(rows[:3])}")


def inspect_backup(path: Path) -> int:
    """The schema version of a backup file after checking it; BackupError if unusable."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            check_integrity(conn, str(path))
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as exc:
        raise BackupError(f"{path} is not a usable SQLite database: {exc}") from None


@contextlib.contextmanager
def exclusive(database_path: str) -> Iterator[None]:
    """Hold the database's lock file exclusively; DatabaseInUse when anyone has it open."""
    fd = os.open(lock_path(database_path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseInUse(
                f"{database_path} is in use (the bot or another grannvakt command has it "
                "open): stop the bot first"
            ) from None
        yield
    finally:
        os.close(fd)


def restore_database(backup: Path, target: str) -> Path | None:
    """Replace `target` by the backup's content; returns where the replaced database was
    saved first (None when there was none). Call inside `exclusive(target)`.
    Raises BackupError."""
    saved = None
    if os.path.isfile(target) and os.path.getsize(target) > 0:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        saved = Path(f"{target}.before-restore-{stamp}.bak")
        backup_database(target, saved)
    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as src,
            contextlib.closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=WAL")
            check_integrity(dst, target)
    except sqlite3.Error as exc:
        if "full" in str(exc):
            raise BackupError(f"restore into {target} failed: the disk is full") from None
        raise BackupError(f"restore into {target} failed: {exc}") from None
    return saved


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
