"""Guard: every hot query of the delivery worker is served by an index (issue #19).

The outbox keeps its sent history (millions of rows at national scale); a query that
scans the table or sorts in a temporary b-tree gets slower with every message ever sent.
These tests read SQLite's EXPLAIN QUERY PLAN; they fail when an index is dropped or a
query is changed so that it can no longer use one."""

from __future__ import annotations

import pytest

from storage import alerts as alert_store
from storage import outbox_retention, outbox_worker
from storage.db import Database


async def _plan(db: Database, sql: str) -> list[str]:
    params = (None,) * sql.count("?")
    return [row[3] for row in await db.fetch_all("EXPLAIN QUERY PLAN " + sql, params)]


def _problems(plan: list[str]) -> list[str]:
    """Plan steps that read the outbox without an index, or sort in a temporary b-tree."""
    bad = [step for step in plan if "TEMP B-TREE" in step]
    for step in plan:
        if step.startswith(("SCAN outbox", "SEARCH outbox")) and " USING " not in step:
            bad.append(step)
        if step.startswith("SCAN alert_copies"):
            bad.append(step)
    return bad


@pytest.mark.parametrize("name", sorted(outbox_worker.HOT_QUERIES))
async def test_hot_outbox_query_uses_an_index(db, name):
    plan = await _plan(db, outbox_worker.HOT_QUERIES[name])
    assert plan and not _problems(plan), plan


async def test_claim_uses_the_pending_index_in_claim_order(db):
    plan = await _plan(db, outbox_worker.CLAIM_SQL)
    assert plan == ["SCAN outbox USING INDEX outbox_pending"]


async def test_next_due_time_reads_one_entry_of_the_backoff_index(db):
    # Without outbox_backoff it would read every pending row (a whole broadcast).
    plan = await _plan(db, outbox_worker.NEXT_NOT_BEFORE_SQL)
    assert plan == ["SEARCH outbox USING INDEX outbox_backoff (not_before>?)"]


@pytest.mark.parametrize(
    ("index", "query"),
    [
        ("outbox_pending", "claim"),
        ("outbox_sending", "start-up recovery"),
        ("outbox_due", "count due"),
    ],
)
async def test_the_guard_fails_without_the_index(db, index, query):
    await db.execute(f"DROP INDEX {index}")
    plan = await _plan(db, outbox_worker.HOT_QUERIES[query])
    assert _problems(plan), plan


@pytest.mark.parametrize("name", sorted(alert_store.COPY_QUERIES))
async def test_alert_copy_query_uses_a_key(db, name):
    """An update reads and edits one alert's copies, each delivered copy is recorded and
    checked: by the alert_copies key, whatever the number of alerts ever sent."""
    plan = await _plan(db, alert_store.COPY_QUERIES[name])
    assert plan and not _problems(plan), plan
    if name != "record copy":
        assert any("alert_copies USING PRIMARY KEY" in step for step in plan), plan


@pytest.mark.parametrize(
    ("query", "plan"),
    [
        ("retention probe", ["SEARCH outbox USING INTEGER PRIMARY KEY (rowid>?)"]),
        ("retention window", ["SEARCH outbox USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"]),
        ("retention delete", ["SEARCH outbox USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"]),
    ],
)
async def test_retention_reads_and_deletes_by_primary_key_range(db, query, plan):
    assert await _plan(db, outbox_worker.HOT_QUERIES[query]) == plan


async def test_retention_last_id_reads_one_end_of_the_key(db):
    # The min/max optimisation: "SEARCH outbox" without an index is one key descent.
    assert await _plan(db, outbox_retention.RETENTION_LAST_ID_SQL) == ["SEARCH outbox"]


async def test_the_guard_fails_for_a_retention_delete_without_the_id_range(db):
    """Without the id range (and without the dropped outbox_sent index) the retention
    delete would read the whole outbox: the guard must say so."""
    sql = outbox_retention.RETENTION_DELETE_SQL.replace("id >= ? AND id <= ? AND ", "")
    plan = await _plan(db, sql)
    assert plan == ["SCAN outbox"] and _problems(plan), plan


async def test_marking_a_row_sent_writes_no_index_over_the_sent_history(db):
    """Issue #19: each row marked sent must not add an entry to an index that holds every
    sent row ever (migration 0028 dropped outbox_sent): the only outbox indexes are the
    ones over unfinished rows, failed rows (few) and the (kind, ref_id) lookup, which a
    status change does not touch."""
    indexes = {
        r[0]: r[1]
        for r in await db.fetch_all(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'"
        )
    }
    for name, sql in indexes.items():
        partial = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else None
        assert partial is None or "'sent'" not in partial, (name, sql)
        if partial is None:  # a full index: no column a status change writes
            columns = sql[sql.index("(") + 1 : sql.index(")")]
            assert "status" not in columns and "updated_at" not in columns, (name, sql)


async def test_digest_copies_are_read_by_key(db):
    from storage.digests import _ADDRESSED

    sql = f"SELECT * FROM ({_ADDRESSED}) d WHERE d.group_id IN (1, 2)"
    plan = [
        r[3] for r in await db.fetch_all("EXPLAIN QUERY PLAN " + sql, {"since": "", "until": ""})
    ]
    assert not _problems(plan), plan
    # the period's alerts first, then each one's copies by key
    assert any(step.startswith("SEARCH c USING PRIMARY KEY (alert_id=?") for step in plan), plan
    assert "SEARCH o USING INDEX outbox_ref (kind=? AND ref_id=?)" in plan, plan
