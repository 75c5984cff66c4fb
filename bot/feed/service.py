"""One poll of the feed end to end: budget → call → answer → plan → one transaction.

Used by the poller (bot/feed/poller.py) and the CLI (`grannvakt feed poll|replay|status`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from bot.feed import politeness
from bot.feed.client import FetchResult, fetch, user_agent
from bot.feed.parse import FeedEvent, FeedFormatError, parse_answer
from bot.feed.pipeline import PassContext, Plan, Router, plan_answer, plan_edits
from bot.feed.types import category_of
from bot.i18n import t
from bot.ratelimit import PRIORITY_ALERT
from config import Settings
from storage import feed as feed_store
from storage import feed_calls
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText
from storage.timeutil import from_db, to_db

log = logging.getLogger(__name__)

MEMORY = timedelta(days=90)  # ids are remembered at least 60 days (the minimum)
CALL_MEMORY = timedelta(days=2)


def app_version() -> str:
    try:
        return version("grannvakt")
    except PackageNotFoundError:
        return "0"


def feed_user_agent(settings: Settings) -> str:
    return user_agent(app_version(), settings.police_feed_contact)


@dataclass
class PollReport:
    """The outcome of one poll or replay.

    `outcome`: ok, baseline, suspect:<why>, wait, gone, disabled, http_<status>,
    error:<kind>; `plan` is set when an answer was judged; `next_call` when waiting.
    """

    outcome: str
    http_status: int | None = None
    events: list[FeedEvent] = field(default_factory=list)
    plan: Plan | None = None
    sent: int = 0
    next_call: datetime | None = None


async def poll_once(
    db: Database,
    settings: Settings,
    now: datetime,
    *,
    dry_run: bool = False,
    fetcher: Any = fetch,
) -> PollReport:
    """Call the feed once if the politeness budget allows, and act on the answer.

    Never raises for network or HTTP trouble: it is recorded and backed off from.
    With `dry_run`, the call is still recorded (it counts against the budget) but no
    event is remembered and nothing is sent.
    """
    url = settings.police_feed_url
    if await feed_calls.get_state(db, f"gone:{url}") is not None:
        return PollReport("gone")
    not_before = from_db(await feed_calls.get_state(db, "not_before"))
    calls = await feed_calls.call_times(db, now - politeness.DAY)
    wait = politeness.next_allowed(calls, now, not_before)
    if wait is not None:
        return PollReport("wait", next_call=wait)
    call_id = await feed_calls.start_call(db, url, now)
    result: FetchResult = await fetcher(url, feed_user_agent(settings))
    failures = int(await feed_calls.get_state(db, "failures") or 0)
    if result.status == 200 and result.error is None:
        try:
            report = await process_body(db, settings, now, result.body, dry_run=dry_run)
        except FeedFormatError as exc:
            log.warning("police feed: unusable answer from %s: %s", url, exc)
            report = PollReport("error:bad_body")
        else:
            await feed_calls.finish_call(
                db, call_id, report.outcome, http_status=200, events=len(report.events),
                new_events=report.plan.new_events if report.plan else 0, sent=report.sent,
            )  # fmt: skip
            await feed_calls.set_state(db, {"failures": None, "not_before": None})
            report.http_status = 200
            return report
    elif result.status == 404:
        await _gone(db, settings, url, now, dry_run)
        await feed_calls.finish_call(db, call_id, "http_404", http_status=404)
        return PollReport("gone", http_status=404)
    else:
        report = PollReport(
            # An answer too large has a status (200) and an error: the error is the outcome.
            f"error:{result.error}" if result.error else f"http_{result.status}",
            http_status=result.status,
        )
    failures += 1
    if result.status == 429:
        until = politeness.retry_after(result.retry_after, now, failures)
    else:
        until = now + politeness.backoff(failures)
    log.warning("police feed: %s; next call not before %s", report.outcome, until.isoformat())
    await feed_calls.finish_call(db, call_id, report.outcome, http_status=result.status)
    await feed_calls.set_state(db, {"failures": str(failures), "not_before": to_db(until)})
    report.next_call = until
    return report


async def _gone(db: Database, settings: Settings, url: str, now: datetime, dry_run: bool) -> None:
    """404 is permanent: never call this URL again, and tell the admins once."""
    log.error("police feed: 404 from %s; this URL will not be called again", url)
    notices = [
        OutgoingMessage(
            PRIORITY_ALERT, "notice",
            SendText(t(settings.default_language, "feed.gone_admin", url=url)), chat_id=admin,
        )
        for admin in sorted(settings.admin_user_ids)
    ]  # fmt: skip
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO feed_state (key, value) VALUES (?, ?)",
            (f"gone:{url}", to_db(now)),
        )
        # Once: a second 404 for the same URL (the CLI next to the bot) tells nobody again.
        if cursor.rowcount and notices and not dry_run:
            from storage.outbox import enqueue_many

            await enqueue_many(conn, notices, now)


async def process_body(
    db: Database,
    settings: Settings,
    now: datetime,
    body: bytes | str,
    *,
    dry_run: bool = False,
    replay: bool = False,
) -> PollReport:
    """Judge one answer body and (unless `dry_run`) store and enqueue in one transaction.

    Raises FeedFormatError when the body is not a JSON list.
    """
    tz = settings.tzinfo
    parsed = parse_answer(body, tz)
    events = parsed.events
    max_age = timedelta(hours=settings.police_feed_max_age_hours)
    last_ok = from_db(await feed_calls.get_state(db, "last_ok_at"))
    # Replays are judged as news only by age and the suspect rules, never as a baseline.
    baseline = not replay and (last_ok is None or now - last_ok > max_age)
    seen = await feed_store.seen(db, (e.id for e in events))
    # The groups are read only when something is new or changed (not in a quiet poll).
    news = any(e.id not in seen or seen[e.id].content_hash != e.content_hash for e in events)
    router = Router(await feed_store.targets(db) if news else [])
    known_unknown = {name for name, _ in await feed_calls.unknown_types(db)}
    ctx = PassContext(now, tz, max_age, baseline, replay)
    plan = plan_answer(events, seen, router, known_unknown, ctx)
    report = PollReport(plan.verdict, events=events, plan=plan)
    if plan.verdict.startswith("suspect"):
        log.warning(
            "police feed: suspect answer (%s), %d events; nothing sent", plan.verdict, len(events)
        )
        return report
    await plan_edits(db, plan, {e.id: e for e in events}, seen, router, ctx)
    if dry_run:
        report.sent = len(plan.deliveries)
        return report
    report.sent = await feed_store.save_pass(
        db, plan.rows, plan.deliveries, plan.edits, plan.unknown_types, now, plan.replacements
    )
    if not replay:
        # A good live answer: the next one is judged against it (baseline after downtime).
        await feed_calls.set_state(db, {"last_ok_at": to_db(now)})
    await feed_store.prune(db, now - MEMORY, now - CALL_MEMORY)
    if report.sent or plan.edits:
        log.info("police feed: %d messages enqueued, %d edits", report.sent, len(plan.edits))
    return report


@dataclass(frozen=True)
class Health:
    """The feed's health for `/feed` and `grannvakt feed status`."""

    enabled: bool
    url: str
    gone: bool
    last_call: datetime | None
    last_outcome: str | None
    last_ok: datetime | None
    calls_day: int
    events_day: int
    sent_day: int
    errors_day: int
    next_call: datetime | None
    unknown_types: list[tuple[str, int]]


async def health(db: Database, settings: Settings, now: datetime) -> Health:
    """Read the feed's state (no call is made)."""
    calls = await feed_calls.call_times(db, now - politeness.DAY)
    outcomes = await feed_calls.outcome_counts(db, now - politeness.DAY)
    recent = await feed_calls.recent_calls(db, 1)
    not_before = from_db(await feed_calls.get_state(db, "not_before"))
    return Health(
        enabled=settings.police_feed_enabled,
        url=settings.police_feed_url,
        gone=await feed_calls.get_state(db, f"gone:{settings.police_feed_url}") is not None,
        last_call=from_db(recent[0]["at"]) if recent else None,
        last_outcome=recent[0]["outcome"] if recent else None,
        last_ok=from_db(await feed_calls.get_state(db, "last_ok_at")),
        calls_day=len(calls),
        events_day=await feed_calls.events_since(db, now - politeness.DAY),
        sent_day=await feed_calls.sent_since(db, now - politeness.DAY),
        errors_day=sum(n for k, n in outcomes.items() if k not in ("ok", "baseline", "pending")),
        next_call=politeness.next_allowed(calls, now, not_before),
        # Types a later version learned stay in the table's history; they are not unknown.
        unknown_types=[
            (name, n) for name, n in await feed_calls.unknown_types(db) if category_of(name) is None
        ],
    )
