"""Benchmark: update processing of grannvakt against a bare PTB 22 bot, side by side.

    python -m bench.updates [--users 200] [--per-user 10] [--rounds 3]

Each bot runs in this process against its own Bot API emulator in a child process
(limits lifted: `enforce_limits=False`), so the CPU this process uses is the bot's alone.
The emulator queues `users × per_user` `/start` messages from `users` new people (all at
once, round-robin over the people) and reports when every one of them has been answered.

* bare: a PTB `Application` with one `CommandHandler("start")` that replies a line of text;
* grannvakt: the real Application (tests/harness.py: every handler, tracking, the database,
  the delivery worker and schedulers), its own rate limiter kept in the path but with
  Telegram's limits lifted like the emulator's (10 answers per private chat in a burst
  would otherwise wait for ~1/s per chat by design).

Rounds alternate bare / grannvakt, each on a fresh bot, database and emulator after a
small warm-up. Prints per round and as the median: updates per second, CPU milliseconds
per update (this process: event loop, aiosqlite's thread, HTTP), and the ratios
grannvakt / bare. Goal: throughput ratio >= 0.85.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing as mp
import statistics
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

TOKEN = "123456:BENCH"
WARMUP_USERS = 20
WARMUP_PER_USER = 2
GOAL = 0.85


# ---------------------------------------------------------------- the emulator process


def _emulator_process(conn: Connection) -> None:
    asyncio.run(_serve_emulator(conn))


async def _serve_emulator(conn: Connection) -> None:
    from tests.emulator import BotApiEmulator

    loop = asyncio.get_running_loop()
    async with BotApiEmulator(
        token=TOKEN, bot_username="grannvakt_bench_bot", enforce_limits=False
    ) as emu:
        conn.send((emu.base_url, emu.base_file_url))
        serial = 0
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command[0] == "stop":
                break
            _, users, per_user = command
            people = [
                emu.add_user(f"Person {serial}-{n}", language_code="sv") for n in range(users)
            ]
            serial += 1
            total = users * per_user
            before = emu.stats.messages_sent
            started = time.perf_counter()
            for _ in range(per_user):
                for person in people:
                    await emu.send_text(person, "/start")
            await emu.wait_until(
                lambda before=before, total=total: emu.stats.messages_sent - before >= total,
                timeout=total * 0.1 + 60,
                what=f"{total} answers",
            )
            conn.send(time.perf_counter() - started)


class EmulatorProcess:
    """A child process running the emulator; `burst` asks it to send and wait."""

    def __init__(self) -> None:
        self._conn, child = mp.get_context("spawn").Pipe()
        self._process = mp.get_context("spawn").Process(
            target=_emulator_process, args=(child,), daemon=True
        )
        self._process.start()
        self.base_url, self.base_file_url = self._conn.recv()
        self.token = TOKEN

    async def burst(self, users: int, per_user: int) -> float:
        """Queue users × per_user /start and wait for every answer; the emulator's wall time."""
        self._conn.send(("burst", users, per_user))
        return await asyncio.get_running_loop().run_in_executor(None, self._conn.recv)

    def close(self) -> None:
        self._conn.send(("stop",))
        self._process.join(10)


# ---------------------------------------------------------------- the two bots


async def _bare_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None and update.effective_message is not None
    await update.effective_message.reply_text(f"Hej {update.effective_user.first_name}!")


class BareBot:
    """PTB 22 as it comes: one handler, no persistence, no rate limiter."""

    def __init__(self, emu: EmulatorProcess, _tmp: Path) -> None:
        self.app = (
            Application.builder()
            .token(emu.token)
            .base_url(emu.base_url)
            .base_file_url(emu.base_file_url)
            .build()
        )
        self.app.add_handler(CommandHandler("start", _bare_start))

    async def start(self) -> None:
        await self.app.initialize()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)
        await self.app.start()

    async def stop(self) -> None:
        assert self.app.updater is not None
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()


class GrannvaktBot:
    """The real Application, as the end-to-end tests run it."""

    def __init__(self, emu: EmulatorProcess, tmp: Path) -> None:
        from bot.ratelimit import PriorityRateLimiter
        from tests.harness import BotHarness

        def lift_limits(app: Application) -> None:
            app.bot._rate_limiter = PriorityRateLimiter(  # type: ignore[attr-defined]
                overall_per_second=1_000_000,
                group_per_minute=1_000_000,
                private_per_second=1_000_000.0,
                private_burst=1_000_000.0,
            )

        target: Any = SimpleNamespace(
            token=emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url
        )
        self.harness = BotHarness(
            target, tmp / "bench.db", customize=lift_limits, log_level="WARNING"
        )

    async def start(self) -> None:
        await self.harness.start()

    async def stop(self) -> None:
        await self.harness.stop()


BOTS = {"bare": BareBot, "grannvakt": GrannvaktBot}


@dataclass(frozen=True)
class Figures:
    updates: int
    wall_s: float
    cpu_s: float

    @property
    def per_second(self) -> float:
        return self.updates / self.wall_s

    @property
    def cpu_ms(self) -> float:
        return self.cpu_s * 1000 / self.updates


async def measure(kind: str, users: int, per_user: int) -> Figures:
    """One fresh emulator, bot and database; a warm-up burst, then the measured one."""
    emu = EmulatorProcess()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bot = BOTS[kind](emu, Path(tmp))
            await bot.start()
            try:
                await emu.burst(WARMUP_USERS, WARMUP_PER_USER)
                cpu0, wall0 = time.process_time(), time.perf_counter()
                await emu.burst(users, per_user)
                cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            finally:
                await bot.stop()
    finally:
        emu.close()
    return Figures(users * per_user, wall, cpu)


async def run(users: int, per_user: int, rounds: int) -> dict[str, list[Figures]]:
    results: dict[str, list[Figures]] = {kind: [] for kind in BOTS}
    for n in range(rounds):
        for kind in BOTS:
            figures = await measure(kind, users, per_user)
            results[kind].append(figures)
            print(
                f"round {n + 1} {kind:9s} {figures.per_second:7.1f} updates/s"
                f"   CPU {figures.cpu_ms:5.2f} ms/update   ({figures.updates} in"
                f" {figures.wall_s:.2f} s)",
                flush=True,
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    results = asyncio.run(run(args.users, args.per_user, args.rounds))
    bare, ours = results["bare"], results["grannvakt"]
    rate = {k: statistics.median(f.per_second for f in v) for k, v in results.items()}
    cpu = {k: statistics.median(f.cpu_ms for f in v) for k, v in results.items()}
    pairs = [o.per_second / b.per_second for b, o in zip(bare, ours, strict=True)]
    print(
        f"median of {args.rounds}: bare {rate['bare']:.1f} updates/s ({cpu['bare']:.2f} ms CPU),"
        f" grannvakt {rate['grannvakt']:.1f} updates/s ({cpu['grannvakt']:.2f} ms CPU)"
    )
    ratio = statistics.median(pairs)
    verdict = "ok" if ratio >= GOAL else "UNDER GOAL"
    print(
        f"throughput ratio grannvakt/bare {ratio:.3f} (per round:"
        f" {', '.join(f'{p:.3f}' for p in pairs)}); CPU ratio bare/grannvakt"
        f" {cpu['bare'] / cpu['grannvakt']:.3f}   ({verdict}, goal >= {GOAL})"
    )


if __name__ == "__main__":
    main()
