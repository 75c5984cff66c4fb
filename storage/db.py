"""The single aiosqlite connection of the process, its pragmas, and transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.migrations import apply_migrations

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


class Database:
    """One connection for the whole process.

    SQLite allows one writer at a time, and aiosqlite runs every statement on one
    background thread, so sharing a single connection is both simplest and fastest.
    `transaction()` serialises writers with an asyncio lock so that two coroutines never
    interleave statements inside each other's BEGIN...COMMIT. Reads from other coroutines
    wait while a transaction is open: on the shared connection they would otherwise see
    its uncommitted, possibly half-done (or later rolled back) writes.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._writer: asyncio.Task[Any] | None = None  # the task inside a transaction

    async def open(self) -> None:
        """Open the connection, set pragmas (WAL, foreign keys, busy timeout) and migrate."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing is implicit.
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await apply_migrations(self._conn)

    async def close(self) -> None:
        """Close the connection; waits for a running transaction to finish first."""
        if self._conn is None:
            return
        async with self._write_lock:
            await self._conn.close()
            self._conn = None

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
        """Run one write statement in its own transaction; returns lastrowid."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.lastrowid or 0

    async def run_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work(connection)` inside BEGIN IMMEDIATE ... COMMIT, in ONE round trip.

        `transaction()` costs a thread hand-off per statement (BEGIN, each statement,
        COMMIT); hot single-record writes instead run all their statements in the database
        thread at once. `work` is plain synchronous sqlite3 code and must not await.
        It goes through aiosqlite's `_execute`, the queue its own public methods use
        (aiosqlite is pinned below 1.0 in pyproject.toml).
        """

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

        async with self._write_lock:
            self._writer = asyncio.current_task()
            try:
                return await self.conn._execute(in_thread)
            finally:
                self._writer = None

    async def _wait_for_other_writer(self) -> None:
        """Let a transaction another task has open finish before reading."""
        if self._write_lock.locked() and self._writer is not asyncio.current_task():
            async with self._write_lock:
                pass

    async def fetch_one(
        self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
    ) -> aiosqlite.Row | None:
        """Run a query and return its first row, or None."""
        await self._wait_for_other_writer()
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(
        self, sql: str, params: Iterable[Any] | dict[str, Any] = ()
    ) -> list[aiosqlite.Row]:
        """Run a query and return all rows."""
        await self._wait_for_other_writer()
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

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
