"""Updating or withdrawing an alert reaches every copy, wherever its delivery stands."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.services import alert_changes as changes
from bot.services import alerts as service
from bot.services.roles import Access
from storage import alerts as alert_store
from storage import outbox, outbox_worker
from tests.scenario import Scenario

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TZ = ZoneInfo("Europe/Stockholm")
OFFICER = Access(7, False, frozenset(), frozenset({"1083"}))


@pytest.fixture
async def db(db):
    """The shared database (tests/conftest.py), seeded for this module."""
    for n in range(3):
        await Scenario(db, NOW).group(-100 - n, f"Område {n}", "1083", title=f"G{n}")
    return db


async def _alert_with_one_copy_sent_one_on_its_way_one_waiting(db) -> tuple[int, list]:
    alert_id = await Scenario(db, NOW).alert(OFFICER, "Inbrott på <Ågatan>")
    sent, on_its_way = (
        (await outbox_worker.claim_due(db, NOW, 1))[0],
        (await outbox_worker.claim_due(db, NOW, 1))[0],
    )
    await outbox_worker.mark_sent(db, sent.id, 11, NOW)
    rows = await outbox.rows_for(db, service.KIND_ALERT, alert_id)
    assert [r.status for r in rows] == ["sent", "sending", "pending"]
    assert on_its_way.id == rows[1].id
    return alert_id, rows


async def _edits(db, alert_id) -> list:
    return await outbox.rows_for(db, service.KIND_EDIT, alert_id)


async def test_withdraw_edits_sent_copies_cancels_waiting_and_catches_up_in_flight(db):
    (
        alert_id,
        (sent, on_its_way, waiting),
    ) = await _alert_with_one_copy_sent_one_on_its_way_one_waiting(db)
    edited = await changes.withdraw(db, FixedClock(NOW), TZ, OFFICER, alert_id)
    assert edited == 1
    edits = await _edits(db, alert_id)
    assert [(e.group_id, e.message.message_id) for e in edits] == [(sent.group_id, 11)]
    assert "&lt;Ågatan&gt;" in edits[0].message.text  # the officer's text stays escaped
    assert (await outbox.get_row(db, waiting.id)).status == "skipped"  # never sent

    # The copy that was on its way arrives: it is edited too, exactly once.
    await outbox_worker.mark_sent(db, on_its_way.id, 22, NOW)
    assert await changes.follow_up_edit(db, FixedClock(NOW), TZ, on_its_way.id)
    assert not await changes.follow_up_edit(db, FixedClock(NOW), TZ, on_its_way.id)
    assert not await changes.follow_up_edit(db, FixedClock(NOW), TZ, sent.id)
    edits = await _edits(db, alert_id)
    assert sorted(e.message.message_id for e in edits) == [11, 22]

    stats = await alert_store.alert_stats(db, alert_id)
    assert (stats.delivered, stats.inactive, stats.withdrawn_unsent) == (2, 0, 1)
    assert "drogs tillbaka: 1" in service.render_report(stats, [])


async def test_update_rewrites_waiting_copies_and_edits_delivered_ones(db):
    (
        alert_id,
        (sent, on_its_way, waiting),
    ) = await _alert_with_one_copy_sent_one_on_its_way_one_waiting(db)
    edited = await changes.send_update(
        db, FixedClock(NOW), TZ, OFFICER, alert_id, "En person gripen"
    )
    assert edited == 1
    waiting_now = await outbox.get_row(db, waiting.id)
    assert waiting_now.status == "pending" and "En person gripen" in waiting_now.message.text
    assert not await changes.follow_up_edit(db, FixedClock(NOW), TZ, sent.id)

    await outbox_worker.mark_sent(db, on_its_way.id, 22, NOW)
    assert await changes.follow_up_edit(db, FixedClock(NOW), TZ, on_its_way.id)
    edit_22 = [e for e in await _edits(db, alert_id) if e.message.message_id == 22]
    assert len(edit_22) == 1 and "En person gripen" in edit_22[0].message.text

    await outbox_worker.mark_sent(db, waiting.id, 33, NOW)  # went out already updated
    assert not await changes.follow_up_edit(db, FixedClock(NOW), TZ, waiting.id)


async def test_unchanged_alert_needs_no_follow_up(db):
    alert_id = await Scenario(db, NOW).alert(OFFICER, "Cykelstölder", category="theft")
    row = (await outbox_worker.claim_due(db, NOW, 1))[0]
    await outbox_worker.mark_sent(db, row.id, 5, NOW)
    assert not await changes.follow_up_edit(db, FixedClock(NOW), TZ, row.id)
    assert await _edits(db, alert_id) == []
