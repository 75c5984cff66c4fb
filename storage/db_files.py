"""Opening the database file: every way a file can be unusable (missing, a directory,
another program's SQLite file, read-only, locked, being restored) becomes one
`DatabaseOpenError` with a line an operator can act on. Used by storage/db.py."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from pathlib import Path

import aiosqlite

BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another writer (PRAGMA busy_timeout)


class DatabaseOpenError(Exception):
    """The database file cannot be opened or used; `reason` is one line for an operator.

    `missing` is set when the file does not exist and `open(create=False)` was asked;
    `transient` when trying again later may help (the file is locked by another program).
    """

    def __init__(
        self, path: str, reason: str, *, missing: bool = False, transient: bool = False
    ) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.missing = missing
        self.transient = transient


async def refuse_another_programs_database(conn: aiosqlite.Connection, path: str) -> None:
    """Raise DatabaseOpenError for a database with tables but no grannvakt schema (version
    0 is a new, empty database): another program's file, e.g. a mistyped DATABASE_PATH,
    which migrating would write grannvakt's tables into."""
    async with conn.execute("PRAGMA user_version") as cursor:
        version = int((await cursor.fetchone() or (0,))[0])
    if version != 0:
        return
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 3"
    ) as cursor:
        tables = [str(row[0]) for row in await cursor.fetchall()]
    if tables:
        raise DatabaseOpenError(
            path,
            f"is another program's SQLite database (it has tables such as {', '.join(tables)}"
            " but no grannvakt schema): check DATABASE_PATH",
        )


def prepare_file(path_text: str, create: bool, *, read_only: bool = False) -> bool:
    """Check that `path_text` can be a database file; create it if asked. True if created."""
    path = Path(path_text)
    if path.is_dir():
        raise DatabaseOpenError(path_text, "is a directory, not a database file")
    exists = path.exists()
    if not exists and not create:
        raise DatabaseOpenError(path_text, "does not exist", missing=True)
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(
                path_text, f"cannot create directory {path.parent}: {exc.strerror}"
            ) from exc
    try:
        # Opening it ourselves first gives the operating system's reason (permission
        # denied, read-only file system) instead of SQLite's "unable to open database file".
        access = os.O_RDONLY if read_only else os.O_RDWR
        fd = os.open(path, access | (0 if exists else os.O_CREAT), 0o644)
    except OSError as exc:
        raise DatabaseOpenError(path_text, f"cannot open: {exc.strerror}") from exc
    os.close(fd)
    return not exists


def read_only_uri(path_text: str) -> str:
    """SQLite's URI of the file, opened read-only (any ? or # in the path escaped)."""
    return f"{Path(os.path.abspath(path_text)).as_uri()}?mode=ro"


def share_lock(path_text: str) -> int | None:
    """Take a shared lock on `<path>.lock` for as long as the database is open, so that
    `grannvakt restore` (an exclusive lock) can tell that the database is in use. None
    when the lock file cannot be made (a read-only directory: SQLite then says why)."""
    from storage.backup import lock_path

    try:
        fd = os.open(lock_path(path_text), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DatabaseOpenError(
            path_text,
            "a restore (grannvakt restore) is replacing it; try again later",
            transient=True,
        ) from None
    return fd


def remove_if_empty(path_text: str) -> None:
    """Undo a file `open()` created before failing, so the next start is a clean one."""
    with contextlib.suppress(OSError):
        if os.path.getsize(path_text) == 0:
            os.remove(path_text)


def explain_open_error(exc: sqlite3.Error, path_text: str) -> tuple[str, bool]:
    """One line an operator understands for SQLite's error, and whether it is transient."""
    text = str(exc)
    directory = os.path.dirname(os.path.abspath(path_text))
    if "file is not a database" in text:
        return "not an SQLite database (a different file, or encrypted)", False
    if "malformed" in text:
        return "the database file is corrupt (database disk image is malformed)", False
    if "locked" in text or "busy" in text:
        seconds = BUSY_TIMEOUT_MS // 1000
        return f"locked by another program (waited {seconds} s); try again later", True
    if "readonly" in text:
        return (
            "read-only: the file and its directory must be writable "
            "(SQLite keeps -wal and -shm files next to it)",
            False,
        )
    if "unable to open" in text and not os.access(directory, os.W_OK):
        return (
            f"its directory {directory} is not writable (SQLite keeps -wal and -shm files there)",
            False,
        )
    return f"cannot be used: {text}", False
