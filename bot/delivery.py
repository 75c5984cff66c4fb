"""The outbox worker: pending messages → Telegram, by priority, at Telegram's limits.

Features write `outbox` rows (storage.outbox.enqueue_many) in the same transaction as the
thing that caused them, then call `DeliveryWorker.wake()`. The worker

* claims due rows in priority order (alerts before tips) in small batches, marking them
  'sending' in a transaction, and keeps up to `concurrency` sends in flight so that the
  rate limiter (bot/ratelimit.py) always has a queue to hand its slots to;
* resolves `group_id` to the group's current chat id and forum topic at send time; when the
  topic refuses posts (TOPIC_CLOSED, deleted) the row fails and the group's coordinators are
  told once (bot/services/group_topics.py);
* marks each row 'sent' with its message id right after the send (one commit per row), so
  a crash resends at most what was in flight; at start-up 'sending' rows become 'pending';
* never waits for one chat inside a send: the limiter raises RetryAfter at once for a chat
  paused by a 429 (or whose per-chat window is full), and the row goes back to 'pending'
  with `not_before` = the end of the pause, without using up an attempt, so other chats'
  rows (and answers to people) go on meanwhile;
* stops cleanly: `stop()` claims nothing more and lets the sends in flight finish (up to
  `stop_grace` seconds) before it cancels what is left, so a restart sends nothing twice;
* handles errors: TimedOut/NetworkError/5xx → retry with exponential back-off
  up to `max_attempts`; Forbidden → the group is marked inactive, the row 'skipped';
  ChatMigrated → the group moves to its new chat id and the message is sent there;
  BadRequest → 'failed' with Telegram's reason;
* records each delivered alert copy (storage.alerts.record_copy) in the same transaction
  that marks its row sent, so updates and withdrawals find every copy without the outbox;
* tells features about finished rows through result handlers registered per kind.

What a row sends is one typed message of storage.outbox (SendText, SendPhoto, EditText,
EditCaption); a payload that does not decode fails its row ("bad payload").
Polls, stopPoll, documents and locations are `SendOp` messages (bot/delivery_ops.py).
The Bot API call itself (send, edit with its fallback) is bot/delivery_send.py's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot

from bot import delivery_send
from bot.clock import Clock
from bot.ratelimit import retry_after_seconds
from bot.services import group_topics
from storage import groups as group_store
from storage import outbox_worker
from storage.db import Database
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"


@dataclass(frozen=True)
class DeliveryOutcome:
    """How a row ended: sent (message_id), failed (error) or skipped (group inactive).

    `unfinished`: rows of the same kind and ref_id still unfinished after this one (read
    in the row's own transaction: exactly one finishing row sees 0), None when unknown."""

    status: str
    message_id: int | None = None
    error: str | None = None
    chat_id: int | None = None
    group_id: int | None = None
    unfinished: int | None = field(default=None, compare=False)


ResultHandler = Callable[[int, int | None, DeliveryOutcome], Awaitable[None]]


class _Retry(Exception):
    """Internal: the send should be tried again after `delay` seconds."""

    def __init__(self, error: str, delay: float | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.delay = delay


class DeliveryWorker:
    """Drains the outbox; see the module docstring."""

    def __init__(
        self,
        db: Database,
        bot: ExtBot[Any],
        clock: Clock,
        *,
        concurrency: int = 40,
        batch_size: int = 20,
        max_attempts: int = 5,
        backoff_base: float = 2.0,
        backoff_max: float = 300.0,
        idle_poll: float = 1.0,
        stop_grace: float = 10.0,
    ) -> None:
        self.db = db
        self.bot = bot
        self.clock = clock
        self.concurrency = concurrency
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.idle_poll = idle_poll
        self.stop_grace = stop_grace
        self._handlers: dict[str, list[ResultHandler]] = {}
        self._inflight: set[asyncio.Task[None]] = set()
        self._event: asyncio.Event | None = None
        self._main: asyncio.Task[None] | None = None

    # -- public API --------------------------------------------------------------------

    def register_result_handler(self, kind: str, handler: ResultHandler) -> None:
        """Call `handler(row_id, ref_id, outcome)` whenever a row of `kind` is finished.

        Only before `start()` (`RuntimeError` after): each result is reported once, so a
        handler subscribed later would miss the rows finished before it (e.g. those a
        crash left unfinished, sent again right at start)."""
        if self._main is not None:
            raise RuntimeError(f"result handler for {kind!r} subscribed after the worker started")
        self._handlers.setdefault(kind, []).append(handler)

    @property
    def result_kinds(self) -> frozenset[str]:
        """The outbox kinds whose results someone listens to."""
        return frozenset(self._handlers)

    def wake(self) -> None:
        """Look for new rows now (call after committing outbox rows)."""
        if self._event is not None:
            self._event.set()

    @property
    def running(self) -> bool:
        return self._main is not None and not self._main.done()

    @property
    def in_flight(self) -> int:
        """How many rows are being sent right now."""
        return len(self._inflight)

    async def start(self) -> None:
        """Recover rows a crash left in 'sending', then start draining."""
        recovered = await outbox_worker.reset_sending(self.db, self.clock.now())
        if recovered:
            log.info("delivery: %d interrupted message(s) will be sent again", recovered)
        self._event = asyncio.Event()
        self._main = asyncio.get_running_loop().create_task(self._run(), name="grannvakt-delivery")

    async def stop(self, grace: float | None = None) -> None:
        """Stop claiming; let the sends in flight finish for up to `grace` seconds (default
        `stop_grace`), then cancel the rest (their rows go back to 'pending').

        A cancelled send may already have reached Telegram and is sent again after a
        restart, so cancelling is the last resort."""
        if self._main is not None:
            self._main.cancel()
            try:
                await self._main
            except asyncio.CancelledError:
                pass
            self._main = None
        tasks = list(self._inflight)
        if tasks:
            grace = self.stop_grace if grace is None else grace
            log.info("delivery: stopping; waiting up to %gs for %d send(s)", grace, len(tasks))
            _, late = await asyncio.wait(tasks, timeout=grace)
            if late:
                log.warning("delivery: %d send(s) did not finish in time; cancelling", len(late))
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._inflight.clear()
        if self.db.is_open:
            await outbox_worker.reset_sending(self.db, self.clock.now())

    async def wait_idle(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109
        *,
        include_backoff: bool = True,
    ) -> None:
        """Wait until nothing is in flight and no row is unfinished (for tests, benchmarks).

        With include_backoff=False rows waiting for a retry time do not count."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            due = await outbox_worker.count_due(
                self.db, None if include_backoff else self.clock.now()
            )
            if not self._inflight and not due:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("delivery did not become idle")
            await asyncio.sleep(0.02)

    # -- the loop ----------------------------------------------------------------------

    async def _run(self) -> None:
        assert self._event is not None
        while True:
            self._event.clear()
            free = self.concurrency - len(self._inflight)
            wanted = min(free, self.batch_size)
            claimed: list[OutboxRow] = []
            if wanted > 0:
                try:
                    claimed = await outbox_worker.claim_due(self.db, self.clock.now(), wanted)
                except Exception:
                    log.exception("delivery: could not claim outbox rows")
                    await asyncio.sleep(self.idle_poll)
                    continue
                for row in claimed:
                    task = asyncio.get_running_loop().create_task(self._deliver(row))
                    self._inflight.add(task)
                    task.add_done_callback(self._task_done)
            if claimed and len(claimed) == wanted and len(self._inflight) < self.concurrency:
                continue  # there may be more due right now
            if len(self._inflight) >= self.concurrency:
                await self._event.wait()  # a send finished
                continue
            timeout = await self._sleep_seconds()
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
            # cancellation that arrives as the event is set, and stop() would wait forever.
            try:
                async with asyncio.timeout(timeout):
                    await self._event.wait()
            except TimeoutError:
                pass

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery task crashed", exc_info=task.exception())
        self.wake()

    async def _sleep_seconds(self) -> float:
        try:
            next_at = await outbox_worker.next_not_before(self.db)
        except Exception:
            return self.idle_poll
        if next_at is None:
            return self.idle_poll
        seconds = (next_at - self.clock.now()).total_seconds()
        return min(max(seconds, 0.01), self.idle_poll)

    # -- one row -----------------------------------------------------------------------

    async def _deliver(self, row: OutboxRow) -> None:
        now = self.clock.now
        chat_id = row.chat_id
        group = None
        thread_id: int | None = None
        if row.group_id is not None:
            group = await group_store.get_group(self.db, row.group_id)
            if group is None or not group.is_active:
                left = await outbox_worker.mark_skipped(self.db, row.id, "group inactive", now())
                outcome = DeliveryOutcome(SKIPPED, error="group inactive", unfinished=left)
                await self._report(row, outcome)
                return
            chat_id = group.chat_id
            thread_id = group.message_thread_id
        assert chat_id is not None
        try:
            for _ in range(3):
                try:
                    message_id = await delivery_send.send(
                        self.bot, self.db, chat_id, row, thread_id
                    )
                    break
                except ChatMigrated as exc:
                    new_id = int(exc.new_chat_id)
                    log.info("delivery: chat %s migrated to %s", chat_id, new_id)
                    if row.group_id is not None:
                        await group_store.migrate_chat(self.db, chat_id, new_id, now())
                    chat_id = new_id
            else:
                raise BadRequest("chat keeps migrating")
        except RetryAfter as exc:  # the chat is paused (429) or its window is full
            await self._defer(row, retry_after_seconds(exc))
            return
        except Forbidden as exc:
            error = f"forbidden: {exc.message}"
            if row.group_id is not None:
                await group_store.set_bot_present(self.db, row.group_id, False, now())
                left = await outbox_worker.mark_skipped(self.db, row.id, error, now())
                outcome = DeliveryOutcome(SKIPPED, error=error, chat_id=chat_id, unfinished=left)
            else:
                left = await outbox_worker.mark_failed(self.db, row.id, error, now())
                outcome = DeliveryOutcome(FAILED, error=error, chat_id=chat_id, unfinished=left)
            await self._report(row, outcome)
            return
        except BadRequest as exc:
            if group is not None and group_topics.is_topic_error(exc.message):
                await self._topic_unavailable(group, exc.message)
            await self._fail(row, exc.message, chat_id)
            return
        except NetworkError as exc:  # TimedOut, 5xx, connection errors
            await self._retry(row, _Retry(f"network: {exc.message}"))
            return
        except TelegramError as exc:
            await self._fail(row, exc.message, chat_id)
            return
        except (KeyError, TypeError, ValueError) as exc:  # a malformed payload
            await self._fail(row, f"bad payload: {exc!r}", chat_id)
            return
        except Exception as exc:
            log.exception("delivery: unexpected error for outbox row %s", row.id)
            await self._retry(row, _Retry(f"unexpected: {exc!r}"))
            return
        left = await outbox_worker.mark_sent(self.db, row.id, message_id, now(), chat_id=chat_id)
        if group is not None and group.topic_error is not None:
            await group_topics.topic_works(self.db, now(), group)
        outcome = DeliveryOutcome(SENT, message_id, None, chat_id, row.group_id, left)
        await self._report(row, outcome)

    async def _topic_unavailable(self, group: group_store.GroupRecord, error: str) -> None:
        """Tell the group's coordinators (once per problem) that its topic refuses posts."""
        try:
            if await group_topics.topic_unavailable(self.db, self.clock.now(), group, error):
                log.info("delivery: topic of group %s refuses posts (%s)", group.id, error)
                self.wake()
        except Exception:
            log.exception("delivery: could not record the topic problem of group %s", group.id)

    async def _retry(self, row: OutboxRow, retry: _Retry) -> None:
        if row.attempts >= self.max_attempts:
            await self._fail(row, retry.error, None)
            return
        delay = retry.delay
        if delay is None:
            delay = min(self.backoff_base * 2 ** (row.attempts - 1), self.backoff_max)
        log.info(
            "delivery: row %s attempt %d failed (%s); retry in %.1fs",
            row.id,
            row.attempts,
            retry.error,
            delay,
        )
        now = self.clock.now()
        await outbox_worker.schedule_retry(
            self.db, row.id, now + timedelta(seconds=delay), retry.error, now
        )
        self.wake()

    async def _defer(self, row: OutboxRow, seconds: float) -> None:
        log.info("delivery: row %s waits %.1fs for its chat", row.id, seconds)
        now = self.clock.now()
        reason = f"retry after {seconds:g}s"
        await outbox_worker.defer(self.db, row.id, now + timedelta(seconds=seconds), reason, now)
        self.wake()

    async def _fail(self, row: OutboxRow, error: str, chat_id: int | None) -> None:
        log.warning("delivery: row %s (%s) failed: %s", row.id, row.kind, error)
        left = await outbox_worker.mark_failed(self.db, row.id, error, self.clock.now())
        await self._report(
            row, DeliveryOutcome(FAILED, error=error, chat_id=chat_id, unfinished=left)
        )

    async def _report(self, row: OutboxRow, outcome: DeliveryOutcome) -> None:
        if outcome.group_id is None and row.group_id is not None:
            outcome = replace(outcome, group_id=row.group_id)
        for handler in self._handlers.get(row.kind, []):
            try:
                await handler(row.id, row.ref_id, outcome)
            except Exception:
                log.exception("delivery: result handler for %s failed", row.kind)
