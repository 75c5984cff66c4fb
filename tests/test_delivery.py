"""The outbox worker with a scripted fake bot: order, retries, failures, recovery, results."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import SystemClock
from bot.delivery import DeliveryOutcome, DeliveryWorker
from bot.ratelimit import PRIORITY_ALERT, PRIORITY_SCHEDULED
from storage import groups as group_store
from storage import outbox, outbox_worker
from storage.db import Database
from storage.outbox import EditText, OutgoingMessage, SendText
from tests.scenario import Scenario

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass
class _Message:
    message_id: int


@dataclass
class FakeBot:
    """Records sends; `script[chat_id]` is a list of exceptions raised by successive sends."""

    script: dict[int, list[Exception]] = field(default_factory=dict)
    sent: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    delay: float = 0.0
    next_id: int = 100
    entered: int = 0  # sends started
    busy: asyncio.Event = field(default_factory=asyncio.Event)  # set at `busy_at` sends
    busy_at: int = 1

    async def _do(self, method: str, chat_id: int, **kwargs: Any) -> _Message:
        self.entered += 1
        if self.entered >= self.busy_at:
            self.busy.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        errors = self.script.get(chat_id)
        if errors:
            raise errors.pop(0)
        self.sent.append((method, chat_id, kwargs))
        self.next_id += 1
        return _Message(self.next_id)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> _Message:
        return await self._do("send_message", chat_id, text=text, **kwargs)

    async def send_photo(self, chat_id: int, photo: str, **kwargs: Any) -> _Message:
        return await self._do("send_photo", chat_id, photo=photo, **kwargs)

    async def edit_message_text(self, text: str, *, chat_id: int, **kwargs: Any) -> _Message:
        return await self._do("edit_message_text", chat_id, text=text, **kwargs)

    async def edit_message_caption(self, *, chat_id: int, **kwargs: Any) -> _Message:
        return await self._do("edit_message_caption", chat_id, **kwargs)


async def _group(db: Database, chat_id: int) -> int:
    return await Scenario(db, NOW).group(chat_id, f"Area {chat_id}", title=f"G{chat_id}")


async def _enqueue(db: Database, *messages: OutgoingMessage) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue_many(conn, list(messages), NOW)


def _worker(db: Database, bot: FakeBot, **kwargs: Any) -> DeliveryWorker:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("idle_poll", 0.05)
    return DeliveryWorker(db, bot, SystemClock(), **kwargs)


async def _run_until_idle(worker: DeliveryWorker, limit: float = 5.0) -> None:
    await worker.start()
    try:
        worker.wake()
        await worker.wait_idle(limit)
    finally:
        await worker.stop()


async def test_alerts_go_before_tips_and_rows_are_marked_sent(db):
    bot = FakeBot()
    tip_group = await _group(db, -11)
    alert_group = await _group(db, -12)
    await _enqueue(
        db,
        OutgoingMessage(PRIORITY_SCHEDULED, "tip", SendText("tip"), group_id=tip_group, ref_id=1),
        OutgoingMessage(PRIORITY_ALERT, "alert", SendText("alert"), group_id=alert_group, ref_id=7),
        OutgoingMessage(PRIORITY_SCHEDULED, "tip", SendText("dm"), chat_id=555, ref_id=2),
    )
    results: list[tuple[int | None, DeliveryOutcome]] = []

    async def on_alert(row_id: int, ref_id: int | None, outcome: DeliveryOutcome) -> None:
        results.append((ref_id, outcome))

    worker = _worker(db, bot, concurrency=1)
    worker.register_result_handler("alert", on_alert)
    await _run_until_idle(worker)
    assert [(chat, kw["text"]) for _, chat, kw in bot.sent] == [
        (-12, "alert"),
        (-11, "tip"),
        (555, "dm"),
    ]
    assert bot.sent[0][2]["rate_limit_args"] == {"priority": PRIORITY_ALERT, "defer": True}
    assert bot.sent[1][2]["rate_limit_args"] == {"priority": PRIORITY_SCHEDULED, "defer": True}
    assert await outbox.status_counts(db, "tip", 1) == {"sent": 1}
    rows = await outbox.rows_for(db, "alert", 7)
    assert rows[0].status == "sent" and rows[0].message_id is not None
    assert results == [
        (7, DeliveryOutcome("sent", message_id=rows[0].message_id, chat_id=-12, group_id=2))
    ]


async def test_network_errors_are_retried_with_backoff_then_sent(db):
    gid = await _group(db, -21)
    bot = FakeBot(script={-21: [TimedOut(), NetworkError("Bad Gateway")]})
    await _enqueue(db, OutgoingMessage(PRIORITY_ALERT, "alert", SendText("x"), group_id=gid))
    worker = _worker(db, bot)
    await _run_until_idle(worker)
    (row,) = await outbox.rows_for(db, "alert", None) or await _all_rows(db)
    assert row.status == "sent" and row.attempts == 3
    assert len(bot.sent) == 1


async def _all_rows(db: Database) -> list[outbox.OutboxRow]:
    rows = []
    row_id = 1
    while (row := await outbox.get_row(db, row_id)) is not None:
        rows.append(row)
        row_id += 1
    return rows


async def test_gives_up_after_max_attempts(db):
    gid = await _group(db, -31)
    bot = FakeBot(script={-31: [NetworkError("Internal Server Error (500)") for _ in range(5)]})
    await _enqueue(db, OutgoingMessage(PRIORITY_ALERT, "alert", SendText("x"), group_id=gid))
    outcomes: list[DeliveryOutcome] = []

    async def record(_row: int, _ref: int | None, outcome: DeliveryOutcome) -> None:
        outcomes.append(outcome)

    worker = _worker(db, bot, max_attempts=3)
    worker.register_result_handler("alert", record)
    await _run_until_idle(worker)
    (row,) = await _all_rows(db)
    assert row.status == "failed" and row.attempts == 3 and "500" in (row.error or "")
    assert [o.status for o in outcomes] == ["failed"]
    assert bot.sent == []


async def test_bad_request_fails_without_retry(db):
    gid = await _group(db, -41)
    bot = FakeBot(script={-41: [BadRequest("Can't parse entities")]})
    await _enqueue(db, OutgoingMessage(PRIORITY_ALERT, "alert", SendText("<b"), group_id=gid))
    await _run_until_idle(_worker(db, bot))
    (row,) = await _all_rows(db)
    assert (row.status, row.attempts, row.error) == ("failed", 1, "Can't parse entities")


async def test_forbidden_makes_group_inactive_and_later_rows_are_skipped(db):
    gid = await _group(db, -51)
    bot = FakeBot(script={-51: [Forbidden("Forbidden: bot was kicked from the group chat")]})
    await _enqueue(
        db,
        OutgoingMessage(PRIORITY_ALERT, "alert", SendText("a"), group_id=gid),
        OutgoingMessage(PRIORITY_SCHEDULED, "tip", SendText("b"), group_id=gid),
    )
    await _run_until_idle(_worker(db, bot, concurrency=1))
    first, second = await _all_rows(db)
    assert first.status == "skipped" and "kicked" in (first.error or "")
    assert second.status == "skipped" and second.attempts == 1
    group = await group_store.get_group(db, gid)
    assert group is not None and not group.bot_present
    assert bot.sent == []


async def test_chat_migrated_moves_the_group_and_sends_to_the_new_id(db):
    gid = await _group(db, -61)
    bot = FakeBot(script={-61: [ChatMigrated(-100061)]})
    await _enqueue(db, OutgoingMessage(PRIORITY_ALERT, "alert", SendText("a"), group_id=gid))
    await _run_until_idle(_worker(db, bot))
    (row,) = await _all_rows(db)
    assert row.status == "sent"
    assert [chat for _, chat, _ in bot.sent] == [-100061]
    group = await group_store.get_group(db, gid)
    assert group is not None and group.chat_id == -100061


async def test_retry_after_defers_the_row_without_using_an_attempt(db):
    # A paused chat is not a failure: three 429s in a row with max_attempts=2 still send.
    pause = [RetryAfter(timedelta(seconds=0.05)) for _ in range(3)]
    bot = FakeBot(script={77: pause})
    await _enqueue(db, OutgoingMessage(PRIORITY_SCHEDULED, "tip", SendText("a"), chat_id=77))
    await _run_until_idle(_worker(db, bot, max_attempts=2))
    (row,) = await _all_rows(db)
    assert row.status == "sent" and row.attempts == 1


async def test_inactive_group_is_skipped_without_sending(db):
    gid = await _group(db, -71)
    await group_store.set_bot_present(db, gid, False, NOW)
    bot = FakeBot()
    await _enqueue(db, OutgoingMessage(PRIORITY_ALERT, "alert", SendText("a"), group_id=gid))
    await _run_until_idle(_worker(db, bot))
    (row,) = await _all_rows(db)
    assert (row.status, row.error) == ("skipped", "group inactive")
    assert bot.sent == []


async def test_rows_left_sending_by_a_crash_are_sent_at_start(db):
    gid = await _group(db, -81)
    await _enqueue(db, OutgoingMessage(PRIORITY_ALERT, "alert", SendText("a"), group_id=gid))
    claimed = await outbox_worker.claim_due(db, NOW, 10)
    assert [r.status for r in claimed] == ["sending"]
    assert await outbox_worker.claim_due(db, NOW, 10) == []  # nobody else takes it
    bot = FakeBot()
    await _run_until_idle(_worker(db, bot))
    (row,) = await _all_rows(db)
    assert row.status == "sent" and row.attempts == 2
    assert len(bot.sent) == 1


async def test_sends_run_concurrently(db):
    ids = [await _group(db, -900 - n) for n in range(20)]
    await _enqueue(
        db, *[OutgoingMessage(PRIORITY_ALERT, "alert", SendText("a"), group_id=g) for g in ids]
    )
    bot = FakeBot(delay=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await _run_until_idle(_worker(db, bot, concurrency=40, batch_size=5))
    assert len(bot.sent) == 20
    assert loop.time() - started < 1.5  # serial would take 4 s


async def test_edit_payload_edits_and_falls_back_to_a_reply(db):
    ok = await _group(db, -91)
    gone = await _group(db, -92)
    bot = FakeBot(script={-92: [BadRequest("Message to edit not found")]})
    edit = EditText(5, "new", fallback_text="update!")
    await _enqueue(
        db,
        OutgoingMessage(PRIORITY_ALERT, "alert_edit", edit, group_id=ok),
        OutgoingMessage(PRIORITY_ALERT, "alert_edit", edit, group_id=gone),
    )
    await _run_until_idle(_worker(db, bot, concurrency=1))
    assert [(m, c) for m, c, _ in bot.sent] == [
        ("edit_message_text", -91),
        ("send_message", -92),
    ]
    assert bot.sent[1][2]["reply_parameters"].message_id == 5
    assert [r.status for r in await _all_rows(db)] == ["sent", "sent"]


async def test_stop_right_after_a_wake_never_hangs(db):
    """A wake-up racing with stop(): asyncio.wait_for on Python 3.11 could swallow the
    cancellation, leaving stop() waiting for ever (seen as a rare CI stall)."""
    for _ in range(30):
        worker = _worker(db, FakeBot(), idle_poll=0.05)
        await worker.start()
        await asyncio.sleep(0.01)  # the worker is now idle, waiting for a wake-up
        worker.wake()
        await asyncio.sleep(0)  # the wake-up is being delivered when the stop arrives
        started = asyncio.get_running_loop().time()
        await asyncio.wait_for(worker.stop(), 5)
        assert asyncio.get_running_loop().time() - started < 0.5


async def test_stop_lets_sends_in_flight_finish(db):
    bot = FakeBot(delay=0.3, busy_at=3)
    await _enqueue(db, *(OutgoingMessage(1, "alert", SendText("a"), chat_id=c) for c in (1, 2, 3)))
    worker = _worker(db, bot)
    await worker.start()
    await asyncio.wait_for(bot.busy.wait(), 5)  # three sends on their way
    await worker.stop()  # before: the three sends were cancelled and sent again later
    rows = await _all_rows(db)
    assert [r.status for r in rows] == ["sent"] * 3 and len(bot.sent) == 3


async def test_stop_cancels_what_outlasts_the_grace_period(db):
    bot = FakeBot(delay=60)
    await _enqueue(db, OutgoingMessage(1, "alert", SendText("a"), chat_id=1))
    worker = _worker(db, bot, stop_grace=0.2)
    await worker.start()
    await asyncio.wait_for(bot.busy.wait(), 5)
    await asyncio.wait_for(worker.stop(), 10)
    (row,) = await _all_rows(db)
    assert row.status == "pending" and bot.sent == []


async def test_exactly_one_finished_row_of_a_thing_sees_nothing_left(db):
    groups = [await _group(db, -300 - n) for n in range(5)]
    await _enqueue(
        db, *(OutgoingMessage(1, "alert", SendText("a"), group_id=g, ref_id=9) for g in groups)
    )
    await _enqueue(db, OutgoingMessage(1, "alert", SendText("b"), chat_id=5))  # no ref_id
    seen: list[int | None] = []

    async def on_alert(row_id: int, ref_id: int | None, outcome: DeliveryOutcome) -> None:
        seen.append(outcome.unfinished)

    worker = _worker(db, FakeBot(script={-301: [Forbidden("kicked")]}))
    worker.register_result_handler("alert", on_alert)
    await _run_until_idle(worker)
    assert sorted(seen, key=lambda n: -1 if n is None else n) == [None, 0, 1, 2, 3, 4]
