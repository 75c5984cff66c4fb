"""Update intake: long polling with a durable inbox, so no update Telegram hands over is lost.

Telegram forgets an update once a later `getUpdates` confirms it (offset = its id + 1).
PTB's own Updater confirms a batch by fetching the next one right after queueing it, before
any of it is handled: a crash then loses the whole batch. This intake instead

1. fetches a batch (`getUpdates`, long polling, every update type),
2. stores it in the `update_inbox` table in ONE transaction,
3. only then asks for the next batch, which confirms the stored one to Telegram,
4. hands each new update to `application.update_queue`; the update processor
   (bot/updates.py) calls `mark_done` once the update was handled. `mark_done` only
   notes the update (with the dialogue state it left) and returns; the marks gathered
   over `DONE_FLUSH_DELAY` are stored together in ONE transaction (a group commit), and
   at a clean stop (`flush`). A crash before that only means the updates of the last
   fraction of a second are handled once more at the next start, from the state before
   them, never from a half-way state.

Why a group commit over a short time rather than one write per update: each write is a
hand-off to the database thread, and with the event loop busy every hand-off passes the
GIL back and forth a dozen times. One write per update made grannvakt's update
processing ~30 % more expensive in CPU (bench.updates); one per 50 ms costs next to nothing.

At start-up, updates a crash left unfinished are queued first (oldest first), before any
new ones; redelivered copies of stored updates are recognised by update_id and skipped.
An update found unfinished at `MAX_ATTEMPTS` start-ups is given up (logged as an error),
so one update that kills the process cannot stop the bot for good.

An API outage is logged once (WARNING when it starts, INFO when it ends, no traceback per
poll) and polling retries with a short, capped back-off, so people are answered within
a few seconds after Telegram is reachable again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import timedelta

from telegram import Update
from telegram.error import Conflict, RetryAfter, TelegramError
from telegram.ext import Application

from bot.api_request import UpdatesRequest
from bot.clock import Clock
from bot.persistence import SqlitePersistence
from storage import persistence as persisted
from storage import update_inbox as inbox
from storage.db import Database

log = logging.getLogger(__name__)

FIRST_BACKOFF = 0.25  # seconds after the first failed poll; doubles up to max_backoff
MAX_BACKOFF = 3.0
MAX_ATTEMPTS = 3
KEEP_DONE = timedelta(days=2)  # Telegram redelivers an unconfirmed update for 24 h at most
PRUNE_EVERY = 3600.0  # seconds between prunes of done updates while running
# Seconds the first unstored "done" mark waits for others to share its transaction, and
# how many marks are stored at once at most (a full batch is written at once).
DONE_FLUSH_DELAY = 0.05
DONE_BATCH_LIMIT = 500

INTAKE_KEY = "grannvakt.intake"


class UpdateIntake:
    """Polls Telegram, stores each batch before confirming it, feeds the application."""

    def __init__(
        self,
        application: Application,
        db: Database,
        clock: Clock,
        *,
        max_backoff: float = MAX_BACKOFF,
    ) -> None:
        self.application = application
        self.db = db
        self.clock = clock
        self.max_backoff = max_backoff
        self._offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._outage = _Outage(max_backoff)
        self._next_prune = 0.0
        # (update_id, the dialogue state it left), in the order the updates finished,
        # not yet stored; the task that will store them (None when nothing waits).
        self._done_pending: list[tuple[int, persisted.Changes | None]] = []
        self._done_timer: asyncio.TimerHandle | None = None
        self._done_writes: set[asyncio.Task[None]] = set()  # strong references
        # One write at a time, so that a person's later state is never overwritten by an
        # earlier one.
        self._done_lock = asyncio.Lock()
        self._done_failed = False  # the last write failed: retry after max_backoff
        # Set when intake cannot go on (another poller holds the token: 409 Conflict);
        # `serve` then stops the bot and reports it.
        self.fatal: TelegramError | None = None
        self.failed = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(
        self, *, poll_timeout: int = 10, poll_interval: float = 0.0, poll: bool = True
    ) -> None:
        """Queue what the last run left unfinished, then start polling (unless `poll` is
        False: in webhook mode bot/webhook.py hands updates to `receive`).

        Raises TelegramError when deleteWebhook fails (polling cannot work then)."""
        if poll:
            # getUpdates is refused while a webhook is set.
            await self.application.bot.delete_webhook(drop_pending_updates=False)
        await self._prune()
        await self._queue_unfinished()
        if not poll:
            return
        self._task = asyncio.get_running_loop().create_task(
            self._poll_forever(poll_timeout, poll_interval), name="grannvakt-update-intake"
        )

    async def stop(self) -> None:
        """Stop polling at once (an interrupted poll confirms nothing, so nothing is lost)."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def mark_done(self, update: object) -> None:
        """Note that `update` was handled, with the dialogue state it left (see
        bot/persistence.py). Returns at once; the mark is stored within `DONE_FLUSH_DELAY`
        seconds together with the others (or at `flush`). A write that fails is logged and
        tried again with the next batch (the update stays unfinished meanwhile: after a
        crash it is handled once more, never lost)."""
        if not isinstance(update, Update):
            return
        persistence = self.application.persistence
        # Read now, before the person's next update can change it.
        changes = (
            persistence.take_changes(self.application, update)
            if isinstance(persistence, SqlitePersistence)
            else None
        )
        self._done_pending.append((update.update_id, changes))
        full = len(self._done_pending) >= DONE_BATCH_LIMIT and not self._done_failed
        self._schedule_done_write(0.0 if full else self._next_write_delay())

    def _schedule_done_write(self, delay: float) -> None:
        """Start a write after `delay` seconds, unless one is already due sooner."""
        loop = asyncio.get_running_loop()
        if self._done_timer is not None:
            if self._done_timer.when() <= loop.time() + delay:
                return
            self._done_timer.cancel()
        self._done_timer = loop.call_later(delay, self._start_done_write)

    def _start_done_write(self) -> None:
        self._done_timer = None
        task = asyncio.get_running_loop().create_task(
            self._write_done(), name="grannvakt-update-done"
        )
        self._done_writes.add(task)
        task.add_done_callback(self._done_writes.discard)

    async def _write_done(self) -> None:
        await self._write_batch()
        if self._done_pending:  # marks that arrived meanwhile, or a failed write's again
            self._schedule_done_write(self._next_write_delay())

    def _next_write_delay(self) -> float:
        """Seconds until the next write: longer after a failed one (no log flood)."""
        return self.max_backoff if self._done_failed else DONE_FLUSH_DELAY

    async def flush(self) -> None:
        """Store every mark noted so far (at a clean stop, after the last update was
        handled; before a write that must not be overtaken by older marks). Errors are
        logged, as for the batches in between."""
        await self._write_batch()
        if not self._done_pending and self._done_timer is not None:
            self._done_timer.cancel()
            self._done_timer = None

    @property
    def unstored_marks(self) -> int:
        """How many handled updates wait for their done mark to be stored."""
        return len(self._done_pending)

    async def _write_batch(self) -> None:
        async with self._done_lock:
            batch, self._done_pending = self._done_pending, []
            if not batch:
                return
            update_ids = [update_id for update_id, _ in batch]
            persistence = self.application.persistence
            try:
                if isinstance(persistence, SqlitePersistence):
                    merged = persisted.Changes()
                    for _, changes in batch:  # in the order the updates finished
                        if changes is not None:
                            merged.user_data.update(changes.user_data)
                            merged.conversations.update(changes.conversations)
                    await persistence.save_taken(merged, update_ids)
                else:
                    await inbox.mark_done(self.db, update_ids, self.clock.now())
            except Exception:
                log.exception(
                    "could not mark %d updates as handled (%s...); trying again in %.0f s",
                    len(update_ids),
                    update_ids[:5],
                    self.max_backoff,
                )
                # Before the marks noted since, so that a person's later state wins.
                self._done_pending[:0] = batch
                self._done_failed = True
            else:
                self._done_failed = False

    # -- start-up --------------------------------------------------------------------

    async def _queue_unfinished(self) -> None:
        stored = await inbox.claim_unfinished(self.db)
        given_up: list[int] = []
        queued = 0
        for row in stored:
            update = None
            if row.attempts <= MAX_ATTEMPTS:
                try:
                    update = Update.de_json(json.loads(row.payload), self.application.bot)
                except Exception:
                    log.exception("stored update %s cannot be read", row.update_id)
            if update is None:
                log.error(
                    "giving up update %s (handling it was interrupted %d times): %s",
                    row.update_id,
                    row.attempts,
                    row.payload[:500],
                )
                given_up.append(row.update_id)
                continue
            await self.application.update_queue.put(update)
            queued += 1
        if given_up:
            await inbox.mark_done(self.db, given_up, self.clock.now())
        if queued:
            log.info("handling %d updates that the last run received but did not finish", queued)

    # -- polling ---------------------------------------------------------------------

    async def _poll_forever(self, poll_timeout: int, poll_interval: float) -> None:
        while True:
            try:
                updates = await self.application.bot.get_updates(
                    offset=self._offset, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
                )
            except RetryAfter as exc:
                await asyncio.sleep(self._outage.failed(exc, floor=_seconds(exc.retry_after)))
                continue
            except Conflict as exc:  # retrying would only fight the other poller
                self.fatal = exc
                self.failed.set()
                return
            except TelegramError as exc:
                await asyncio.sleep(self._outage.failed(exc))
                continue
            except Exception as exc:  # a bug, not an outage: keep polling, with its traceback
                await asyncio.sleep(self._outage.failed(exc, unexpected=True))
                continue
            self._outage.recovered()
            if updates and not await self._hand_over(updates):
                await asyncio.sleep(self.max_backoff)  # storage failed: fetch the batch again
                continue
            if time.monotonic() >= self._next_prune:
                await self._prune()
            if poll_interval > 0:
                await asyncio.sleep(poll_interval)

    async def _prune(self) -> None:
        self._next_prune = time.monotonic() + PRUNE_EVERY
        try:
            await inbox.prune_done(self.db, self.clock.now() - KEEP_DONE)
        except Exception:
            log.exception("could not prune handled updates")

    async def receive(self, updates: tuple[Update, ...]) -> bool:
        """Store updates that arrived by webhook and queue the new ones; True once they
        are stored (only then may the webhook answer 200), False if storing failed."""
        stored = await self._hand_over(updates)
        if time.monotonic() >= self._next_prune:
            await self._prune()
        return stored

    async def _hand_over(self, updates: tuple[Update, ...]) -> bool:
        """Store the batch, move the offset past it, queue the new ones; False when the
        batch could not be stored (the offset stays, so Telegram sends it again)."""
        try:
            received = self._received_json()
            batch = [(u.update_id, received.get(u.update_id) or _encode(u)) for u in updates]
            new = set(await inbox.store_batch(self.db, batch, self.clock.now()))
        except Exception:
            log.exception("could not store %d received updates; fetching them again", len(updates))
            return False
        self._offset = max(u.update_id for u in updates) + 1
        for update in updates:
            if update.update_id in new:
                await self.application.update_queue.put(update)
        return True

    def _received_json(self) -> dict[int, str]:
        """The JSON Telegram sent for the latest polled batch, by update_id (empty when the
        bot was not built with bot.api_request's UpdatesRequest, e.g. in webhook mode)."""
        # PTB keeps the getUpdates client as the first of Bot._request (20.0 to 22.x).
        requests = getattr(self.application.bot, "_request", ())
        request = requests[0] if requests else None
        return request.received if isinstance(request, UpdatesRequest) else {}


def _encode(update: Update) -> str:
    return json.dumps(update.to_dict(), ensure_ascii=False)


class _Outage:
    """Counts failed polls; logs the start and the end of an outage once each."""

    def __init__(self, max_backoff: float) -> None:
        self.max_backoff = max_backoff
        self.started: float | None = None
        self.failures = 0

    def failed(self, exc: Exception, floor: float = 0.0, unexpected: bool = False) -> float:
        """Note a failed poll; returns how long to wait before the next one (seconds).
        `unexpected`: not a Telegram error, so the first one is logged with its traceback."""
        self.failures += 1
        if self.started is None:
            self.started = time.monotonic()
            log.warning(
                "cannot fetch updates from Telegram (%s: %s); retrying every %.0f s at most",
                type(exc).__name__,
                exc,
                self.max_backoff,
                exc_info=exc if unexpected else None,
            )
        else:
            log.debug("getUpdates failed again (%s: %s)", type(exc).__name__, exc)
        # The exponent is capped: an outage of days must not overflow the float.
        backoff = min(self.max_backoff, FIRST_BACKOFF * 2 ** min(self.failures - 1, 20))
        return max(backoff, floor)

    def recovered(self) -> None:
        if self.started is None:
            return
        log.info(
            "fetching updates from Telegram works again after %.1f s (%d failed polls)",
            time.monotonic() - self.started,
            self.failures,
        )
        self.started, self.failures = None, 0


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def install_update_intake(application: Application, db: Database, clock: Clock) -> UpdateIntake:
    """Create the application's intake and let its update processor mark updates done."""
    intake = UpdateIntake(application, db, clock)
    application.bot_data[INTAKE_KEY] = intake
    processor = application.update_processor
    if hasattr(processor, "on_done"):
        processor.on_done = intake.mark_done
    return intake


def intake_of(application: Application) -> UpdateIntake | None:
    """The intake installed on this application, if any."""
    return application.bot_data.get(INTAKE_KEY)
