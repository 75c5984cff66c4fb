"""Point statements on the event loop (storage/db_point.py): no thread hand-off, never a
wait inside SQLite on the event loop, the same answers as the database thread."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from storage import db_point, users
from storage.db import Database

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
async def file_db(tmp_path):
    db = Database(tmp_path / "point.db")
    await db.open()
    yield db
    await db.close()


def _count_hand_offs(db: Database, monkeypatch) -> list[object]:
    calls: list[object] = []
    original = db.conn._execute

    async def counting(fn, *args, **kwargs):
        calls.append(fn)
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr(db.conn, "_execute", counting)
    return calls


async def test_point_statements_run_without_a_hand_off_to_the_database_thread(file_db, monkeypatch):
    hand_offs = _count_hand_offs(file_db, monkeypatch)
    await users.upsert_user(
        file_db, 7, first_name="Anna", last_name=None, username=None,
        telegram_language_code="sv", now=NOW,
    )  # fmt: skip
    record = await users.get_user(file_db, 7)
    standing = await users.standing_of(file_db, 7)
    assert record is not None and record.first_name == "Anna"
    assert standing.grants == [] and standing.groups == []
    assert hand_offs == []
    # What the point connection wrote, the thread's connection reads.
    assert await file_db.fetch_value("SELECT first_name FROM users WHERE telegram_id = 7") == (
        "Anna"
    )


async def test_an_in_memory_database_runs_point_statements_in_the_thread(monkeypatch):
    db = Database(":memory:")
    await db.open()
    try:
        hand_offs = _count_hand_offs(db, monkeypatch)
        await users.upsert_user(
            db, 7, first_name="Bo", last_name=None, username=None,
            telegram_language_code=None, now=NOW,
        )  # fmt: skip
        assert (await users.get_user(db, 7)) is not None
        assert len(hand_offs) == 2
    finally:
        await db.close()


async def test_another_process_writing_makes_point_writes_wait_in_the_thread_not_the_loop(
    file_db, tmp_path
):
    other = sqlite3.connect(tmp_path / "point.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a grannvakt CLI command in the middle of a write
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    write = asyncio.create_task(
        users.upsert_user(
            file_db,
            8,
            first_name="Cilla",
            last_name=None,
            username=None,
            telegram_language_code=None,
            now=NOW,
        )
    )
    await asyncio.sleep(0.3)
    assert not write.done()  # waiting for the other writer ...
    assert ticks >= 10  # ... in the database thread: the event loop went on meanwhile
    other.execute("COMMIT")
    await asyncio.wait_for(write, 10)
    ticking.cancel()
    other.close()
    assert (await users.get_user(file_db, 8)) is not None


async def test_a_point_read_inside_the_tasks_own_transaction_sees_its_writes(file_db):
    async with file_db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (telegram_id, first_name, created_at, updated_at)"
            " VALUES (9, 'Dag', '2026-11-30T12:00:00.000000Z', '2026-11-30T12:00:00.000000Z')"
        )
        record = await users.get_user(file_db, 9)  # the thread's connection: uncommitted
    assert record is not None and record.first_name == "Dag"


async def test_a_failed_point_write_is_rolled_back(file_db):
    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO users (telegram_id, first_name, created_at, updated_at)"
            " VALUES (10, 'Eva', '2026-11-30T12:00:00.000000Z', '2026-11-30T12:00:00.000000Z')"
        )
        raise ValueError("boom")

    with pytest.raises(ValueError):
        await file_db.point_write(half_then_fail)
    assert await users.get_user(file_db, 10) is None
    await file_db.point_write(  # the connection is usable again (no open transaction)
        lambda conn: conn.execute(
            "INSERT INTO users (telegram_id, first_name, created_at, updated_at)"
            " VALUES (10, 'Eva', '2026-11-30T12:00:00.000000Z', '2026-11-30T12:00:00.000000Z')"
        )
    )
    assert await users.get_user(file_db, 10) is not None


async def test_a_scan_run_as_a_point_statement_fails_the_tests(file_db):
    assert db_point.PLAN_CHECK  # tests/conftest.py
    with pytest.raises(db_point.PointScan, match="SCAN users"):
        await file_db.point_read("SELECT * FROM users WHERE first_name = ?", ("Anna",))
    with pytest.raises(db_point.PointScan):
        await file_db.point_write(
            lambda conn: conn.execute("DELETE FROM users WHERE username = 'x'")
        )
    # Through an index it is a point statement.
    assert await file_db.point_read("SELECT * FROM users WHERE telegram_id = ?", (1,)) == []
