"""Run `python -m bot ...` as an operator would, and check its one-line failures."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

TIMEOUT = 60  # a hang (the old non-SQLite bug) fails the test instead of blocking the run


def cli_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """A minimal environment: no BOT_TOKEN unless given, HOME in tmp_path."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    if "PYTHONPATH" in os.environ:  # e.g. to run these tests against another checkout
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    # A configured controller, so that the privacy warning does not join the one line an
    # operator mistake gets (tests of that warning unset it).
    env["DATA_CONTROLLER"] = "Testkommunen, dataskydd@example.se"
    # Never the police's real feed: a closed local port if a test gets as far as calling.
    env["POLICE_FEED_URL"] = "http://127.0.0.1:9/api/events"
    env.update(values)
    return env


def run_cli(
    args: list[str], cwd: Path, env: dict[str, str], *, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """`python -m bot *args` in `cwd`; TimeoutExpired if it does not end."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


async def start_bot_process(
    cwd: Path, env: dict[str, str], *, output: int | None = asyncio.subprocess.PIPE
) -> asyncio.subprocess.Process:
    """`python -m bot run` in `cwd` as a child process (its stdout and stderr: `output`, a
    PIPE by default; None inherits them). The caller waits for it, and kills it at the end."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stdout=output, stderr=output
    )


async def run_cli_async(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """The same for tests whose event loop runs the emulator: (status, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def one_line(status: int, stderr: str, expected_status: int, *needles: str) -> str:
    """Assert exit status, exactly one line on stderr containing `needles`, no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert status == expected_status, stderr
    line = lines[0]
    assert line.startswith("grannvakt: "), line
    for needle in needles:
        assert needle in line, line
    return line


def fails_with(
    result: subprocess.CompletedProcess[str], expected_status: int, *needles: str
) -> str:
    """`one_line` for a finished `run_cli` result."""
    return one_line(result.returncode, result.stderr, expected_status, *needles)
