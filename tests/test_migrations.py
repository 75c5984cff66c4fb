"""The migration runner: an empty database gets the whole schema; re-running does nothing."""

import aiosqlite

from storage.db import Database
from storage.migrations import apply_migrations, discover_migrations


async def test_empty_database_is_migrated_to_latest(tmp_path):
    db = Database(tmp_path / "fresh.db")
    await db.open()
    try:
        version = await db.fetch_value("PRAGMA user_version")
        assert version == discover_migrations()[-1].version
        assert await db.fetch_value("PRAGMA journal_mode") == "wal"
        assert await db.fetch_value("PRAGMA foreign_keys") == 1
        tables = {r[0] for r in await db.fetch_all("SELECT name FROM sqlite_master")}
        assert "users" in tables
    finally:
        await db.close()


async def test_rerunning_migrations_is_a_no_op(tmp_path):
    path = tmp_path / "again.db"
    db = Database(path)
    await db.open()
    await db.close()
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        assert await apply_migrations(conn) == []
    db = Database(path)
    await db.open()  # opening again must not fail on existing tables
    await db.close()


async def test_migration_numbers_are_unique_and_increasing():
    versions = [m.version for m in discover_migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1


async def test_failed_transaction_rolls_back(tmp_path):
    db = Database(tmp_path / "tx.db")
    await db.open()
    try:
        try:
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (telegram_id, created_at, updated_at) VALUES (1, 'x', 'x')"
                )
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert await db.fetch_value("SELECT COUNT(*) FROM users") == 0
    finally:
        await db.close()


async def test_failing_migration_leaves_schema_and_version_untouched(tmp_path, monkeypatch):
    import storage.migrations as runner

    good = runner.Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    bad = runner.Migration(
        2, "0002_b.sql", "CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);"
    )
    monkeypatch.setattr(runner, "discover_migrations", lambda: [good, bad])
    async with aiosqlite.connect(tmp_path / "m.db", isolation_level=None) as conn:
        try:
            await runner.apply_migrations(conn)
        except Exception:
            pass
        else:
            raise AssertionError("the broken migration must raise")
        async with conn.execute("PRAGMA user_version") as cur:
            assert (await cur.fetchone())[0] == 1
        async with conn.execute("SELECT name FROM sqlite_master WHERE type='table'") as cur:
            names = {row[0] for row in await cur.fetchall()}
        assert names == {"a"}


async def test_one_round_trip_transaction_stays_out_of_another_and_rolls_back(tmp_path):
    import asyncio

    db = Database(tmp_path / "atomic.db")
    await db.open()
    try:
        inserted = None

        async def rolled_back():
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (telegram_id, created_at, updated_at) VALUES (1, 'x', 'x')"
                )
                await asyncio.sleep(0.05)  # the other write is attempted meanwhile
                raise RuntimeError("roll back")

        def insert_two(conn):
            conn.execute(
                "INSERT INTO users (telegram_id, created_at, updated_at) VALUES (2, 'y', 'y')"
            )
            return conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]

        async def in_one_round_trip():
            nonlocal inserted
            await asyncio.sleep(0.01)
            inserted = await db.run_transaction(insert_two)

        results = await asyncio.gather(rolled_back(), in_one_round_trip(), return_exceptions=True)
        assert isinstance(results[0], RuntimeError)
        assert inserted == 1  # user 1 was never visible: the other transaction rolled back
        assert [r[0] for r in await db.fetch_all("SELECT telegram_id FROM users")] == [2]

        def fail_half_way(conn):
            conn.execute(
                "INSERT INTO users (telegram_id, created_at, updated_at) VALUES (3, 'z', 'z')"
            )
            raise ValueError("second statement failed")

        try:
            await db.run_transaction(fail_half_way)
        except ValueError:
            pass
        assert [r[0] for r in await db.fetch_all("SELECT telegram_id FROM users")] == [2]
    finally:
        await db.close()


async def test_transaction_cancelled_during_begin_leaves_no_open_transaction(tmp_path):
    import asyncio

    db = Database(tmp_path / "cancel.db")
    await db.open()
    try:
        for _ in range(20):

            async def slow_writer():
                async with db.transaction() as conn:
                    await conn.execute(
                        "INSERT INTO users (telegram_id, created_at, updated_at)"
                        " VALUES (9, 'x', 'x')"
                    )
                    await asyncio.sleep(1)

            task = asyncio.create_task(slow_writer())
            await asyncio.sleep(0)  # it holds the lock and waits for BEGIN
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            assert not db.conn.in_transaction
            await db.execute(
                "INSERT OR REPLACE INTO users (telegram_id, created_at, updated_at)"
                " VALUES (1, 'y', 'y')"
            )
        assert [r[0] for r in await db.fetch_all("SELECT telegram_id FROM users")] == [1]
    finally:
        await db.close()
