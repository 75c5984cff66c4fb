"""The weekly digest as issue #13 asks: alerts count groups (not copies), a withdrawn alert
is shown as withdrawn, "iakttagelser" throughout, and a kommun's groups are named with
their figures; in Swedish and English."""

from __future__ import annotations

import datetime as dt

from bot.clock import FixedClock
from bot.digest_scheduler import digest_scheduler_of
from bot.services import digests as svc
from storage import alerts as alert_store
from storage import digests as store
from storage import roles as role_store
from tests.harness import BotHarness
from tests.privacy_helpers import settled
from tests.scenario import Scenario
from tests.test_digests import (
    IN_PERIOD,
    MONDAY_0800,
    PERIOD_START,
    make_group,
    observe,
    send_alert,
    week49,
)

POLICE = 501


async def _police_digest(db) -> svc.Digest:
    await role_store.grant_role(db, POLICE, "police", "1083", None, PERIOD_START)
    recipients = [r for r in await store.pending_recipients(db, "2026-W49") if r.user_id == POLICE]
    (digest,) = await svc.collect(db, recipients, PERIOD_START, MONDAY_0800)
    return digest


async def test_two_alerts_to_the_one_group_of_a_kommun_count_one_group(db):
    only = await make_group(db, -7, "Hamnen", "1083")
    await observe(db, only, "theft", IN_PERIOD, kommun="1083")
    first, _ = await send_alert(db, [only], IN_PERIOD, delivered=1)
    await send_alert(db, [only], IN_PERIOD, delivered=1)
    async with db.transaction() as conn:
        assert await alert_store.set_withdrawn(conn, first, IN_PERIOD)
    digest = await _police_digest(db)
    (kommun,) = digest.kommuner
    assert kommun.alerts is not None
    assert (kommun.alerts.targeted, kommun.alerts.delivered, kommun.alerts.withdrawn) == (1, 1, 1)
    sv = svc.render(digest, week49(), "sv")
    assert "Larm: 2 till 1 grupp, nådde 1" in sv and "(varav 1 återkallat)" in sv
    assert "Iakttagelser i grupperna: 1" in sv and "bservation" not in sv
    assert "• Hamnen: 1 iakttagelse, 2 larm" in sv
    en = svc.render(digest, week49(), "en")
    assert "Alerts: 2 to 1 group, reached 1" in en and "(1 of them withdrawn)" in en
    assert "• Hamnen: 1 observation, 2 alerts" in en


async def test_coordinator_part_says_iakttagelser_and_withdrawn(db):
    group = await make_group(db, -8, "Ekbacken", "1083")
    await role_store.grant_role(db, 502, "coordinator", str(group), None, PERIOD_START)
    await observe(db, group, "theft", IN_PERIOD, kommun="1083")
    await observe(db, group, "other", IN_PERIOD, kommun="1083")
    alert, _ = await send_alert(db, [group], IN_PERIOD, delivered=1)
    async with db.transaction() as conn:
        assert await alert_store.set_withdrawn(conn, alert, IN_PERIOD)
    recipients = [r for r in await store.pending_recipients(db, "2026-W49") if r.user_id == 502]
    (digest,) = await svc.collect(db, recipients, PERIOD_START, MONDAY_0800)
    sv = svc.render(digest, week49(), "sv")
    assert "Iakttagelser: 2" in sv and "Observationer" not in sv
    assert "Larm: 1, lästa av 0 personer (varav 1 återkallat)" in sv
    en = svc.render(digest, week49(), "en")
    assert "Alerts: 1, read by 0 people (1 of them withdrawn)" in en


def test_one_person_reads_in_the_singular():
    from storage.digests import AlertCounts

    group = svc.GroupSummary(1, "Ek", {"theft": 1}, {"new": 1}, 0, AlertCounts(1, 1, 1, 1))
    sv = svc.render(svc.Digest(7, [group], []), week49(), "sv")
    assert "lästa av 1 person\n" in sv + "\n" or "lästa av 1 person" in sv
    assert "1 personer" not in sv


async def test_e2e_digest_waits_for_a_coordinator_who_never_opened_the_chat(emu, tmp_path):
    """Telegram refuses the digest (never opened the private chat): it is held and
    delivered on the person's first private message, once, in their language."""
    clock = FixedClock(MONDAY_0800 + dt.timedelta(minutes=1))
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    sven, eve = emu.add_user("Sven"), emu.add_user("Eve", "en")  # neither started the bot
    await harness.start()
    try:
        db = harness.services.db
        a = await make_group(db, -10, "Ekbacken")
        world = Scenario(db, PERIOD_START)
        await world.coordinator(sven, a)
        await world.police(eve, "0180")
        await world.person(eve, "Eve", "en")
        await observe(db, a, "theft", IN_PERIOD)
        assert (await digest_scheduler_of(harness.app).tick()).enqueued == 2
        await harness.services.delivery.wait_idle()
        assert await db.fetch_value("SELECT COUNT(*) FROM held_digests") == 2
        assert emu.sent_messages(sven.id) == []
        await emu.send_text(sven, "/start")
        sv = await emu.wait_for_message(sven.id, lambda m: "lägesbild" in m.text)
        assert "Iakttagelser: 1" in sv.content
        await emu.send_text(eve, "/help")
        en = await emu.wait_for_message(eve.id, lambda m: "situation report" in m.text)
        assert "Ekbacken: 1 observation" in en.content
        await emu.send_text(sven, "/hjalp")  # a second message: no second digest
        await harness.services.delivery.wait_idle()
        assert len([m for m in emu.sent_messages(sven.id) if "lägesbild" in m.text]) == 1
        assert await db.fetch_value("SELECT COUNT(*) FROM held_digests") == 0
    finally:
        await harness.stop()


async def test_e2e_a_digest_held_before_the_role_was_revoked_is_dropped(emu, tmp_path):
    """Held for a coordinator who never opened the chat; the role is revoked meanwhile: the
    person's first private message gets its answer and no digest, and nothing waits on."""
    clock = FixedClock(MONDAY_0800 + dt.timedelta(minutes=1))
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    sven = emu.add_user("Sven")  # never started the bot
    await harness.start()
    try:
        db = harness.services.db
        a = await make_group(db, -10, "Ekbacken")
        await Scenario(db, PERIOD_START).coordinator(sven, a)
        await observe(db, a, "theft", IN_PERIOD)
        assert (await digest_scheduler_of(harness.app).tick()).enqueued == 1
        await harness.services.delivery.wait_idle()
        assert await db.fetch_value("SELECT COUNT(*) FROM held_digests") == 1
        await role_store.revoke_roles(db, sven.id, None, None, None, clock.now())
        await emu.send_text(sven, "/hjalp")
        await emu.wait_for_message(sven.id)
        await settled(emu, db)  # the update handled to the end (the hook runs after /hjalp)
        assert all("lägesbild" not in m.text for m in emu.sent_messages(sven.id))
        assert await db.fetch_value("SELECT COUNT(*) FROM held_digests") == 0
    finally:
        await harness.stop()
