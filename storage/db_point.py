"""A second SQLite connection, on the event loop's own thread, for point statements.

A *point* statement reads or writes a handful of rows found through an index (a person
by id, their roles, a group by chat id): SQLite runs it in tens of microseconds. Sent to
aiosqlite's thread, the same statement costs far more than that in CPU, because with the
event loop busy (people's updates, HTTP to Telegram) the GIL passes between the two
threads a dozen times per hand-off. In bench.updates that hand-off, once per update, was
the largest single cost of grannvakt's update processing (issue #19).

So `Database.point_reads` and `Database.point_write` run such statements here, directly,
and everything else (scans, aggregates, exports, migrations, batches) stays in the
database thread, where a slow statement cannot hold up anybody's answer.

This connection never makes the event loop wait:

* `busy_timeout` is 0: when SQLite would have to wait (another process, such as a
  `grannvakt` CLI command, holds the write lock), the statement fails at once with
  SQLITE_BUSY and the caller runs it in the database thread instead, which waits there
  with the normal busy timeout (`PointBusy`);
* `wal_autocheckpoint` is 0: checkpoints (copying the WAL into the file, some
  milliseconds) are left to the database thread's commits;
* writers are serialised with the thread's by `Database`'s asyncio write lock, so the
  two connections of this process never wait for each other inside SQLite.

With `PLAN_CHECK` on (the test suite turns it on in tests/conftest.py), every statement
this connection runs is checked with EXPLAIN QUERY PLAN, and one that scans a table or a
whole index raises `PointScan`: a statement that is not a point statement fails the
tests instead of holding up the event loop in production.

A point read sees what is committed (not another task's open transaction, which is still
invisible to everyone else, as in any other process).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# SQLITE_BUSY and SQLITE_LOCKED, also as extended codes (SQLITE_BUSY_SNAPSHOT, ...)
_WAIT_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


# Check every statement's plan (tests); see the module docstring.
PLAN_CHECK = False


class PointBusy(Exception):
    """The statement would have had to wait: run it in the database thread instead."""


class PointScan(AssertionError):
    """A statement run as a point statement scans (only raised with PLAN_CHECK on)."""


def open_point_connection(path: str) -> sqlite3.Connection:
    """The point connection to the database file at `path` (already opened, migrated and
    in WAL mode by the main connection). Raises sqlite3.Error."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=True)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=0")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
    except BaseException:
        conn.close()
        raise
    _install_trace(conn)
    return conn


_traced: dict[int, list[str]] = {}  # id(connection) -> statements since the last check
_observers: dict[int, Callable[[str], None]] = {}  # id(connection) -> set_trace's callback


def close_point_connection(conn: sqlite3.Connection) -> None:
    """Close the connection (and forget what was traced of it)."""
    _traced.pop(id(conn), None)
    _observers.pop(id(conn), None)
    conn.close()


def set_trace(conn: sqlite3.Connection, callback: Callable[[str], None] | None) -> None:
    """Call `callback(sql)` for each statement the connection runs (None: stop)."""
    if callback is None:
        _observers.pop(id(conn), None)
    else:
        _observers[id(conn)] = callback
    _install_trace(conn)


def _install_trace(conn: sqlite3.Connection) -> None:
    key = id(conn)
    if not PLAN_CHECK and key not in _observers:
        conn.set_trace_callback(None)
        return

    def trace(sql: str) -> None:
        if PLAN_CHECK:
            _traced.setdefault(key, []).append(sql)
        observer = _observers.get(key)
        if observer is not None:
            observer(sql)

    conn.set_trace_callback(trace)


def _statements_of(conn: sqlite3.Connection) -> list[str]:
    return _traced.setdefault(id(conn), [])


def _check_plans(conn: sqlite3.Connection) -> None:
    """Raise PointScan if a statement run since the last check scans (PLAN_CHECK only)."""
    statements = _statements_of(conn)
    if not PLAN_CHECK or not statements:
        return
    seen, statements[:] = list(statements), []
    conn.set_trace_callback(None)
    try:
        for sql in seen:
            head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
            if head in ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "EXPLAIN"):
                continue
            for row in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall():
                detail = str(row[3])
                if detail.startswith("SCAN ") and not detail.startswith("SCAN CONSTANT"):
                    raise PointScan(f"not a point statement ({detail}): {sql.strip()[:300]}")
    finally:
        _install_trace(conn)


def read(
    conn: sqlite3.Connection, queries: Sequence[tuple[str, tuple[Any, ...] | dict[str, Any]]]
) -> list[list[sqlite3.Row]]:
    """The rows of each query, in order. Raises PointBusy when SQLite would wait."""
    try:
        rows = [conn.execute(sql, params).fetchall() for sql, params in queries]
    except sqlite3.OperationalError as exc:
        if _would_wait(exc):
            raise PointBusy(str(exc)) from exc
        raise
    _check_plans(conn)
    return rows


def write(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work(conn)` inside BEGIN IMMEDIATE ... COMMIT; rolled back on any error. Raises
    PointBusy (after the rollback) when SQLite would wait, so the caller can run the same
    `work` elsewhere: it must be a function of the connection only."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _would_wait(exc):
            raise PointBusy(str(exc)) from exc
        raise
    try:
        result = work(conn)
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and _would_wait(exc):
            raise PointBusy(str(exc)) from exc
        raise
    _check_plans(conn)
    return result


def _would_wait(exc: sqlite3.OperationalError) -> bool:
    return (exc.sqlite_errorcode & 0xFF) in _WAIT_CODES  # the primary code of an extended one
