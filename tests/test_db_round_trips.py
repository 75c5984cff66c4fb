"""Units: a query with its fetch, and a single write, cost one hand-off to aiosqlite's thread."""

from __future__ import annotations

import pytest


@pytest.fixture
async def db(db):
    """The shared database (tests/conftest.py), seeded for this module."""
    await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    return db


@pytest.fixture
def hand_offs(db, monkeypatch):
    """Counts the functions queued to the connection's thread."""
    queued: list[object] = []
    conn = db.conn
    original = conn._execute

    async def counting(fn, *args, **kwargs):
        queued.append(fn)
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr(conn, "_execute", counting)
    return queued


async def test_each_read_and_single_write_is_one_hand_off(db, hand_offs):
    assert await db.execute("INSERT INTO t (name) VALUES (?)", ["Anna"]) == 1
    assert len(hand_offs) == 1
    await db.execute("INSERT INTO t (name) VALUES (?)", ["Bo"])
    hand_offs.clear()

    row = await db.fetch_one("SELECT name FROM t WHERE id = ?", [2])
    assert row is not None and row["name"] == "Bo"  # rows keep their column names
    assert len(hand_offs) == 1
    assert await db.fetch_one("SELECT name FROM t WHERE id = 99") is None
    assert [r["name"] for r in await db.fetch_all("SELECT name FROM t ORDER BY id")] == [
        "Anna",
        "Bo",
    ]
    assert await db.fetch_value("SELECT COUNT(*) FROM t") == 2
    assert len(hand_offs) == 4


async def test_a_failing_query_raises_and_the_connection_goes_on(db):
    import sqlite3

    with pytest.raises(sqlite3.OperationalError):
        await db.fetch_all("SELECT nope FROM t")
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute("INSERT INTO t (id, name) VALUES (1, 'x'), (1, 'y')")
    assert await db.fetch_value("SELECT COUNT(*) FROM t") == 0  # the failed write rolled back


async def test_several_queries_are_one_hand_off_each_answered_in_order(db, hand_offs):
    await db.execute("INSERT INTO t (name) VALUES ('Anna'), ('Bo')")
    hand_offs.clear()
    first, none, both = await db.fetch_many(
        [
            ("SELECT name FROM t WHERE id = ?", [1]),
            ("SELECT name FROM t WHERE id = ?", [99]),
            ("SELECT name FROM t ORDER BY id DESC", ()),
        ]
    )
    assert [r["name"] for r in first] == ["Anna"] and none == []
    assert [r["name"] for r in both] == ["Bo", "Anna"]
    assert len(hand_offs) == 1


async def test_a_persons_standing_is_no_hand_off_and_the_same_as_the_single_reads(db, hand_offs):
    from datetime import UTC, datetime

    from storage import groups as group_store
    from storage import menus as menu_store
    from storage import roles as role_store
    from storage import users

    now = datetime(2026, 11, 30, tzinfo=UTC)
    await role_store.grant_role(db, 7, "police", "1083", None, now)
    await role_store.grant_role(db, 7, "kommun", "1083", None, now)
    await menu_store.record_menu(db, 7, "sv:police,resident", now)
    hand_offs.clear()
    standing = await users.standing_of(db, 7)
    assert hand_offs == []  # point reads, on the event loop (storage/db_point.py)
    assert standing.grants == await role_store.roles_for_user(db, 7)
    assert standing.groups == await group_store.groups_of_member(db, 7)
    assert standing.menu == await menu_store.menu_of(db, 7) == "sv:police,resident"
    nobody = await users.standing_of(db, 8)
    assert nobody.grants == [] and nobody.groups == [] and nobody.menu is None
