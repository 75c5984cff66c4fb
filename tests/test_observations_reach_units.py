"""Units: who can be written to privately, held notices, the notifications' rules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.clock import FixedClock
from bot.services import observation_held
from bot.services import observation_notices as notices
from bot.services.people import PeopleService
from config import Settings
from storage import observation_reach as reach
from storage import observations as store
from storage import outbox, outbox_worker, roles
from storage.db import Database
from storage.observations import NewObservation, Observation
from tests.scenario import Scenario

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
COORD_A, COORD_B, RESIDENT = 11, 12, 21


class FakeRenderer:
    def notice(self, lang: str, obs: Observation, viewer: str) -> outbox.SendText:
        return outbox.SendText(f"{viewer}:{obs.reference}:{lang}")

    def summary(self, lang: str, observations: list[Observation]) -> outbox.SendText:
        return outbox.SendText("summary:" + ",".join(o.reference for o in observations))

    def unreached(self, lang: str, reference: str) -> outbox.SendText:
        return outbox.SendText(f"unreached:{reference}")


async def _world(db: Database) -> tuple[int, int]:
    """A registered group with two coordinators, and one report in it."""
    group_id = await Scenario(db, NOW).group(
        -100, "Området", title="G", coordinators=[COORD_A, COORD_B]
    )
    new = NewObservation(
        group_id, "0180", RESIDENT, False, "theft", NOW, "Gatan", None, None, False, "x"
    )
    saved = await store.create_observation(db, new, NOW, 2026, NOW, 10)
    assert saved is not None
    return group_id, saved[0]


def test_unreachable_errors():
    assert observation_held.unreachable_error(
        "forbidden: bot can't initiate conversation with a user"
    )
    assert observation_held.unreachable_error("forbidden: bot was blocked by the user")
    assert observation_held.unreachable_error("Chat not found")
    assert not observation_held.unreachable_error("network: Bad Gateway")
    assert not observation_held.unreachable_error(None)


async def test_private_reach_is_remembered_both_ways(db):
    assert not await reach.is_open(db, COORD_A)
    assert await reach.closed_among(db, [COORD_A]) == set()  # unknown is not closed
    await reach.set_open(db, COORD_A, False, NOW)
    assert await reach.closed_among(db, [COORD_A, COORD_B]) == {COORD_A}
    await reach.set_open(db, COORD_A, True, NOW)
    assert await reach.is_open(db, COORD_A) and await reach.closed_among(db, [COORD_A]) == set()


async def test_plan_holds_only_the_known_unreachable(db):
    people = PeopleService(db, FixedClock(NOW), "sv")
    await reach.set_open(db, COORD_B, False, NOW)
    plan = await notices.plan(db, people, [COORD_A, COORD_B, COORD_A])
    assert [r.user_id for r in plan.send] == [COORD_A] and plan.hold == (COORD_B,)
    assert plan.anyone_reachable
    await reach.set_open(db, COORD_A, False, NOW)
    assert not (await notices.plan(db, people, [COORD_A, COORD_B])).anyone_reachable


async def test_the_resident_is_told_once_when_every_coordinator_notice_failed(db):
    _, obs_id = await _world(db)
    clock, people = FixedClock(NOW), PeopleService(db, FixedClock(NOW), "sv")
    rows = [
        outbox.OutgoingMessage(
            1, notices.KIND_COORDINATOR, outbox.SendText("x"), chat_id=c, ref_id=obs_id
        )
        for c in (COORD_A, COORD_B)
    ]
    async with db.transaction() as conn:
        await outbox.enqueue_many(conn, rows, NOW)
    claimed = await outbox_worker.claim_due(db, NOW, 10)
    for row in claimed:
        await outbox_worker.mark_failed(
            db, row.id, "forbidden: bot can't initiate conversation", NOW
        )
    told = await asyncio.gather(
        *(
            observation_held.on_failed(
                db, clock, people, FakeRenderer(), row.kind, row.chat_id, obs_id, row.error
            )
            for row in await outbox.rows_for(db, notices.KIND_COORDINATOR, obs_id)
        )
    )
    assert sorted(told) == [False, True]
    (message,) = await outbox.rows_for(db, notices.KIND_UNREACHED, obs_id)
    assert message.chat_id == RESIDENT and message.message.text == "unreached:O-2026-0001"
    assert await reach.closed_among(db, [COORD_A, COORD_B]) == {COORD_A, COORD_B}
    assert [h.observation_id for h in await reach.held_for(db, COORD_A)] == [obs_id]


async def test_a_failure_while_another_coordinator_may_still_get_it_tells_nobody(db):
    _, obs_id = await _world(db)
    clock, people = FixedClock(NOW), PeopleService(db, FixedClock(NOW), "sv")
    rows = [
        outbox.OutgoingMessage(
            1, notices.KIND_COORDINATOR, outbox.SendText("x"), chat_id=c, ref_id=obs_id
        )
        for c in (COORD_A, COORD_B)
    ]
    async with db.transaction() as conn:
        await outbox.enqueue_many(conn, rows, NOW)
    first = (await outbox_worker.claim_due(db, NOW, 1))[0]
    await outbox_worker.mark_failed(db, first.id, "forbidden: blocked", NOW)
    assert not await observation_held.on_failed(
        db, clock, people, FakeRenderer(), first.kind, first.chat_id, obs_id, "forbidden: blocked"
    )
    assert await outbox.rows_for(db, notices.KIND_UNREACHED, obs_id) == []


async def _admin(chat_id: int, user_id: int) -> bool:
    return True  # Telegram says every coordinator is still an admin


async def test_release_rechecks_the_role_and_removes_what_it_delivers(db):
    group_id, obs_id = await _world(db)
    clock, people = FixedClock(NOW), PeopleService(db, FixedClock(NOW), "sv")
    settings = Settings(_env_file=None, bot_token="1:x")  # type: ignore[call-arg]
    for user in (COORD_A, COORD_B):
        await reach.hold(db, user, obs_id, "coordinator", NOW)
        await reach.hold(db, user, obs_id, "coordinator", NOW)  # held once only
    await roles.revoke_roles(db, COORD_B, "coordinator", str(group_id), None, NOW)
    released = await observation_held.on_private_contact(
        db, settings, clock, people, FakeRenderer(), COORD_A, _admin
    )
    assert released == 1
    rows = [r for r in await outbox.rows_for(db, notices.KIND_COORDINATOR, obs_id)]
    assert [(r.chat_id, r.message.text) for r in rows] == [(COORD_A, "coordinator:O-2026-0001:sv")]
    assert await reach.is_open(db, COORD_A) and await reach.held_for(db, COORD_A) == []
    # No longer a coordinator: nothing is delivered, and nothing stays held.
    assert (
        await observation_held.on_private_contact(
            db, settings, clock, people, FakeRenderer(), COORD_B, _admin
        )
        == 0
    )
    assert await reach.held_for(db, COORD_B) == []


async def test_withdrawing_skips_announcements_not_yet_sent(db):
    from bot.services import observations as svc

    _, obs_id = await _world(db)
    message = outbox.OutgoingMessage(
        1, notices.KIND_COORDINATOR, outbox.SendText("x"), chat_id=COORD_A, ref_id=obs_id
    )
    async with db.transaction() as conn:
        await outbox.enqueue_many(conn, [message], NOW)
    assert await svc.withdraw(db, FixedClock(NOW), RESIDENT, obs_id) is svc.ActionOutcome.DONE
    (row,) = await outbox.rows_for(db, notices.KIND_COORDINATOR, obs_id)
    assert row.status == "skipped"


async def test_a_refused_summary_holds_its_notices_again(db):
    group_id, _ = await _world(db)
    clock, people = FixedClock(NOW), PeopleService(db, FixedClock(NOW), "sv")
    settings = Settings(_env_file=None, bot_token="1:x")  # type: ignore[call-arg]
    ids = []
    for n in range(notices.SUMMARY_OVER + 1):
        new = NewObservation(
            group_id, "0180", RESIDENT, False, "theft", NOW, "Gatan", None, None, False, str(n)
        )
        saved = await store.create_observation(db, new, NOW, 2026, NOW, 99)
        assert saved is not None
        ids.append(saved[0])
        await reach.hold(db, COORD_A, saved[0], "coordinator", NOW)
    assert (
        await observation_held.on_private_contact(
            db, settings, clock, people, FakeRenderer(), COORD_A, _admin
        )
        == 1
    )
    assert await reach.held_for(db, COORD_A) == []
    (row,) = await outbox_worker.claim_due(db, NOW, 10)
    assert row.kind == notices.KIND_SUMMARY and row.message.text.startswith("summary:")
    await observation_held.on_summary_failed(
        db, clock, COORD_A, row.message.meta["held"], "forbidden: blocked"
    )
    assert [h.observation_id for h in await reach.held_for(db, COORD_A)] == ids
    assert await reach.closed_among(db, [COORD_A]) == {COORD_A}
