"""Units: forum topics in storage, the notice service and the delivery worker (issue 9 §6)."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest

from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services import group_topics
from bot.services.groups import register
from storage import groups as group_store
from storage import outbox
from storage import roles as role_store
from storage import users as user_store
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText
from tests.actors import person, telegram_admin
from tests.test_delivery import NOW, FakeBot, _enqueue, _run_until_idle, _worker


async def _registered(db: Database, chat_id: int, coordinator: int, thread: int | None) -> int:
    await user_store.upsert_user(
        db,
        coordinator,
        first_name="Cora",
        last_name=None,
        username=None,
        telegram_language_code="en",
        now=NOW,
    )
    result = await register(
        db,
        NOW,
        chat_id=chat_id,
        title="Forum",
        area_name="Hill <Top>",
        kommun_code="0180",
        actor=person(coordinator),
        is_chat_admin=telegram_admin,
        message_thread_id=thread,
    )
    return result.group.id


@pytest.mark.parametrize(
    ("description", "topic", "key"),
    [
        ("Topic_closed", None, "grp.topic.closed_general"),
        ("Bad Request: TOPIC_CLOSED", 7, "grp.topic.closed"),
        ("Topic_deleted", 7, "grp.topic.gone"),
        ("Message thread not found", 7, "grp.topic.gone"),
    ],
)
def test_topic_errors_are_recognised(description, topic, key):
    assert group_topics.is_topic_error(description)
    assert group_topics.notice_key(description, topic) == key


@pytest.mark.parametrize("description", ["Chat not found", "Message is too long", "injected"])
def test_other_errors_are_not_topic_errors(description):
    assert not group_topics.is_topic_error(description)


async def test_registration_remembers_the_topic_and_reregistration_moves_it(db):
    gid = await _registered(db, -100_1, 42, thread=7)
    assert (await group_store.get_group(db, gid)).message_thread_id == 7
    await _registered(db, -100_1, 42, thread=None)
    assert (await group_store.get_group(db, gid)).message_thread_id is None


async def test_coordinators_are_told_once_per_problem(db):
    gid = await _registered(db, -100_2, 42, thread=7)
    await role_store.grant_role(db, 43, "coordinator", str(gid), 42, NOW)
    group = await group_store.get_group(db, gid)
    assert await group_topics.topic_unavailable(db, NOW, group, "Topic_closed")
    rows = await db.fetch_all("SELECT chat_id, kind, payload FROM outbox ORDER BY chat_id")
    assert [(r["chat_id"], r["kind"]) for r in rows] == [(42, "notice"), (43, "notice")]
    assert "Hill &lt;Top&gt;" in rows[0]["payload"]  # escaped, in Cora's language (en)
    assert "the topic where I post alerts and tips is closed" in rows[0]["payload"]
    # The stored problem stops a second notice, also from a stale group record.
    assert not await group_topics.topic_unavailable(db, NOW, group, "Topic_closed")
    fresh = await group_store.get_group(db, gid)
    assert fresh.topic_error == "Topic_closed"
    assert not await group_topics.topic_unavailable(db, NOW, fresh, "Topic_closed")
    assert await db.fetch_value("SELECT COUNT(*) FROM outbox") == 2
    # Posting works again: a later problem is told again.
    await group_topics.topic_works(db, NOW, fresh)
    assert await group_topics.topic_unavailable(
        db, NOW, await group_store.get_group(db, gid), "Topic_deleted"
    )
    assert await db.fetch_value("SELECT COUNT(*) FROM outbox") == 4


async def test_choosing_a_topic_clears_the_problem_and_is_audited(db):
    gid = await _registered(db, -100_3, 42, thread=None)
    group = await group_store.get_group(db, gid)
    await group_topics.topic_unavailable(db, NOW, group, "Topic_closed")
    await group_topics.choose_topic(db, NOW, person(42, coordinates=[gid]), telegram_admin, gid, 9)
    group = await group_store.get_group(db, gid)
    assert group.message_thread_id == 9 and group.topic_error is None
    actions = [e.action for e in await role_store.audit_entries(db)]
    assert "group.topic" in actions


async def test_worker_sends_into_the_topic_and_fails_a_closed_one_telling_once(db):
    gid = await _registered(db, -100_4, 42, thread=7)
    bot = FakeBot(script={-100_4: [BadRequest("Topic_closed"), BadRequest("Topic_closed")]})
    tips = [
        OutgoingMessage(PRIORITY_SCHEDULED, "tip", SendText(f"tip {n}"), group_id=gid, ref_id=n)
        for n in (1, 2, 3)
    ]
    await _enqueue(db, *tips)
    await _run_until_idle(_worker(db, bot, concurrency=1))
    statuses = [(await outbox.rows_for(db, "tip", n))[0].status for n in (1, 2, 3)]
    assert statuses == ["failed", "failed", "sent"]
    # One claim at a time: the notice (alert priority) overtakes the remaining tips.
    sent = [(chat, kw["message_thread_id"], kw["text"]) for _, chat, kw in bot.sent]
    assert sent[0][:2] == (42, None) and "Hill &lt;Top&gt;" in sent[0][2]
    assert sent[1:] == [(-100_4, 7, "tip 3")]
    notices = await db.fetch_all("SELECT status FROM outbox WHERE kind = 'notice'")
    assert [r["status"] for r in notices] == ["sent"]  # one notice for two failures
    # The successful send re-armed the notice.
    assert (await group_store.get_group(db, gid)).topic_error is None
