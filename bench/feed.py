"""Benchmark: one poll of the police's events feed against many registered groups.

    python -m bench.feed [--groups 5000] [--events 500] [--rounds 5]

Measures, on a real database file, the time of one poll's work after the HTTP call:
parse a 500-event answer, match every place to a kommun, judge new/old/changed, route to
5,000 groups and enqueue the messages in one transaction (goal: under 200 ms), and the
steady-state poll where every event was already seen. Then replays every recorded answer
in ../shared/polisen/ (when present) and prints the events per routing class.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import logging
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.feed.parse import KOMMUN, LAN, parse_answer
from bot.feed.service import process_body
from bot.services.kommuner import load_kommuner
from config import Settings
from storage.db import Database
from storage.timeutil import to_db
from tests.feed_fixtures import STOCKHOLM, body, event, recorded_files

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
TYPES = ["Inbrott", "Stöld", "Stöld/inbrott", "Trafikolycka", "Brand", "Rattfylleri",
         "Skadegörelse", "Bedrägeri", "Misshandel", "Rån"]  # fmt: skip


def _settings(path: Path) -> Settings:
    return Settings(_env_file=None, bot_token="1:x", database_path=str(path))  # type: ignore[call-arg]


async def _add_groups(db: Database, count: int) -> None:
    kommuner = load_kommuner()
    stamp = to_db(NOW)
    rows = [
        (
            -1_000_000 - i,
            f"G{i}",
            f"Area {i}",
            kommuner[i % len(kommuner)].code,
            stamp,
            stamp,
            stamp,
        )
        for i in range(count)
    ]
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO groups (chat_id, title, area_name, kommun_code, registered_at,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # A tenth of the groups take län-level events as messages and traffic too.
        await conn.execute(
            "INSERT INTO feed_group_settings (group_id, categories, lan_mode, updated_at)"
            " SELECT id, 'burglary,traffic', 'message', ? FROM groups WHERE id % 10 = 0",
            (stamp,),
        )


def _answer(count: int, now: dt.datetime, first_id: int, rng: random.Random) -> list[dict]:
    kommuner = load_kommuner()
    events = []
    for i in range(count):
        k = rng.choice(kommuner)
        place = k.lan_name if i % 6 == 0 else k.name
        published = now - dt.timedelta(minutes=1 + i % 600)
        events.append(event(first_id + i, published, rng.choice(TYPES), place, k.lan_name, "Bänk."))
    return events


async def measure(groups: int, events: int, rounds: int) -> dict[str, float]:
    rng = random.Random(7)
    new_ms: list[float] = []
    new_cpu_ms: list[float] = []
    seen_ms: list[float] = []
    enqueued = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = Database(path)
        await db.open()
        settings = _settings(path)
        try:
            await _add_groups(db, groups)
            now = NOW
            await process_body(db, settings, now, body(_answer(events, now, 1, rng)))  # baseline
            for r in range(rounds):
                now += dt.timedelta(minutes=5)
                answer = body(_answer(events, now, 1_000_000 * (r + 1), rng))
                start, cpu = time.perf_counter(), time.process_time()
                report = await process_body(db, settings, now, answer)
                new_ms.append((time.perf_counter() - start) * 1000)
                # CPU of both threads (ours and SQLite's): what the poll costs, also when
                # other processes share the machine and stretch the wall-clock figure.
                new_cpu_ms.append((time.process_time() - cpu) * 1000)
                enqueued += report.sent
                now += dt.timedelta(minutes=5)
                start = time.perf_counter()
                await process_body(db, settings, now, answer)
                seen_ms.append((time.perf_counter() - start) * 1000)
        finally:
            await db.close()
    return {
        "new_ms_median": statistics.median(new_ms),
        "new_ms_max": max(new_ms),
        "new_cpu_ms_median": statistics.median(new_cpu_ms),
        "seen_ms_median": statistics.median(seen_ms),
        "messages_per_poll": enqueued / rounds,
    }


def replay_counts() -> list[tuple[str, dict[str, int]]]:
    """Events per routing class in every recorded answer."""
    out = []
    for path in recorded_files():
        parsed = parse_answer(path.read_bytes(), STOCKHOLM)
        counts: collections.Counter[str] = collections.Counter()
        for e in parsed.events:
            counts[{KOMMUN: "kommun", LAN: "län"}.get(e.place.routing, "unknown place")] += 1
            if e.place.miscased:
                counts["miscased"] += 1
            if e.category is None:
                counts["unknown type"] += 1
            if e.category == "burglary":
                counts["burglary family"] += 1
        counts["events"] = len(parsed.events)
        out.append((path.name, dict(counts)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=5000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    figures = asyncio.run(measure(args.groups, args.events, args.rounds))
    median, worst = figures["new_ms_median"], figures["new_ms_max"]
    print(f"{args.events} new events x {args.groups} groups: median {median:.0f} ms per poll"
          f" (max {worst:.0f} ms; CPU {figures['new_cpu_ms_median']:.0f} ms; goal < 200 ms),"
          f" {figures['messages_per_poll']:.0f} messages enqueued per poll")  # fmt: skip
    print(
        f"steady state (all {args.events} seen): median {figures['seen_ms_median']:.0f} ms per poll"
    )
    counts = replay_counts()
    if not counts:
        print("(../shared/polisen is absent: no replay counts)")
    cols = [
        "events",
        "kommun",
        "län",
        "miscased",
        "unknown type",
        "unknown place",
        "burglary family",
    ]
    for name, c in counts:
        print(f"{name}: " + json.dumps({k: c.get(k, 0) for k in cols}, ensure_ascii=False))


if __name__ == "__main__":
    main()
