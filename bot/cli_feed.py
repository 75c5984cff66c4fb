"""`grannvakt feed poll [--dry-run] [--force]`, `feed replay FILE.json [--dry-run]`, `feed status`.

They work directly on the database file, next to a running bot or without one. `poll`
respects the same politeness budget as the bot (the call times are in the database).
Messages are only enqueued: the running bot's delivery worker sends them. `poll` refuses
(exit 2) while POLICE_FEED_ENABLED=false unless `--force`: the operator switched the feed
off, so an unforced call to the police would go against that choice.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from bot.cli import SUBCOMMANDS
from bot.cli_common import EXIT_USAGE, add_create_option, open_database, say
from bot.clock import SystemClock
from bot.feed.client import MAX_BODY
from bot.feed.parse import FeedFormatError
from bot.feed.service import PollReport, health, poll_once, process_body
from config import Settings
from storage.db import Database

T = TypeVar("T")


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="feed_command", required=True)
    poll = sub.add_parser("poll", help="call the police's events feed once now (if allowed)")
    poll.add_argument("--dry-run", action="store_true", help="store and send nothing")
    poll.add_argument(
        "--force", action="store_true", help="poll even when POLICE_FEED_ENABLED=false"
    )
    add_create_option(poll)
    replay = sub.add_parser("replay", help="feed a recorded answer (JSON) through the pipeline")
    replay.add_argument("file", type=Path, help="a recorded answer of polisen.se/api/events")
    replay.add_argument("--dry-run", action="store_true", help="store and send nothing")
    add_create_option(replay)
    add_create_option(sub.add_parser("status", help="the feed's health, budget and unknown types"))


def _print_report(report: PollReport, *, dry_run: bool, replay: bool = False) -> None:
    marks = (" [REPLAY]" if replay else "") + (
        " [DRY RUN: nothing stored or sent]" if dry_run else ""
    )
    print(f"outcome: {report.outcome}{marks}")
    if report.next_call is not None:
        print(f"next call allowed at: {report.next_call.isoformat()}")
    plan = report.plan
    if plan is None:
        return
    counts: dict[str, int] = {}
    for action, _ in plan.actions.values():
        counts[action] = counts.get(action, 0) + 1
    print(
        f"events: {len(report.events)}; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    by_id = {e.id: e for e in report.events}
    for event_id, (action, groups) in plan.actions.items():
        if action in ("new", "changed"):
            event = by_id[event_id]
            target = ", ".join(str(g) for g in groups) or "no group"
            print(f"  {action} {event_id} {event.name!r} → groups: {target}")
    if plan.unknown_types:
        print("unknown types: " + ", ".join(sorted(set(plan.unknown_types))))
    print(f"messages enqueued: {report.sent}" + (" (would be)" if dry_run else ""))


async def _with_db(
    args: argparse.Namespace, settings: Settings, work: Callable[[Database], Awaitable[T]]
) -> T:
    # Like every database subcommand: a missing file is refused unless --create.
    async with open_database(settings, create=args.create) as db:
        return await work(db)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Run a feed subcommand; 1 when the call failed or the file is unusable, 2 when
    `poll` is refused because the feed is switched off."""
    now = SystemClock().now()
    if args.feed_command == "poll":
        if not settings.police_feed_enabled and not args.force:
            say(
                "the police feed is switched off (POLICE_FEED_ENABLED=false);"
                " add --force to poll anyway"
            )
            return EXIT_USAGE
        report = asyncio.run(
            _with_db(args, settings, lambda db: poll_once(db, settings, now, dry_run=args.dry_run))
        )
        _print_report(report, dry_run=args.dry_run)
        return 0 if report.outcome in ("ok", "baseline", "wait") else 1
    if args.feed_command == "replay":
        try:
            if args.file.stat().st_size > MAX_BODY:  # the poller would not read it either
                say(f"{args.file} is larger than a feed answer may be ({MAX_BODY:,} bytes)")
                return 1
            body = args.file.read_bytes()
        except OSError as exc:
            print(f"grannvakt: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 1
        try:
            report = asyncio.run(
                _with_db(
                    args,
                    settings,
                    lambda db: process_body(
                        db, settings, now, body, dry_run=args.dry_run, replay=True
                    ),
                )
            )
        except FeedFormatError as exc:
            print(f"grannvakt: {args.file} is not a feed answer: {exc}", file=sys.stderr)
            return 1
        _print_report(report, dry_run=args.dry_run, replay=True)
        return 0
    h = asyncio.run(_with_db(args, settings, lambda db: health(db, settings, now)))
    print(f"enabled: {'yes' if h.enabled else 'no'}")
    print(f"url: {h.url}" + ("  (STOPPED: answered 404)" if h.gone else ""))
    last_call = h.last_call.isoformat() if h.last_call else "never"
    print(f"last call: {last_call} ({h.last_outcome or '-'})")
    print(f"last good answer: {h.last_ok.isoformat() if h.last_ok else 'never'}")
    print(f"calls in the last 24 h: {h.calls_day} (limit 1440; 60 per hour; 10 s apart)")
    print(f"new events in the last 24 h: {h.events_day}")
    print(f"messages to groups in the last 24 h: {h.sent_day}")
    print(f"errors and suspect answers in the last 24 h: {h.errors_day}")
    print(f"next call allowed: {h.next_call.isoformat() if h.next_call else 'now'}")
    unknown = ", ".join(f"{name} ({n})" for name, n in h.unknown_types)
    print(f"unknown types: {unknown or 'none'}")
    return 0


SUBCOMMANDS["feed"] = ("the police's events feed: poll, replay, status", _configure, _run)
