"""Storage benchmark for observations: `python -m bench.storage [--rows 1000000]`.

Fills a temporary database with observations across 2,000 groups (bulk executemany in big
transactions; a benchmark fixture, not application code), then measures:

* the insert rate through the application's own path (`storage.observations.create_observation`:
  one transaction per report, with the hourly-limit check and the per-year reference counter);
* p50/p95 of a coordinator's filtered listing page, a police inbox page and a detail view,
  each through the service functions the handlers call (access re-read from storage included),
  ~200 runs with varied parameters.

Goals: p95 < 10 ms per page, >= 2,000 inserts/s.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FixedClock
from bot.services import observations as svc
from bot.services.kommuner import load_kommuner
from config import Settings
from storage.db import Database
from storage.observations import NewObservation, Photo, create_observation
from storage.timeutil import to_db

GROUPS = 2000
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CATEGORIES = list(svc.CATEGORIES)
STATUSES = ["new", "reviewed", "forwarded", "closed"]
COORDINATOR_BASE = 10_000_000
POLICE_BASE = 20_000_000


async def fill(db: Database, rows: int, seed: int = 1) -> dict[int, str]:
    """Groups, roles and `rows` observations (10 % forwarded, some photos and notes)."""
    rng = random.Random(seed)
    codes = [k.code for k in load_kommuner()]
    stamp = to_db(NOW)
    group_kommun = {g: rng.choice(codes) for g in range(1, GROUPS + 1)}
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO groups (id, chat_id, title, area_name, kommun_code, registered_at,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (g, -1_000_000 - g, f"Grupp {g}", f"Område {g}", k, stamp, stamp, stamp)
                for g, k in group_kommun.items()
            ],
        )
        roles = [(COORDINATOR_BASE + g, "coordinator", str(g), stamp) for g in group_kommun]
        # Every 10th coordinator also runs the next two groups.
        roles += [
            (COORDINATOR_BASE + g, "coordinator", str(g + d), stamp)
            for g in range(1, GROUPS - 2, 10)
            for d in (1, 2)
        ]
        roles += [(POLICE_BASE + i, "police", code, stamp) for i, code in enumerate(codes)]
        await conn.executemany(
            "INSERT INTO roles (user_id, role, scope, granted_at) VALUES (?, ?, ?, ?)", roles
        )
    span = 365 * 24 * 3600
    chunk = 50_000
    obs_id = 0
    for start in range(0, rows, chunk):
        batch, forwards, photos, notes = [], [], [], []
        for _ in range(min(chunk, rows - start)):
            obs_id += 1
            group = rng.randint(1, GROUPS)
            created = NOW - timedelta(seconds=span * (1 - obs_id / rows))
            status = rng.choices(STATUSES, weights=(30, 40, 10, 20))[0]
            batch.append(
                (
                    obs_id,
                    2025,
                    obs_id,
                    group,
                    group_kommun[group],
                    1_000_000 + rng.randint(0, 200_000),
                    rng.random() < 0.5,
                    rng.choice(CATEGORIES),
                    to_db(created - timedelta(minutes=30)),
                    "Storgatan 1" if obs_id % 2 else None,
                    None if obs_id % 2 else 59.0 + rng.random(),
                    None if obs_id % 2 else 18.0 + rng.random(),
                    "Beskrivning av det som hände " * 4,
                    status,
                    to_db(created),
                    to_db(created),
                )
            )
            if status == "forwarded":
                handled = to_db(created + timedelta(days=1)) if rng.random() < 0.5 else None
                forwards.append((obs_id, group_kommun[group], 1, to_db(created), handled))
            if obs_id % 7 == 0:
                photos.append((obs_id, 0, f"AgAC{obs_id}", f"u{obs_id}", 120_000))
            if obs_id % 5 == 0:
                notes.append((obs_id, 1, "Kollat med grannen", to_db(created)))
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO observations (id, ref_year, ref_number, group_id, kommun_code,"
                " reporter_id, show_identity, category, observed_at, place_text, latitude,"
                " longitude,"
                " description, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                batch,
            )
            await conn.executemany(
                "INSERT INTO observation_forwards (observation_id, kommun_code, forwarded_by,"
                " forwarded_at, handled_at) VALUES (?, ?, ?, ?, ?)",
                forwards,
            )
            await conn.executemany(
                "INSERT INTO observation_photos (observation_id, position, file_id,"
                " file_unique_id, file_size) VALUES (?, ?, ?, ?, ?)",
                photos,
            )
            await conn.executemany(
                "INSERT INTO observation_notes (observation_id, author_id, text, created_at)"
                " VALUES (?, ?, ?, ?)",
                notes,
            )
    await db.conn.execute("ANALYZE")
    return group_kommun


async def insert_rate(db: Database, count: int, seed: int = 2) -> float:
    """Single-observation inserts through the repository's transaction path; per second."""
    rng = random.Random(seed)
    start = time.perf_counter()
    for i in range(count):
        now = NOW + timedelta(milliseconds=i)
        new = NewObservation(
            group_id=rng.randint(1, GROUPS),
            kommun_code="0180",
            reporter_id=2_000_000 + i % 5000,
            show_identity=False,
            category=rng.choice(CATEGORIES),
            observed_at=now,
            place_text="Storgatan 1",
            latitude=None,
            longitude=None,
            location_exact=False,
            description="Någon ryckte i dörrhandtag längs gatan",
            photos=(Photo("AgACx", f"ux{i}", 1000),) if i % 3 == 0 else (),
        )
        saved = await create_observation(db, new, now, 2026, now - timedelta(hours=1), 10)
        assert saved is not None
    return count / (time.perf_counter() - start)


async def timed(runs: int, make: Callable[[int], Awaitable[object]]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `runs` calls."""
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        await make(i)
        samples.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return statistics.median(samples), cuts[94]


async def run(rows: int, inserts: int, runs: int, path: Path) -> dict[str, float]:
    settings = Settings(_env_file=None, bot_token="1:bench", database_path=str(path))  # type: ignore[call-arg]
    clock = FixedClock(NOW + timedelta(minutes=1))
    db = Database(path)
    await db.open()
    try:
        t0 = time.perf_counter()
        group_kommun = await fill(db, rows)
        fill_s = time.perf_counter() - t0
        rng = random.Random(3)
        codes = sorted(set(group_kommun.values()))
        police_of = {
            code: POLICE_BASE + i for i, code in enumerate(sorted(k.code for k in load_kommuner()))
        }

        async def coordinator_listing(i: int) -> object:
            flt = svc.ListFilter(
                status=rng.choice([None, *STATUSES]),
                category=rng.choice([None, None, *CATEGORIES]),
                period=rng.choice(svc.PERIODS),
                page=rng.choice([0, 0, 1, 2]),
            )
            user = COORDINATOR_BASE + rng.randint(1, GROUPS)
            page = await svc.coordinator_page(db, settings, clock, user, flt)
            assert page is not None
            return page

        async def police_inbox(i: int) -> object:
            user = police_of[rng.choice(codes)]
            page = await svc.inbox_page(db, settings, user, rng.choice([0, 0, 1, 3]))
            assert page is not None
            return page

        targets = []
        for _ in range(runs):
            obs_id = rng.randint(1, rows)
            group = await db.fetch_value(
                "SELECT group_id FROM observations WHERE id = ?", (obs_id,)
            )
            targets.append((obs_id, COORDINATOR_BASE + group))

        async def detail(i: int) -> object:
            obs_id, user = targets[i]
            obs, _ = await svc.load_for(db, settings, user, obs_id, svc.Viewer.COORDINATOR)
            assert obs is not None
            return obs

        listing = await timed(runs, coordinator_listing)
        inbox = await timed(runs, police_inbox)
        details = await timed(runs, detail)
        rate = await insert_rate(db, inserts)
    finally:
        await db.close()
    results = {
        "fill_seconds": fill_s,
        "listing_p50": listing[0],
        "listing_p95": listing[1],
        "inbox_p50": inbox[0],
        "inbox_p95": inbox[1],
        "detail_p50": details[0],
        "detail_p95": details[1],
        "inserts_per_s": rate,
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--inserts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = asyncio.run(run(args.rows, args.inserts, args.runs, Path(tmp) / "bench.db"))
    print(
        f"filled {args.rows:,} observations across {GROUPS:,} groups in {r['fill_seconds']:.1f} s"
    )
    for name, label in (
        ("listing", "coordinator listing page (filtered)"),
        ("inbox", "police inbox page"),
        ("detail", "detail view"),
    ):
        p95 = r[f"{name}_p95"]
        verdict = "ok" if p95 < 10 else "OVER GOAL"
        print(
            f"{label:40s} p50 {r[f'{name}_p50']:6.2f} ms   p95 {p95:6.2f} ms"
            f"   ({verdict}, goal < 10 ms)"
        )
    rate = r["inserts_per_s"]
    verdict = "ok" if rate >= 2000 else "UNDER GOAL"
    print(f"{'inserts (one transaction each)':40s} {rate:8.0f} /s   ({verdict}, goal >= 2000/s)")


if __name__ == "__main__":
    main()
