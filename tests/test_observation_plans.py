"""Observation listings at scale: the query plans use their indexes, and the per-group
newest-first walks give exactly the page a plain query would.

The plan guards run the storage functions themselves (the SQL is captured with SQLite's
trace callback) and ask `EXPLAIN QUERY PLAN` for it, on a database without statistics
(the bot never runs ANALYZE). They fail if migration 0014's indexes are dropped or
narrowed, or if a listing goes back to sorting every row of a group.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest

from storage import observation_lists
from storage import observations as store
from storage.db import Database
from storage.timeutil import to_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
STATUSES = ("new", "reviewed", "forwarded", "closed", "withdrawn")
CATEGORIES = ("burglary", "theft", "other")


async def _plans_of(db: Database, call) -> list[str]:
    """EXPLAIN QUERY PLAN of every SELECT the storage call runs, one line per plan."""
    statements: list[str] = []
    await db.set_trace_callback(statements.append)
    try:
        await call()
    finally:
        await db.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects, "the call ran no SELECT"
    plans = []
    for sql in selects:
        rows = await db.fetch_all("EXPLAIN QUERY PLAN " + sql)
        plans.append(" | ".join(row[3] for row in rows))
    return plans


LISTING_SHAPES = list(
    itertools.product(
        ([7], [7, 8, 9]),  # one group; a coordinator of three
        (None, "forwarded"),
        (None, "theft"),
        (None, NOW - timedelta(days=30)),
    )
)


@pytest.mark.parametrize(("groups", "status", "category", "since"), LISTING_SHAPES)
async def test_listing_walks_a_covering_index_per_group(db, groups, status, category, since):
    (plan,) = await _plans_of(
        db,
        lambda: observation_lists.list_for_groups(
            db, groups, status=status, category=category, since=since, limit=6, offset=10
        ),
    )
    index = "observations_group_status" if status else "observations_group"
    walks = plan.count(f"SEARCH observations USING COVERING INDEX {index} (group_id=?")
    assert walks == len(groups), plan
    assert "SCAN observations" not in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("codes", [["0180"], ["0180", "1083", "1290"]])
async def test_inbox_walks_the_inbox_index_per_kommun(db, codes):
    (plan,) = await _plans_of(db, lambda: observation_lists.inbox(db, codes, limit=6, offset=5))
    walks = plan.count(
        "SEARCH observation_forwards USING COVERING INDEX observation_forwards_inbox"
        " (kommun_code=?)"
    )
    assert walks == len(codes), plan
    assert "SCAN" not in plan.replace("SCAN (subquery", ""), plan


async def test_detail_reads_by_key_only(db):
    plans = await _plans_of(db, lambda: store.get_observation(db, 1))
    assert len(plans) == 1  # no such observation: photos and notes are not read
    assert "SEARCH o USING INTEGER PRIMARY KEY" in plans[0], plans
    group = await db.fetch_value(
        "INSERT INTO groups (chat_id, title, created_at, updated_at) VALUES (-1, 'G', ?, ?)"
        " RETURNING id",
        (to_db(NOW), to_db(NOW)),
    )
    await _insert(db, [(1, group, "new", "theft", NOW)])
    plans = await _plans_of(db, lambda: store.get_observation(db, 1))
    joined = " || ".join(plans)
    assert "INDEX observation_photos_obs (observation_id=?)" in joined, plans
    assert "INDEX observation_notes_obs (observation_id=?)" in joined, plans
    assert "SCAN o" not in joined and "SCAN observation" not in joined, plans


async def test_plan_guard_fails_without_the_listing_index(db):
    """The guard can fail: with 0004's narrow index back, the walk is no longer covering."""
    await db.conn.execute("DROP INDEX observations_group")
    await db.conn.execute("CREATE INDEX observations_group ON observations (group_id, id)")
    (plan,) = await _plans_of(
        db,
        lambda: observation_lists.list_for_groups(
            db, [7], status=None, category="theft", since=None, limit=6, offset=0
        ),
    )
    assert "COVERING INDEX observations_group" not in plan, plan


async def _insert(db: Database, rows: list[tuple[int, int, str, str, datetime]]) -> None:
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO observations (id, ref_year, ref_number, group_id, kommun_code,"
            " reporter_id, category, observed_at, description, status, created_at,"
            " updated_at) VALUES (?, 2026, ?, ?, '0180', 1, ?, ?, 'x', ?, ?, ?)",
            [
                (i, i, g, cat, to_db(at), status, to_db(at), to_db(at))
                for i, g, status, cat, at in rows
            ],
        )


async def test_listing_pages_match_a_plain_query_across_groups(db):
    rng = random.Random(5)
    stamp = to_db(NOW)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO groups (id, chat_id, title, created_at, updated_at)"
            " VALUES (?, ?, 'G', ?, ?)",
            [(g, -g, stamp, stamp) for g in range(1, 5)],
        )
    # Ids are not in time order everywhere (a late import), so since is a real filter.
    rows = [
        (
            i,
            rng.randint(1, 4),
            rng.choice(STATUSES),
            rng.choice(CATEGORIES),
            NOW - timedelta(days=rng.randint(0, 90)),
        )
        for i in range(1, 400)
    ]
    await _insert(db, rows)
    for groups, status, category, days in itertools.product(
        ([2], [1, 3, 4]), (None, "new"), (None, "theft"), (None, 20)
    ):
        since = NOW - timedelta(days=days) if days else None
        expected = sorted(
            (
                i
                for i, g, s, c, at in rows
                if g in groups
                and (s == status if status else s != "withdrawn")
                and (category is None or c == category)
                and (since is None or at >= since)
            ),
            reverse=True,
        )
        for offset in (0, 6, 12, 60):
            page = await observation_lists.list_for_groups(
                db, groups, status=status, category=category, since=since, limit=6, offset=offset
            )
            assert [item.id for item in page] == expected[offset : offset + 6]


async def test_inbox_pages_match_a_plain_query_across_kommuner(db):
    rng = random.Random(6)
    stamp = to_db(NOW)
    await db.execute(
        "INSERT INTO groups (id, chat_id, title, created_at, updated_at) VALUES (1, -1, 'G', ?, ?)",
        (stamp, stamp),
    )
    await _insert(db, [(i, 1, "forwarded", "theft", NOW) for i in range(1, 120)])
    forwards = [
        (i, rng.choice(["0180", "1083", "1290"]), NOW - timedelta(minutes=rng.randint(0, 30)))
        for i in range(1, 120)
    ]
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO observation_forwards (observation_id, kommun_code, forwarded_by,"
            " forwarded_at) VALUES (?, ?, 1, ?)",
            [(i, k, to_db(at)) for i, k, at in forwards],
        )
    for codes in (["1083"], ["0180", "1290"], ["0180", "1083", "1290"]):
        expected = [
            i
            for i, k, at in sorted(forwards, key=lambda f: (f[2], f[0]), reverse=True)
            if k in codes
        ]
        for offset in (0, 5, 30, 100):
            page = await observation_lists.inbox(db, codes, limit=6, offset=offset)
            assert [item.id for item in page] == expected[offset : offset + 6]
