"""Benchmark: `grannvakt backup` while a police alert goes to N groups.

    python -m bench.backup [--groups 1000]      (1000 groups take about 40 s)

Runs the real Application against the Bot API emulator (Telegram's limits on), sends one
alert to every group and, once the first messages are out, takes a backup with SQLite's
online backup API (storage/backup.py) from another thread, as `grannvakt backup` does
from another process. Prints the backup's time and size and checks it: integrity_check
ok, every outbox row committed before the backup began present and no older than then,
the delivery counters consistent with the rows, and the copy taken mid-broadcast.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import asdict
from pathlib import Path

from tests.backup_scenario import BackupDuringBroadcast, backup_during_broadcast
from tests.emulator import BotApiEmulator
from tests.harness import BotHarness


async def run(groups: int) -> BackupDuringBroadcast:
    async with BotApiEmulator(token="123456:BENCH", bot_username="grannvakt_bench_bot") as emu:
        with tempfile.TemporaryDirectory() as tmp:
            harness = BotHarness(
                emu, Path(tmp) / "bench.db", log_level="WARNING", police_feed_enabled=False
            )
            await harness.start()
            try:
                return await backup_during_broadcast(harness, groups, Path(tmp) / "backup.db")
            finally:
                await harness.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=1000)
    args = parser.parse_args()
    figures = asyncio.run(run(args.groups))
    for name, value in asdict(figures).items():
        print(f"{name}: {value:.3f}" if isinstance(value, float) else f"{name}: {value}")
    ok = (
        figures.integrity == "ok"
        and figures.missing == 0
        and figures.regressed == 0
        and figures.counts_consistent
        and 0 < figures.backup_sent < figures.backup_total == figures.groups
    )
    print("result:", "ok" if ok else "FAILED")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
