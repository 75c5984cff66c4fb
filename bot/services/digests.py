"""The weekly lägesbild digest: who gets what, and when it is sent.

Every Monday from 08:00 local time (the configured TIMEZONE) each coordinator and each
police officer gets one private message about the week before (Monday 08:00 to Monday
08:00):

* per group they coordinate: observations by category and by status, how many of the
  group's observations still wait for review, and the alerts sent to the group with how
  many people marked them seen;
* per kommun they serve as police: observations forwarded to the police (handled vs
  waiting), the kommun's observations by category, and the alerts sent to its groups
  (groups targeted, delivered, seen).

A person with both roles gets one message with both parts. Police officers and the kommun
role also get the lägesbild chart of their kommuner as a photo, and coordinators the
chart of each group that has it on in /grupp (bot/services/digest_charts.py); the kommun
role gets only the chart (aggregates).

**Nothing is sent when a person has nothing to report**: no registered groups or
kommuner, or no observation, no forward and no alert in the period in any of them (and,
for the chart, nothing in its 4 weeks); such a person is only recorded as done for the
week. The figures are bot/services/digest_content.py, the text (which always fits one
Telegram message) bot/services/digest_text.py; a digest Telegram refused waits for the
person's next private message (bot/services/digest_reach.py).

Sending is exactly once per person and ISO week (``digest_sends``, written in the same
transaction as the outbox row); see bot/digest_scheduler.py for the clock.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services.digest_charts import DigestCharts
from bot.services.digest_content import (
    KIND,
    SEND_AT,
    WEEK,
    Digest,
    DigestWeek,
    GroupSummary,
    KommunSummary,
    collect,
    digest_week,
)
from bot.services.digest_text import MAX_BLOCKS, MAX_LENGTH, render
from bot.services.roles import Actor, SystemActor, require
from storage import digests as store
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText

__all__ = [  # what callers import from here (the digest's parts live in their modules)
    "BATCH_SIZE",
    "KIND",
    "MAX_BLOCKS",
    "MAX_LENGTH",
    "SEND_AT",
    "WEEK",
    "Digest",
    "DigestWeek",
    "GroupSummary",
    "KommunSummary",
    "SendResult",
    "collect",
    "digest_week",
    "render",
    "send_due",
]

BATCH_SIZE = 200


@dataclass(frozen=True)
class SendResult:
    """A pass: the ISO week (None: not due), people enqueued or recorded as empty, and the
    charts drawn for them with the seconds it took (aggregates and PNGs)."""

    week: str | None
    enqueued: int = 0
    empty: int = 0
    charts: int = 0
    chart_seconds: float = 0.0


async def send_due(
    db: Database,
    actor: Actor,
    tz: tzinfo,
    now: datetime,
    language_of: Callable[[int], Awaitable[str]],
    batch_size: int = BATCH_SIZE,
) -> SendResult:
    """Enqueue this week's digests for everyone not yet recorded for the week (nothing
    before Monday 08:00 local). The round's charts are drawn first (in worker processes,
    see DigestCharts.prepare); then batches of `batch_size` people: aggregates read once
    per batch, then one transaction records and enqueues the batch. A system actor (the
    digest job) only: a person is refused."""
    require(isinstance(actor, SystemActor))
    week = digest_week(now, tz)
    if week is None:
        return SendResult(None)
    recipients = await store.pending_recipients(db, week.key)
    languages = {r.user_id: await language_of(r.user_id) for r in recipients}
    charts = DigestCharts(db, week.end, tz)
    started = time.perf_counter()
    drawn = await charts.prepare([(r, languages[r.user_id]) for r in recipients])
    chart_seconds = time.perf_counter() - started
    enqueued = empty = 0
    for offset in range(0, len(recipients), batch_size):
        batch = recipients[offset : offset + batch_size]
        rows: list[tuple[int, list[OutgoingMessage]]] = []
        for recipient, digest in zip(
            batch, await collect(db, batch, week.start, week.end), strict=True
        ):
            lang = languages[digest.user_id]
            messages: list[OutgoingMessage] = []
            if digest.has_content:
                messages.append(
                    OutgoingMessage(
                        priority=PRIORITY_SCHEDULED,
                        kind=KIND,
                        message=SendText(render(digest, week, lang), meta={WEEK: week.key}),
                        chat_id=digest.user_id,
                    )
                )
            messages += charts.messages_for(recipient, lang)
            rows.append((digest.user_id, messages))
            empty += not messages
        enqueued += await store.record_sends(db, week.key, rows, now)
    return SendResult(week.key, enqueued, empty, drawn, chart_seconds)
