"""Benchmark: N registered groups all due for a tip in the same minute.

    python -m bench.tips [--groups 600]      (5000 groups take about three minutes)

Runs the real Application against the Bot API emulator with an injected clock set to
Monday 18:00 local, lets one scheduler pass enqueue every tip, and measures: the total
time against N / 30 s (Telegram's overall limit), the highest number of sends in any
one second, how many 429s the emulator answered, and the latency of an alert (a
priority-1 outbox row) enqueued while the tips are still draining.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import tempfile
import time
from pathlib import Path

from bot.clock import FixedClock
from bot.ratelimit import PRIORITY_ALERT
from bot.tip_scheduler import tip_scheduler_of
from storage import groups as group_store
from storage.outbox import OutgoingMessage, SendText, enqueue_many
from tests.emulator import BotApiEmulator
from tests.harness import BotHarness

WEDNESDAY = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
MONDAY_1800 = dt.datetime(2026, 11, 30, 17, tzinfo=dt.UTC)


async def run(groups: int, alert_after: float) -> dict[str, float]:
    """Run the scenario; returns the figures."""
    async with BotApiEmulator(token="123456:BENCH", bot_username="grannvakt_bench_bot") as emu:
        with tempfile.TemporaryDirectory() as tmp:
            clock = FixedClock(WEDNESDAY)
            harness = BotHarness(emu, Path(tmp) / "bench.db", clock=clock, log_level="WARNING")
            await harness.start()
            try:
                return await _scenario(harness, emu, clock, groups, alert_after)
            finally:
                await harness.stop()


async def _scenario(
    harness: BotHarness, emu: BotApiEmulator, clock: FixedClock, groups: int, alert_after: float
) -> dict[str, float]:
    db = harness.services.db
    user = emu.add_user("Bench")
    ids: list[int] = []
    chats: list[int] = []
    setup_started = time.monotonic()
    for i in range(groups):
        chat = emu.add_group(f"Grupp {i}", members=[user], bot_is_member=True)
        group = await group_store.ensure_group(db, chat.id, chat.title, WEDNESDAY)
        await group_store.register_group(db, group.id, f"Område {i}", "0180", WEDNESDAY)
        ids.append(group.id)
        chats.append(chat.id)
    scheduler = tip_scheduler_of(harness.app)
    await scheduler.tick()  # default schedules: Monday 18:00
    setup_seconds = time.monotonic() - setup_started
    await asyncio.sleep(0.5)
    emu.reset_limits()
    base_sent = emu.stats.messages_sent
    base_429 = emu.stats.rate_limited

    clock.set(MONDAY_1800 + dt.timedelta(seconds=5))
    started = time.monotonic()
    result = await scheduler.tick()
    enqueue_seconds = time.monotonic() - started
    assert result.sent == groups, result

    await asyncio.sleep(alert_after)
    alert_chat, alert_group = chats[-1], ids[-1]
    tips_before_alert = emu.stats.messages_sent - base_sent
    alert_started = time.monotonic()
    async with db.transaction() as conn:
        await enqueue_many(
            conn,
            [OutgoingMessage(PRIORITY_ALERT, "alert", SendText("🚨 BENCH ALERT"), alert_group)],
            clock.now(),
        )
    harness.services.delivery.wake()
    await emu.wait_for_message(alert_chat, lambda m: "BENCH ALERT" in m.text, timeout=60)
    alert_latency = time.monotonic() - alert_started
    tips_at_alert = emu.stats.messages_sent - base_sent - 1

    await emu.wait_until(
        lambda: emu.stats.messages_sent - base_sent >= groups + 1,
        timeout=groups / 10 + 60,
        what="all tips delivered",
    )
    total = time.monotonic() - started
    send_times = [t for t in emu.stats.send_times if t >= started]
    window = max(
        (sum(1 for u in send_times[i : i + 40] if u - t < 1.0) for i, t in enumerate(send_times)),
        default=0,
    )
    return {
        "groups": groups,
        "setup_s": setup_seconds,
        "enqueue_s": enqueue_seconds,
        "total_s": total,
        "ideal_s": groups / 30,
        "ratio_vs_30_per_s": total / (groups / 30),
        "throughput_per_s": (len(send_times) - 1) / (send_times[-1] - send_times[0]),
        "max_sends_in_1s": window,
        "http_429": emu.stats.rate_limited - base_429,
        "alert_latency_s": alert_latency,
        "tips_sent_before_alert_enqueued": tips_before_alert,
        "tips_sent_while_alert_waited": tips_at_alert - tips_before_alert,
        "tips_still_pending_when_alert_sent": groups - tips_at_alert,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=600, help="registered groups (5000: ~3 min)")
    parser.add_argument(
        "--alert-after", type=float, default=5.0, help="seconds after the tips to send an alert"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    figures = asyncio.run(run(args.groups, args.alert_after))
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")


if __name__ == "__main__":
    main()
