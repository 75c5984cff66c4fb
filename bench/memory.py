"""Benchmark: the bot's memory over a big broadcast (issue #19 goal 5, "memory flat").

    python -m bench.memory [--groups 3000] [--settle 75]

The bot runs as its own process (`python -m bot run`, as in production) against the Bot
API emulator in this process, so its resident set size (RSS) is the bot's alone. The
driver registers `--groups` groups and a police officer in the database, starts the bot,
warms it up (an officer's /help and an alert dialogue up to the confirm step), and reads
the idle RSS. Then the officer presses Send: one alert to every group at Telegram's
30 msg/s (3000 groups take about 100 s). RSS is sampled every 0.2 s (and Linux's own peak,
VmHWM, reset before the broadcast). After the last copy and the officer's report, the
bot idles `--settle` seconds (longer than the rate limiter's 60 s prune period, so idle
per-chat state is dropped) and RSS is read again.

Prints idle, peak and after-idle RSS in MB and the growth after the broadcast.
Goal: after-idle RSS within 5 MB of idle.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from bot.clock import SystemClock
from handlers.alerts_buttons import AlertConfirm
from storage import groups as group_store
from storage import roles as role_store
from storage.db import Database
from tests.alerts_helpers import compose_alert, text_of
from tests.emulator import BotApiEmulator

MB = 1024 * 1024


def _status(pid: int) -> dict[str, int]:
    """VmRSS / VmHWM of a process, in bytes."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


def _reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0, own processes); False if refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


async def _prepare(db_path: Path, emu: BotApiEmulator, officer_id: int, groups: int) -> set[int]:
    db = Database(db_path)
    await db.open()
    try:
        now = SystemClock().now()
        chats = set()
        for n in range(groups):
            chat = emu.add_group(f"Grupp {n}", bot_is_member=True)
            group = await group_store.ensure_group(db, chat.id, chat.title, now)
            await group_store.register_group(db, group.id, f"Område {n}", "0180", now)
            chats.add(chat.id)
        await role_store.grant_role(db, officer_id, "police", "0180", None, now)
        return chats
    finally:
        await db.close()


async def run(groups: int, settle: float) -> dict[str, float]:
    """Run the scenario; returns the figures (MB and seconds)."""
    async with BotApiEmulator(token="123456:BENCH", bot_username="grannvakt_bench_bot") as emu:
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "memory.db"
            officer = emu.add_user("Polis", language_code="sv")
            chats = await _prepare(db_path, emu, officer.id, groups)
            env = {
                **os.environ,
                "BOT_TOKEN": emu.token,
                "TELEGRAM_API_URL": emu.base_url,
                "DATABASE_PATH": str(db_path),
                "LOG_LEVEL": "WARNING",
                "POLICE_FEED_ENABLED": "false",
            }
            polls = emu.stats.calls_by_method["deleteWebhook"]
            with (Path(tmp) / "bot.log").open("wb") as log:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", env=env, cwd=tmp, stdout=log, stderr=log
                )
            try:
                await emu.wait_until(
                    lambda: emu.stats.calls_by_method["deleteWebhook"] > polls, 30, "polling"
                )
                return await _scenario(emu, process.pid, officer, chats, settle)
            finally:
                process.terminate()
                await process.wait()


async def _scenario(emu, pid: int, officer, chats: set[int], settle: float) -> dict[str, float]:
    await emu.send_text(officer, "/help")
    await emu.wait_for_message(officer.id, timeout=30)
    confirm = await compose_alert(emu, officer, "Inbrottsvåg: lås dörrar och fönster.", send=False)
    await asyncio.sleep(3)
    idle = _status(pid)["VmRSS"]
    peak_reset = _reset_peak(pid)
    peak = idle
    emu.reset_limits()
    started = time.monotonic()
    await emu.press_button(officer, confirm, data=AlertConfirm(send=True).pack())

    def delivered() -> int:
        return sum(1 for m in emu.sent_messages() if m.chat_id in chats)

    deadline = started + len(chats) / 10 + 120
    while delivered() < len(chats):
        peak = max(peak, _status(pid)["VmRSS"])
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {delivered()} of {len(chats)} groups reached")
        await asyncio.sleep(0.2)
    broadcast = time.monotonic() - started
    await text_of(emu, confirm, "Levererat:", wait=30)
    settle_until = time.monotonic() + settle
    while time.monotonic() < settle_until:
        peak = max(peak, _status(pid)["VmRSS"])
        await asyncio.sleep(0.5)
    final = _status(pid)
    if peak_reset:
        peak = max(peak, final["VmHWM"])
    return {
        "groups": len(chats),
        "broadcast_s": broadcast,
        "idle_rss_mb": idle / MB,
        "peak_rss_mb": peak / MB,
        "after_idle_rss_mb": final["VmRSS"] / MB,
        "growth_after_mb": (final["VmRSS"] - idle) / MB,
        "settle_s": settle,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=3000, help="registered groups")
    parser.add_argument("--settle", type=float, default=75.0, help="idle seconds afterwards")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    figures = asyncio.run(run(args.groups, args.settle))
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    ok = figures["growth_after_mb"] <= 5.0
    print("goal met" if ok else "GOAL NOT MET (after-idle RSS within 5 MB of idle)")


if __name__ == "__main__":
    main()
