"""The outbox retention pass: sent rows older than OUTBOX_RETENTION_DAYS are deleted.

Without it the outbox only grows (every alert copy, tip and notice stays a row forever).
What still needs a sent message lives elsewhere: a delivered alert copy in alert_copies
(updates, withdrawals, digests) and the per-thing numbers in outbox_counts (`pruned`), so
alert statistics are the same before and after. Failed and skipped rows are kept (the
officer's report reads why copies failed). Rows go in bounded batches, one transaction
each, so the delivery worker and the handlers get the database between batches. The
clockwork is bot.periodic.PeriodicPass; the clock is the services' (injected) clock.

Marking a row sent writes no retention index (issue #19: history must not slow delivery):
a batch walks the rows created before the cutoff by primary key (ids grow with creation
time, storage.outbox_retention.prune_sent). A sweep goes from where the rows stop being settled
(deleted, or failed/skipped and kept for good) up to the cutoff, over as many passes as
it takes (`max_batches` each); the next sweep starts at the first row the last one had to
leave (pending, or sent too recently), so kept rows are not read again every hour. That
start is remembered as a time, not an id, because SQLite gives ids of deleted rows again;
an unfinished sweep goes on at an id, since a row that got a used id since is too new for
that sweep anyway and the next sweep (by time) finds it. After a restart the first sweep
starts from the oldest row.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.ext import Application

from bot.periodic import PeriodicPass
from bot.runtime import Services
from storage import outbox_retention

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 3600.0
BATCH_SIZE = 2000
MAX_BATCHES = 500  # per pass: at most 1 M rows read an hour; the next pass goes on


@dataclass(frozen=True)
class PruneResult:
    """What one pass did: rows deleted, in how many batches (transactions), sent before
    `cutoff`; `resume_from`: the creation time the next sweep starts reading at."""

    cutoff: datetime
    deleted: int
    batches: int
    resume_from: datetime | None = None


class OutboxRetention(PeriodicPass[PruneResult]):
    """Deletes old sent outbox rows; see the module docstring."""

    name = "outbox-retention"

    def __init__(
        self,
        services: Services,
        interval: float = INTERVAL_SECONDS,
        batch_size: int = BATCH_SIZE,
        max_batches: int = MAX_BATCHES,
    ) -> None:
        super().__init__(services, interval)
        self.batch_size = batch_size
        self.max_batches = max_batches
        # Rows created before this are settled; the next sweep starts here (None: the oldest).
        self._settled_before: datetime | None = None
        # A sweep that a pass left unfinished: the id it goes on at, and the creation time
        # of the first row it had to leave (None: none so far).
        self._sweep: tuple[int, datetime | None] | None = None

    async def run_pass(self) -> PruneResult:
        """One pass: delete rows sent more than the retention period ago."""
        services = self.services
        days = services.settings.outbox_retention_days
        cutoff = services.clock.now() - timedelta(days=days)
        db = services.db
        if self._sweep is not None:
            start, held_since = self._sweep
        else:
            held_since = None
            settled = self._settled_before
            start = 0 if settled is None else await outbox_retention.first_id_since(db, settled)
        deleted = batches = 0
        while True:
            batch = await outbox_retention.prune_sent(db, cutoff, self.batch_size, start)
            deleted += batch.deleted
            batches += 1
            held_since = held_since or batch.held_since
            if batch.next_id is None:  # done: the next sweep starts at the first row left
                self._settled_before, self._sweep = held_since or cutoff, None
                break
            if batches >= self.max_batches:  # the next pass goes on from here
                self._sweep = (batch.next_id, held_since)
                break
            start = batch.next_id
            await asyncio.sleep(0)  # let updates and deliveries in between batches
        if deleted:
            log.info(
                "outbox retention: deleted %d sent row(s) older than %d day(s) in %d batch(es)",
                deleted,
                days,
                batches,
            )
        return PruneResult(cutoff, deleted, batches, self._settled_before)


def install_outbox_retention(application: Application, services: Services) -> OutboxRetention:
    """Create the pass and hook it into start-up; reachable via OutboxRetention.of(app)."""
    return OutboxRetention.install(application, services)
