"""Benchmark: instructions per update of grannvakt and the bare bots of bench.updates,
counted by valgrind (cachegrind), a figure that does not move with the machine's load.

    python -m bench.updates_instructions [--users 100] [--per-user 5] [--bots bare,grannvakt]

For each bot, two runs under `valgrind --tool=cachegrind --cache-sim=no`: start-up and
bench.updates' warm-up alone, then the same plus `users × per_user` /start. The difference,
divided by the updates, is the bot's own instructions per update (event loop, aiosqlite's
thread, HTTP; the emulator runs in a child process valgrind does not follow). Each run
takes about a minute: the bot runs ~30 times slower under valgrind, the emulator does not,
so the concurrency the bot sees differs from bench.updates' and the figures are good for
comparing code, not for throughput. Needs valgrind (`apt install valgrind`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys

from bench.updates import BOTS, measure

INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")


def count(kind: str, users: int, per_user: int) -> int:
    """Instructions of one child run of `kind` under cachegrind (start-up included)."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.updates_instructions",
        "--child",
        kind,
        "--users",
        str(users),
        "--per-user",
        str(per_user),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    found = INSTRUCTIONS.search(done.stderr)
    if done.returncode != 0 or found is None:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise SystemExit(f"bench.updates_instructions: the {kind} run failed: {tail[0]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--per-user", type=int, default=5)
    parser.add_argument("--bots", default="bare,bare-html,grannvakt")
    parser.add_argument("--child", choices=sorted(BOTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import logging

        logging.basicConfig(level=logging.ERROR)
        # bench.updates' measured run: warm-up, then the burst (none when per-user is 0)
        asyncio.run(measure(args.child, args.users, args.per_user))
        return
    kinds = [kind.strip() for kind in args.bots.split(",")]
    unknown = [kind for kind in kinds if kind not in BOTS]
    if unknown or args.users < 1 or args.per_user < 1:
        raise SystemExit(
            f"bench.updates_instructions: bots are {', '.join(BOTS)}; users and per-user >= 1"
        )
    if shutil.which("valgrind") is None:
        raise SystemExit("bench.updates_instructions: valgrind is not installed")
    os.environ.setdefault("PYTHONHASHSEED", "0")  # the same dict orders in every run
    updates = args.users * args.per_user
    per_update: dict[str, float] = {}
    for kind in kinds:
        alone = count(kind, args.users, 0)
        with_updates = count(kind, args.users, args.per_user)
        per_update[kind] = (with_updates - alone) / updates
        print(f"{kind:9s} {per_update[kind] / 1e6:6.2f} M instructions per update", flush=True)
    if "grannvakt" in per_update:
        for base in (kind for kind in kinds if kind != "grannvakt"):
            ratio = per_update[base] / per_update["grannvakt"]
            print(f"{base} / grannvakt: {ratio:.3f} (below 1: grannvakt runs more per update)")


if __name__ == "__main__":
    main()
