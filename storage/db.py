"""The process's database: its aiosqlite connection (statements in aiosqlite's thread), the
point connection on the event loop (storage/db_point.py), pragmas, and transactions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage import db_point
from storage.db_files import (
    BUSY_TIMEOUT_MS,
    DatabaseOpenError,
    explain_open_error,
    prepare_file,
    read_only_uri,
    refuse_another_programs_database,
    remove_if_empty,
    share_lock,
)
from storage.migrations import apply_migrations, discover_migrations

log = logging.getLogger(__name__)


T = TypeVar("T")


class Database:
    """The database of the whole process: one aiosqlite connection, whose thread runs
    every statement except point statements (storage/db_point.py: a few rows through an
    index, on a second connection in the event loop's thread).

    SQLite allows one writer at a time; both connections' writers take one asyncio lock.
    `transaction()` serialises writers with an asyncio lock so that two coroutines never
    interleave statements inside each other's BEGIN...COMMIT. Reads from other coroutines
    wait while a transaction is open: on the shared connection they would otherwise see
    its uncommitted, possibly half-done (or later rolled back) writes.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self.created = False
        self._writer: asyncio.Task[Any] | None = None  # the task inside a transaction
        self._lock_fd: int | None = None  # shared lock: `grannvakt restore` waits for none
        # Point statements on the event loop's thread (storage/db_point.py); None: all in
        # the database thread (":memory:", read-only, or it could not be opened).
        self._point: sqlite3.Connection | None = None

    async def open(
        self, *, create: bool = True, migrate: bool = True, read_only: bool = False
    ) -> None:
        """Open the connection, set pragmas (WAL, foreign keys, busy timeout) and migrate.

        With `create=False` a missing file is an error instead of a new, empty database;
        `created` tells afterwards whether this call made the file. Raises
        `DatabaseOpenError` for every way the file can be unusable (missing, a directory,
        not SQLite, corrupt, read-only, locked, written by a newer grannvakt, being
        restored); the connection is closed again then, so no background thread keeps the
        process alive. Before migrating an existing database it is backed up next to
        itself (`<path>.pre-migration-<version>-<time>.bak`). `migrate=False` (for
        `grannvakt status`) reads the schema as it is. `read_only=True` (for `grannvakt
        status`; implies neither create nor migrate) opens it with SQLite's `mode=ro` and
        leaves the journal mode as it is, so the file's bytes stay as they are.
        """
        self.created = False
        if read_only:
            create = migrate = False
        if self.path != ":memory:":
            self.created = prepare_file(self.path, create, read_only=read_only)
            self._lock_fd = share_lock(self.path)
        conn: aiosqlite.Connection | None = None
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing is implicit.
            if read_only and self.path != ":memory:":
                conn = await aiosqlite.connect(
                    read_only_uri(self.path), isolation_level=None, uri=True
                )
            else:
                conn = await aiosqlite.connect(self.path, isolation_level=None)
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if migrate:  # before anything is written (WAL mode writes the header too)
                await refuse_another_programs_database(conn, self.path)
            if not read_only:  # setting WAL writes to the file (an empty one becomes 4 KiB)
                async with conn.execute("PRAGMA journal_mode=WAL") as cursor:
                    mode = (await cursor.fetchone() or ("?",))[0]
                if self.path != ":memory:" and str(mode).lower() != "wal":
                    raise sqlite3.OperationalError("attempt to write a readonly database")
            else:  # reads the header: a file that is no database fails here, as above
                await (await conn.execute("PRAGMA user_version")).close()
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            # cache_size and mmap_size stay SQLite's defaults (2 MiB, none): what the
            # delivery worker touches per row is the right edge of the outbox and a few
            # pages of small partial indexes (< 100 pages with 5 M sent rows), and
            # a 64 MiB cache measured no faster there (issue #19); a bigger cache would
            # fill with old rows read once and count as resident memory.
            if migrate:
                await self._migrate(conn)
                # A read-only file or one locked by another writer fails here, not at the
                # first report hours later.
                await conn.execute("BEGIN IMMEDIATE")
                await conn.execute("ROLLBACK")
        except BaseException as exc:
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close()
            self._unlock()
            if self.created:
                remove_if_empty(self.path)
            if isinstance(exc, sqlite3.Error):
                reason, transient = explain_open_error(exc, self.path)
                raise DatabaseOpenError(self.path, reason, transient=transient) from exc
            raise
        self._conn = conn
        if not read_only and self.path != ":memory:":
            try:
                self._point = db_point.open_point_connection(self.path)
            except sqlite3.Error as exc:
                log.warning("point statements run in the database thread (%s)", exc)

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        """Refuse a schema newer than this code; back up, then apply what is missing."""
        async with conn.execute("PRAGMA user_version") as cursor:
            current = int((await cursor.fetchone() or (0,))[0])
        latest = latest_schema_version()
        if current > latest:
            raise DatabaseOpenError(
                self.path,
                f"was written by a newer grannvakt (schema version {current}; this one knows "
                f"up to {latest}): upgrade grannvakt, or restore a backup made before",
            )
        if 0 < current < latest and self.path != ":memory:":
            from datetime import UTC, datetime

            from storage.backup import BackupError, backup_database

            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            dest = Path(f"{self.path}.pre-migration-{current:04d}-{stamp}.bak")
            try:
                result = await asyncio.to_thread(backup_database, self.path, dest)
            except BackupError as exc:
                raise DatabaseOpenError(
                    self.path, f"cannot back up before migrating, so not migrating: {exc}"
                ) from None
            log.info(
                "backed up the database to %s (%d bytes) before migrating it from schema "
                "version %d to %d",
                dest,
                result.size,
                current,
                latest,
            )
        await apply_migrations(conn)

    def _unlock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)

    async def close(self) -> None:
        """Close the connection; waits for a running transaction to finish first."""
        if self._conn is None:
            return
        async with self._write_lock:
            point, self._point = self._point, None
            if point is not None:
                db_point.close_point_connection(point)
            await self._conn.close()
            self._conn = None
            self._unlock()

    async def set_trace_callback(self, callback: Callable[[str], None] | None) -> None:
        """Call `callback(sql)` for every statement either connection of this process
        runs (tests, debugging); None stops it."""
        await self.conn.set_trace_callback(callback)  # type: ignore[arg-type]  # None stops
        if self._point is not None:
            db_point.set_trace(self._point, callback)

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception or cancellation."""
        async with self._write_lock:
            conn = self.conn
            self._writer = asyncio.current_task()
            try:
                # Inside the try: a caller cancelled while BEGIN is on its way must still
                # roll back, or the connection stays in a transaction nobody will end.
                await conn.execute("BEGIN IMMEDIATE")
                yield conn
            except BaseException:
                await _rollback(conn)
                raise
            else:
                await conn.execute("COMMIT")
            finally:
                self._writer = None

    async def execute(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement in its own transaction (one round trip to the database
        thread); returns lastrowid."""

        def work(conn: sqlite3.Connection) -> int:
            return conn.execute(sql, _bind(params)).lastrowid or 0

        return await self.run_transaction(work)

    async def run_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work(connection)` inside BEGIN IMMEDIATE ... COMMIT, in ONE round trip.

        `transaction()` costs a thread hand-off per statement (BEGIN, each statement,
        COMMIT); hot single-record writes instead run all their statements in the database
        thread at once. `work` is plain synchronous sqlite3 code and must not await.
        It goes through aiosqlite's `_execute`, the queue its own public methods use
        (aiosqlite is pinned below 1.0 in pyproject.toml).
        """

        async with self._write_lock:
            self._writer = asyncio.current_task()
            try:
                return await self._transaction_in_thread(work)
            finally:
                self._writer = None

    async def _transaction_in_thread(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`run_transaction`'s thread part; the caller holds the write lock."""

        def in_thread() -> T:
            raw = self.conn._conn
            raw.execute("BEGIN IMMEDIATE")
            try:
                result = work(raw)
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            return result

        result: T = await self.conn._execute(in_thread)
        return result

    async def point_write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`run_transaction` for a write of a few rows found through an index (see
        storage/db_point.py): run on the event loop's thread, without a hand-off. In the
        database thread instead when SQLite would wait (another process writes) or there
        is no point connection. `work` is plain sqlite3 code, a function of the connection
        only (it may run twice: once refused as busy, then in the thread)."""
        async with self._write_lock:
            self._writer = asyncio.current_task()
            try:
                point = self._point
                if point is not None:
                    with contextlib.suppress(db_point.PointBusy):
                        return db_point.write(point, work)
                return await self._transaction_in_thread(work)
            finally:
                self._writer = None

    async def point_reads(
        self, queries: Sequence[tuple[str, Iterable[Any] | dict[str, Any]]]
    ) -> list[list[aiosqlite.Row]]:
        """`fetch_many` for point queries (a few rows through an index, see
        storage/db_point.py): run on the event loop's thread, without a hand-off. They see
        what is committed; inside this task's own open transaction, when SQLite would wait,
        or without a point connection they run in the database thread as `fetch_many`."""
        point = self._point
        if point is not None and self._writer is not asyncio.current_task():
            with contextlib.suppress(db_point.PointBusy):
                return db_point.read(point, [(sql, _bind(params)) for sql, params in queries])
        return await self.fetch_many(queries)

    async def point_read(
        self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
    ) -> list[aiosqlite.Row]:
        """The rows of one point query (`point_reads`)."""
        return (await self.point_reads([(sql, params)]))[0]

    async def _wait_for_other_writer(self) -> None:
        """Let a transaction another task has open finish before reading."""
        if self._write_lock.locked() and self._writer is not asyncio.current_task():
            async with self._write_lock:
                pass

    async def fetch_one(
        self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
    ) -> aiosqlite.Row | None:
        """Run a query and return its first row, or None (one round trip)."""
        await self._wait_for_other_writer()

        def first(conn: sqlite3.Connection) -> Any:
            cursor = conn.execute(sql, _bind(params))
            try:
                return cursor.fetchone()
            finally:
                cursor.close()

        return await self._read(first)

    async def fetch_all(
        self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
    ) -> list[aiosqlite.Row]:
        """Run a query and return all rows (one round trip)."""
        await self._wait_for_other_writer()

        def every(conn: sqlite3.Connection) -> Any:
            return conn.execute(sql, _bind(params)).fetchall()

        return await self._read(every)

    async def fetch_many(
        self, queries: Sequence[tuple[str, Iterable[Any] | dict[str, Any]]]
    ) -> list[list[aiosqlite.Row]]:
        """Run several queries and return the rows of each, in order, in ONE round trip to
        the database thread: the reads of one request then cost one thread hand-off (about
        as much CPU as the queries themselves) instead of one each."""
        await self._wait_for_other_writer()

        def every(conn: sqlite3.Connection) -> Any:
            return [conn.execute(sql, _bind(params)).fetchall() for sql, params in queries]

        return await self._read(every)

    async def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work(connection)` in the database thread: a query with its fetch costs one
        thread hand-off instead of aiosqlite's three (execute, fetch, close the cursor)."""
        conn = self.conn
        result: T = await conn._execute(work, conn._conn)
        return result

    async def fetch_value(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Any:
        """Run a query and return the first column of its first row, or None."""
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


async def _rollback(conn: aiosqlite.Connection) -> None:
    """Roll back the open transaction; aiosqlite runs statements in the order they were
    queued, so this comes after a BEGIN that was queued just before a cancellation."""
    try:
        await conn.execute("ROLLBACK")
    except sqlite3.OperationalError:
        pass  # BEGIN itself failed (e.g. busy): there is nothing to roll back


def latest_schema_version() -> int:
    """The highest migration number this code ships (the schema version it expects)."""
    return max((m.version for m in discover_migrations()), default=0)


def _bind(params: Iterable[Any] | dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
    """Parameters as sqlite3 takes them (a sequence or a mapping)."""
    return params if isinstance(params, dict) else tuple(params)
