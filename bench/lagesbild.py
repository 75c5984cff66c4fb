"""The lägesbild at national scale: `python -m bench.lagesbild [--observations 1000000]`.

A temporary database gets the 290 kommuner (one registered group each), N observations
over the two years before the benchmark's Monday (built with one INSERT … SELECT over a
recursive CTE; located within ±0.1° of the middle of each kommun's border box), 100,000
police feed events, and for every kommun two police officers and one kommun-role holder.
Then:

* chart: one kommun's year (aggregates + PNG), repeated; p50/p95 (goal: p95 < 1 s);
* map: the same kommun's year as a heat grid (aggregates + PNG); p50/p95 (goal < 1 s);
* weekly round: `bot.services.digests.send_due` for all 870 police and kommun
  recipients, i.e. every text digest and one chart per kommun and language, enqueued
  (goal: < 60 s), and how late the event loop answers meanwhile (the longest stall).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.charts_map import render_map
from bot.lagesbild_chart import render_chart
from bot.services import digests, kommun_outline, lagesbild_map
from bot.services import lagesbild as service
from bot.services.kommuner import load_kommuner
from bot.services.roles import system
from storage.db import Database
from storage.timeutil import to_db

TZ = ZoneInfo("Europe/Stockholm")
MONDAY = datetime(2026, 11, 30, 9, tzinfo=UTC)  # after 08:00 local: the round is due
KOMMUN = "1083"


async def build(db: Database, observations: int) -> list[str]:
    codes = [k.code for k in load_kommuner()]
    stamp = to_db(MONDAY - timedelta(days=800))
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO groups (id, chat_id, title, area_name, kommun_code, registered_at,"
            " created_at, updated_at) VALUES (?, ?, 'G', 'Område', ?, ?, ?, ?)",
            [(i + 1, -1_000_000 - i, code, stamp, stamp, stamp) for i, code in enumerate(codes)],
        )
        await conn.execute(
            "CREATE TEMP TABLE k (i INTEGER PRIMARY KEY, code TEXT, lat REAL, lon REAL)"
        )
        centres = []
        for i, code in enumerate(codes):
            outline = kommun_outline.outline_of(code)
            box = outline.bounds if outline else kommun_outline.Bounds(14.0, 56.0, 15.0, 57.0)
            centres.append((i, code, (box.south + box.north) / 2, (box.west + box.east) / 2))
        await conn.executemany("INSERT INTO k VALUES (?, ?, ?, ?)", centres)
        # Two years back from MONDAY; a pseudo-random spread of ±0.1° around the centre.
        start = MONDAY.timestamp() - 2 * 365 * 86400
        await conn.execute(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)"
            " INSERT INTO observations (ref_year, ref_number, group_id, kommun_code, reporter_id,"
            " category, observed_at, latitude, longitude, description, status, created_at,"
            " updated_at)"
            " SELECT 2000, t.n, (t.n % ?) + 1, k.code, t.n % 50000,"
            " CASE t.n % 9 WHEN 0 THEN 'burglary' WHEN 1 THEN 'theft' WHEN 2 THEN 'vehicle_crime'"
            " WHEN 3 THEN 'vandalism' WHEN 4 THEN 'drugs' WHEN 5 THEN 'traffic'"
            " WHEN 6 THEN 'suspicious_person' WHEN 7 THEN 'suspicious_vehicle' ELSE 'other' END,"
            " t.ts, k.lat - 0.1 + ((n * 7919) % 1000) / 5000.0,"
            " k.lon - 0.1 + ((n * 104729) % 1000) / 5000.0,"
            " 'x', CASE WHEN n % 50 = 0 THEN 'withdrawn' ELSE 'new' END, t.ts, t.ts"
            " FROM (SELECT n, strftime('%Y-%m-%dT%H:%M:%S.000000Z',"
            " ? + ((n * 2654435761) % ?), 'unixepoch') AS ts FROM s) AS t"
            " JOIN k ON k.i = t.n % ?",
            (observations, len(codes), start, 2 * 365 * 86400, len(codes)),
        )
        await conn.execute(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100000)"
            " INSERT INTO feed_events (id, content_hash, name, summary, url, type, category,"
            " routing, kommun_code, lan_code, published_at, status, first_seen_at, updated_at)"
            " SELECT n, 'h', 'n', 's', 'u',"
            " CASE n % 8 WHEN 0 THEN 'Inbrott' WHEN 1 THEN 'Trafikolycka' WHEN 2 THEN"
            " 'Narkotikabrott' WHEN 3 THEN 'Stöld' WHEN 4 THEN 'Rattfylleri' WHEN 5 THEN"
            " 'Skadegörelse' WHEN 6 THEN 'Brand' ELSE 'Sammanfattning natt' END,"
            " CASE n % 4 WHEN 0 THEN 'burglary' WHEN 1 THEN 'traffic' WHEN 2 THEN 'drugs'"
            " ELSE NULL END, 'kommun', k.code, substr(k.code, 1, 2),"
            " strftime('%Y-%m-%dT%H:%M:%S.000000Z', ? + ((n * 2654435761) % ?), 'unixepoch'),"
            " 'sent', '2026-01-01', '2026-01-01' FROM s JOIN k ON k.i = n % ?",
            (start, 2 * 365 * 86400, len(codes)),
        )
        grants = []
        for i, code in enumerate(codes):
            grants += [
                (10_000 + 3 * i, "police", code),
                (10_001 + 3 * i, "police", code),
                (10_002 + 3 * i, "kommun", code),
            ]
        await conn.executemany(
            "INSERT INTO roles (user_id, role, scope, granted_at) VALUES (?, ?, ?, ?)",
            [(*g, stamp) for g in grants],
        )
    await db.execute("ANALYZE")
    return codes


TICK = 0.05  # the loop-watch's sleep: a person's update waits at most this plus a stall


async def _tick(stalls: list[tuple[float, float]]) -> None:
    """How late the event loop wakes a sleeper during the round: how long a resident's
    message would wait for the bot to look at it. Appends (when, how late)."""
    while True:
        t0 = time.perf_counter()
        await asyncio.sleep(TICK)
        stalls.append((t0, time.perf_counter() - t0 - TICK))


def _cpu() -> float:
    """CPU seconds used by this process and its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _stats(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"p50 {statistics.median(times):.3f} s, p95 {p95:.3f} s (n={len(times)})"


async def run(observations: int, repeats: int, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "bench.db"
        built = path.exists()
        db = Database(path)
        await db.open()
        try:
            t0 = time.perf_counter()
            if built:  # --keep: a database built by an earlier run; the round is redone
                await db.execute("DELETE FROM digest_sends")
                await db.execute("DELETE FROM outbox")
            else:
                await build(db, observations)
            total = await db.fetch_value("SELECT COUNT(*) FROM observations")
            print(
                f"{'reused' if built else 'built'} {total} observations in"
                f" {time.perf_counter() - t0:.1f} s"
            )
            scope = service.Scope(kommun_codes=(KOMMUN,))
            period = service.period_ending(service.PeriodKind.YEAR, MONDAY, TZ)
            chart_times, map_times = [], []
            for _ in range(repeats):
                t0 = time.perf_counter()
                picture = await service.collect(db, scope, period)
                png = render_chart(picture, "sv", "Lägesbild Sölvesborg\nv. 49 2025 – v. 48 2026")
                chart_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                grid = await lagesbild_map.heat_grid(db, scope, period)
                map_png = render_map(grid, "sv", "Karta Sölvesborg")
                map_times.append(time.perf_counter() - t0)
            print(
                f"one kommun, one year: {picture.observation_total} observations,"
                f" {len(grid.cells)} cells shown, {grid.suppressed} suppressed;"
                f" PNG {len(png) // 1024} KiB / {len(map_png) // 1024} KiB"
            )
            print(f"chart (aggregates + PNG): {_stats(chart_times)}   goal p95 < 1 s")
            print(f"map   (aggregates + PNG): {_stats(map_times)}   goal p95 < 1 s")

            async def language_of(user_id: int) -> str:
                return "sv"

            stalls: list[tuple[float, float]] = []
            ticking = asyncio.create_task(_tick(stalls))
            t0 = time.perf_counter()
            cpu0 = _cpu()
            result = await digests.send_due(db, system("bench"), TZ, MONDAY, language_of)
            elapsed = time.perf_counter() - t0
            cpu = _cpu() - cpu0
            ticking.cancel()
            late = [s for _, s in stalls]
            worst = max(stalls, key=lambda s: s[1], default=(t0, 0.0))
            charts = await db.fetch_value(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'digest' AND payload LIKE '%photo_png%'"
            )
            print(
                f"weekly round: {result.enqueued} recipients enqueued ({charts} chart photos),"
                f" {result.empty} empty, in {elapsed:.1f} s   goal < 60 s"
            )
            print(
                f"  of which charts: {result.charts} drawn in {result.chart_seconds:.1f} s"
                " (aggregates of all scopes and the PNGs)"
            )
            print(
                f"  CPU time of the round: {cpu:.1f} s (this process and its drawing"
                f" processes; {os.cpu_count()} cores: the round's own work, whatever the load)"
            )
            print(
                f"event loop during the round: longest stall {worst[1]:.3f} s"
                f" ({worst[0] - t0:.1f} s into the round), p99 {_p(late, 0.99):.3f} s"
                f" over {len(late)} ticks of {TICK} s"
            )
        finally:
            await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--keep", type=Path, help="database file: built once if missing, reused after"
    )
    args = parser.parse_args()
    asyncio.run(run(args.observations, args.repeats, args.keep))


if __name__ == "__main__":
    main()
