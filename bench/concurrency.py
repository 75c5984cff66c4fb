"""Benchmark: many residents at once, and one person's slow Telegram call.

    python -m bench.concurrency [--residents 20]

Runs the real Application against the Bot API emulator (Telegram's limits on).

1. **Simultaneous Sends.** N residents of one group (one coordinator) each fill in a
   report through the real /report dialogue up to its summary; then all press *Send* at
   the same moment. Prints p50/p95/max of the time from the press until the resident's
   summary shows the reference (O-YYYY-NNNN), and when the coordinator had all N
   notifications. Goal: p95 < 1 s.
2. **Slow-call interference.** Ten residents send /help one after the other, first alone,
   then while another person's every answer is held 3 s by Telegram (an emulator fault)
   and that person keeps writing. Prints p95 of the /help answer time in both phases and
   the difference. Goal: the slow person adds < 0.5 s.
3. **Outage recovery.** getUpdates answers 502 for 60 s while a resident writes /help;
   prints how long after the API is back the resident is answered. Goal: a few seconds
   (polling backs off 3 s at most).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from handlers.observations_buttons import ReportButton, ReportStep
from storage import groups, roles
from tests.emulator import BotApiEmulator
from tests.emulator.state import SentMessage, User
from tests.harness import BotHarness
from tests.test_observations_support import add_person

SLOW_DELAY = 3.0


@dataclass
class Neighbourhood:
    """One registered group, its coordinator and its residents (all with a private chat)."""

    group_id: int
    coordinator: User
    residents: list[User]


async def make_neighbourhood(
    harness: BotHarness, residents: int, name: str = "Björkhagen"
) -> Neighbourhood:
    """A registered group in kommun 0180 with a coordinator and `residents` members."""
    emu, db, now = harness.emu, harness.services.db, harness.services.clock.now()
    coordinator = emu.add_user(f"Kontaktombud {name}")
    people = [emu.add_user(f"Boende {n} {name}") for n in range(residents)]
    for person in [coordinator, *people]:
        person.started = True
        await add_person(harness, person)
    # The coordinator is an admin of the group in Telegram: notices of new reports only
    # reach coordinators Telegram still calls admins.
    chat = emu.add_group(name, admins=[coordinator], members=people, bot_is_member=True)
    group = await groups.ensure_group(db, chat.id, name, now)
    await groups.register_group(db, group.id, name, "0180", now)
    for person in people:
        await groups.add_member(db, group.id, person.id, "deep_link", now)
    await roles.grant_role(db, coordinator.id, "coordinator", str(group.id), None, now)
    return Neighbourhood(group.id, coordinator, people)


async def press_and_wait(emu: BotApiEmulator, user: User, message: SentMessage, data: str) -> None:
    """Press a dialogue button and wait until the bot edited the message."""
    edits = len(message.history)
    await emu.press_button(user, message, data=data)
    await emu.wait_until(lambda: len(message.history) > edits, 60, "the step's answer")


async def fill_in_report(emu: BotApiEmulator, resident: User, text: str) -> SentMessage:
    """Go through the /report dialogue up to its summary; returns the summary message."""
    await emu.send_text(resident, "/report")
    prompt = await emu.wait_for_message(resident.id, lambda m: "112" in m.content, timeout=60)
    await press_and_wait(emu, resident, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press_and_wait(emu, resident, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    n = len(emu.sent_messages(resident.id))
    await emu.send_text(resident, "Storgatan 1")
    await emu.wait_for_message(resident.id, after=n, timeout=60)
    n = len(emu.sent_messages(resident.id))
    await emu.send_text(resident, text)
    step = await emu.wait_for_message(resident.id, after=n, timeout=60)
    await press_and_wait(emu, resident, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press_and_wait(emu, resident, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    return step


def quantile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values, by linear interpolation; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def simultaneous_sends(harness: BotHarness, residents: int) -> dict[str, float]:
    emu = harness.emu
    hood = await make_neighbourhood(harness, residents)
    summaries = await asyncio.gather(
        *(fill_in_report(emu, r, f"Iakttagelse från {r.first_name}") for r in hood.residents)
    )
    await asyncio.sleep(1.5)  # let every private chat's send budget refill
    notes_before = len(emu.sent_messages(hood.coordinator.id))
    times: list[float] = []

    async def send(resident: User, summary: SentMessage) -> None:
        started = time.monotonic()
        await emu.press_button(
            resident, summary, data=ReportButton(ReportStep.SUMMARY, "ok").pack()
        )
        await emu.wait_until(lambda: "O-" in summary.content, 60, "the reference")
        times.append(time.monotonic() - started)

    started = time.monotonic()
    await asyncio.gather(*(send(r, s) for r, s in zip(hood.residents, summaries, strict=True)))
    await emu.wait_until(
        lambda: len(emu.sent_messages(hood.coordinator.id)) >= notes_before + residents,
        residents * 3 + 30,
        "every coordinator notification",
    )
    return {
        "residents": residents,
        "reference_p50_s": statistics.median(times),
        "reference_p95_s": quantile(times, 0.95),
        "reference_max_s": max(times),
        "coordinator_all_notified_s": time.monotonic() - started,
    }


async def _help_latencies(emu: BotApiEmulator, people: list[User], rounds: int) -> list[float]:
    latencies: list[float] = []
    for n in range(rounds):
        person = people[n % len(people)]
        before = len(emu.sent_messages(person.id))
        started = time.monotonic()
        await emu.send_text(person, "/help")
        await emu.wait_for_message(person.id, after=before, timeout=30)
        latencies.append(time.monotonic() - started)
        await asyncio.sleep(0.1)
    return latencies


async def slow_call_interference(harness: BotHarness) -> dict[str, float]:
    emu = harness.emu
    people = [emu.add_user(f"Fråga {n}") for n in range(10)]
    slow_person = emu.add_user("Långsam")
    await _help_latencies(emu, people, 10)  # warm up
    alone = await _help_latencies(emu, people, 60)

    rule = emu.faults.add(
        "slow",
        ["sendMessage", "editMessageText"],
        count=None,
        predicate=lambda p: str(p.get("chat_id")) == str(slow_person.id),
        delay=SLOW_DELAY,
    )
    stop = asyncio.Event()

    async def keep_writing() -> None:
        while not stop.is_set():
            await emu.send_text(slow_person, "/help")
            await asyncio.sleep(0.5)

    writer = asyncio.get_running_loop().create_task(keep_writing())
    await emu.wait_until(lambda: rule.fired, 10, "the slow person's first held answer")
    during = await _help_latencies(emu, people, 60)
    stop.set()
    await writer
    emu.faults.remove(rule)
    return {
        "help_p95_alone_s": quantile(alone, 0.95),
        "help_p95_with_slow_person_s": quantile(during, 0.95),
        "added_by_slow_person_s": quantile(during, 0.95) - quantile(alone, 0.95),
        "slow_answers_held": rule.fired,
    }


async def outage_recovery(harness: BotHarness, seconds: float = 60.0) -> dict[str, float]:
    emu = harness.emu
    person = emu.add_user("Under avbrottet")
    outage = emu.faults.add("5xx", "getUpdates", count=None)
    await emu.wait_until(lambda: outage.fired, 15, "the first failed poll")
    before = len(emu.sent_messages(person.id))
    await emu.send_text(person, "/help")
    await asyncio.sleep(seconds)
    emu.faults.remove(outage)
    back = time.monotonic()
    await emu.wait_for_message(person.id, after=before, timeout=60)
    return {"outage_s": seconds, "answered_after_api_back_s": time.monotonic() - back}


async def run(residents: int) -> dict[str, float]:
    async with BotApiEmulator(token="123456:BENCH", bot_username="grannvakt_bench_bot") as emu:
        with tempfile.TemporaryDirectory() as tmp:
            harness = BotHarness(emu, Path(tmp) / "bench.db", log_level="WARNING")
            await harness.start()
            try:
                figures = await simultaneous_sends(harness, residents)
                figures.update(await slow_call_interference(harness))
                figures.update(await outage_recovery(harness))
                return figures
            finally:
                await harness.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=20, help="residents pressing Send")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    figures = asyncio.run(run(args.residents))
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    ok = figures["reference_p95_s"] < 1.0 and figures["added_by_slow_person_s"] < 0.5
    print("goals met" if ok else "GOALS NOT MET (reference p95 < 1 s, slow person adds < 0.5 s)")


if __name__ == "__main__":
    main()
