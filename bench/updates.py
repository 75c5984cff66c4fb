"""Benchmark: update processing of grannvakt against a bare PTB 22 bot, side by side.

    python -m bench.updates [--users 200] [--per-user 10] [--rounds 5] [--no-html]

Each bot runs in this process against its own Bot API emulator in a child process
(limits lifted: `enforce_limits=False`), so the CPU this process uses is the bot's alone.
The emulator queues `users × per_user` `/start` messages from `users` new people (all at
once, round-robin over the people) and reports when every one of them has been answered.

* bare: a PTB `Application` with one `CommandHandler("start")` that replies a line of text;
* bare-html: the same, replying grannvakt's own /start text (HTML): the emulator's work
  of the answer is then the same as grannvakt's, only the bot differs (both bare bots are
  PTB as it comes: the answer form-encoded, and a `Message` built from Telegram's reply,
  which grannvakt skips: bot/api_request.py);
* grannvakt: the real Application (tests/harness.py: every handler, tracking, the database,
  the delivery worker and schedulers), its own rate limiter kept in the path but with
  Telegram's limits lifted like the emulator's (10 answers per private chat in a burst
  would otherwise wait for ~1/s per chat by design).

The bots' rounds are interleaved (bare, bare-html, grannvakt, bare, ...; `--no-html`
leaves bare-html out), each on a fresh bot, database and emulator after a small
warm-up, so a spell of load from other programs hits both bots of a pair alike. Prints
per round: updates per second and CPU milliseconds per update (this process: event loop,
aiosqlite's thread, HTTP); then, over the pairs of a round, the median of the per-pair
ratios grannvakt / bare of throughput and of CPU per update (bare's CPU / grannvakt's:
above 1 is better, like throughput). CPU time is the steadier of the two on a shared
machine: wall time also counts the time other programs hold the cores.
Goal: throughput ratio >= 0.85.

Then the same bots without HTTP: `Application.process_update` on 2,000 ready-made
`/start` updates with a transport that answers at once (the best of 3 passes), which
separates the bot's own work (handlers, tracking, storage, rate limiter) from the
Bot API round trips both bots share.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing as mp
import os
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
from telegram.request import BaseRequest, RequestData

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


async def _bare_start_same_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """grannvakt's own /start answer for a new person (HTML), without anything else."""
    from bot.i18n import Html, t

    assert update.effective_user is not None and update.effective_message is not None
    text = t(
        "sv",
        "core.start",
        name=update.effective_user.first_name,
        next_step=Html(t("sv", "core.start.next_resident")),
    )
    await update.effective_message.reply_text(text, parse_mode="HTML")


class BareBot:
    """PTB 22 as it comes: one handler, no persistence, no rate limiter."""

    callback = staticmethod(_bare_start)

    def __init__(self, emu: EmulatorProcess, _tmp: Path) -> None:
        self.app = (
            Application.builder()
            .token(emu.token)
            .base_url(emu.base_url)
            .base_file_url(emu.base_file_url)
            .build()
        )
        self.app.add_handler(CommandHandler("start", self.callback))

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


class BareSameTextBot(BareBot):
    """The bare bot answering with grannvakt's /start text: the same Bot API work."""

    callback = staticmethod(_bare_start_same_text)


def _lift_limits(app: Application) -> None:
    """Keep grannvakt's limiter in the path with Telegram's limits lifted."""
    from bot.ratelimit import PriorityRateLimiter

    app.bot._rate_limiter = PriorityRateLimiter(  # type: ignore[attr-defined]
        overall_per_second=1_000_000,
        group_per_minute=1_000_000,
        private_per_second=1_000_000.0,
        private_burst=1_000_000.0,
        overall_window_limit=1_000_000,  # the backstop would cap it at Telegram's 30/s
    )


class GrannvaktBot:
    """The real Application, as the end-to-end tests run it."""

    def __init__(self, emu: EmulatorProcess, tmp: Path) -> None:
        from tests.harness import BotHarness

        target: Any = SimpleNamespace(
            token=emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url
        )
        self.harness = BotHarness(
            target, tmp / "bench.db", customize=_lift_limits, log_level="WARNING"
        )

    async def start(self) -> None:
        await self.harness.start()

    async def stop(self) -> None:
        await self.harness.stop()


BOTS = {"bare": BareBot, "bare-html": BareSameTextBot, "grannvakt": GrannvaktBot}


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


# ---------------------------------------------------------------- without HTTP

_BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}


class _InstantApi(BaseRequest):
    """A transport answering every Bot API call at once: getMe, sendMessage, else True."""

    def __init__(self) -> None:
        self._message_id = 0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        result: Any = True
        if url.endswith("/getMe"):
            result = _BOT_USER
        elif url.endswith("/sendMessage") and request_data is not None:
            self._message_id += 1
            chat_id = int(request_data.parameters["chat_id"])  # type: ignore[arg-type]
            result = {
                "message_id": self._message_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private", "first_name": "P"},
                "from": _BOT_USER,
                "text": str(request_data.parameters.get("text", "")),
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


def _start_update(update_id: int, user_id: int) -> dict[str, Any]:
    person = {"id": user_id, "is_bot": False, "first_name": "P", "language_code": "sv"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            "chat": {"id": user_id, "type": "private", "first_name": "P"},
            "from": person,
        },
    }


async def without_http(kind: str, users: int, updates: int = 2000) -> float:
    """CPU milliseconds per /start in `process_update` alone (best of 3 passes)."""
    with tempfile.TemporaryDirectory() as tmp:
        if kind != "grannvakt":
            app = (
                Application.builder()
                .token(TOKEN)
                .request(_InstantApi())
                .get_updates_request(_InstantApi())
                .build()
            )
            app.add_handler(CommandHandler("start", BOTS[kind].callback))  # type: ignore[attr-defined]
            await app.initialize()
        else:
            from bot.app import build_application
            from tests.harness import make_settings

            target: Any = SimpleNamespace(
                token=TOKEN, base_url="http://127.0.0.1:9/bot", base_file_url=None
            )
            app = build_application(make_settings(target, Path(tmp) / "b.db", log_level="WARNING"))
            app.bot._request = (_InstantApi(), _InstantApi())  # type: ignore[attr-defined]
            _lift_limits(app)
            await app.initialize()
            assert app.post_init is not None
            await app.post_init(app)
        batch = [
            Update.de_json(_start_update(n, 1_000 + n % users), app.bot) for n in range(updates)
        ]
        for update in batch[:users]:  # everyone seen once
            await app.process_update(update)
        passes = []
        for _ in range(3):
            cpu0 = time.process_time()
            for update in batch:
                await app.process_update(update)
            passes.append((time.process_time() - cpu0) * 1000 / updates)
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
    return min(passes)


async def run(users: int, per_user: int, rounds: int, kinds: list[str]) -> dict[str, list[Figures]]:
    """`rounds` rounds, each measuring every bot in `kinds` once, in that order."""
    results: dict[str, list[Figures]] = {kind: [] for kind in kinds}
    for n in range(rounds):
        for kind in kinds:
            figures = await measure(kind, users, per_user)
            results[kind].append(figures)
            print(
                f"round {n + 1} {kind:9s} {figures.per_second:7.1f} updates/s"
                f"   CPU {figures.cpu_ms:5.2f} ms/update   ({figures.updates} in"
                f" {figures.wall_s:.2f} s)",
                flush=True,
            )
    return results


def pair_ratios(base: list[Figures], ours: list[Figures]) -> tuple[list[float], list[float]]:
    """Per round: grannvakt's throughput / the base's, and the base's CPU per update /
    grannvakt's (both above 1 when grannvakt does better)."""
    pairs = list(zip(base, ours, strict=True))
    return [o.per_second / b.per_second for b, o in pairs], [b.cpu_ms / o.cpu_ms for b, o in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--no-html", action="store_true", help="leave out the bare bot with grannvakt's text"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    kinds = ["bare", "grannvakt"] if args.no_html else ["bare", "bare-html", "grannvakt"]
    # Other programs' load moves every round's figures (the CPU per update least).
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    results = asyncio.run(run(args.users, args.per_user, args.rounds, kinds))
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    rate = {k: statistics.median(f.per_second for f in v) for k, v in results.items()}
    cpu = {k: statistics.median(f.cpu_ms for f in v) for k, v in results.items()}
    print(
        f"median of {args.rounds}: "
        + ", ".join(f"{k} {rate[k]:.1f} updates/s ({cpu[k]:.2f} ms CPU)" for k in kinds)
    )
    for base in kinds[:-1]:
        throughput, cpu_ratio = pair_ratios(results[base], results["grannvakt"])
        ratio = statistics.median(throughput)
        verdict = "ok" if ratio >= GOAL else "UNDER GOAL"
        print(
            f"grannvakt / {base}, median of per-round pairs: throughput {ratio:.3f}"
            f" ({', '.join(f'{p:.2f}' for p in throughput)}), CPU per update"
            f" {statistics.median(cpu_ratio):.3f} ({', '.join(f'{p:.2f}' for p in cpu_ratio)})"
            f"   ({verdict}, goal >= {GOAL})"
        )
    offline: dict[str, float] = {}
    for _ in range(3):  # interleaved too; the best pass of each bot counts
        for kind in kinds:
            best = asyncio.run(without_http(kind, args.users))
            offline[kind] = min(offline.get(kind, best), best)
    print(
        "without HTTP (process_update only), CPU per update: "
        + ", ".join(f"{k} {offline[k]:.3f} ms" for k in kinds)
        + f" (bare / grannvakt {offline['bare'] / offline['grannvakt']:.3f})"
    )


if __name__ == "__main__":
    main()
