"""`grannvakt run` (and `invite`, which asks Telegram too) failing at start-up: a rejected
token, a wrong TELEGRAM_API_URL, an unreachable server, an unusable database. One line
naming the cause, exit 2 (settings) or 1 (run time); no traceback, no hang."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, one_line, run_cli_async, start_bot_process


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(emu, tmp_path: Path, **values: str) -> dict[str, str]:
    base = {
        "BOT_TOKEN": emu.token,
        "TELEGRAM_API_URL": emu.base_url,
        "DATABASE_PATH": str(tmp_path / "grannvakt.db"),
    }
    base.update(values)
    return cli_env(tmp_path, **base)


def _origin(emu) -> str:
    return emu.base_url.removesuffix("/bot")  # http://127.0.0.1:<port>


RUN = ["run"]
INVITE = ["invite", "police", "--kommun", "Lund", "--create"]


@pytest.mark.parametrize("command", [RUN, INVITE], ids=["run", "invite"])
async def test_rejected_token(emu, tmp_path, command):
    status, _, stderr = await run_cli_async(
        command, tmp_path, _env(emu, tmp_path, BOT_TOKEN="999:WRONG-TOKEN-XYZ")
    )
    one_line(status, stderr, 2, "BOT_TOKEN was rejected by Telegram", "@BotFather")
    assert "WRONG-TOKEN-XYZ" not in stderr
    assert not (tmp_path / "grannvakt.db").exists()  # nothing was opened or created


@pytest.mark.parametrize("command", [RUN, INVITE], ids=["run", "invite"])
@pytest.mark.parametrize("suffix", ["", "/"])
async def test_api_url_without_bot_suffix_is_named(emu, tmp_path, command, suffix):
    """Before: "cannot reach ..." with the token glued to the port number, or "BOT_TOKEN
    was rejected" plus a JSON traceback."""
    url = _origin(emu) + suffix
    status, _, stderr = await run_cli_async(
        command, tmp_path, _env(emu, tmp_path, TELEGRAM_API_URL=url)
    )
    one_line(status, stderr, 2, "TELEGRAM_API_URL is invalid", "must end with /bot")
    assert emu.token.split(":")[1] not in stderr


@pytest.mark.parametrize("command", [RUN, INVITE], ids=["run", "invite"])
async def test_api_url_that_is_not_a_bot_api(emu, tmp_path, command):
    url = _origin(emu) + "/telegram/bot"
    status, _, stderr = await run_cli_async(
        command, tmp_path, _env(emu, tmp_path, TELEGRAM_API_URL=url)
    )
    one_line(status, stderr, 2, f"TELEGRAM_API_URL={url}", "Not Found")
    assert "rejected" not in stderr


@pytest.mark.parametrize("command", [RUN, INVITE], ids=["run", "invite"])
async def test_unreachable_api_is_a_runtime_failure(emu, tmp_path, command):
    url = f"http://127.0.0.1:{_closed_port()}/bot"
    status, _, stderr = await run_cli_async(
        command, tmp_path, _env(emu, tmp_path, TELEGRAM_API_URL=url)
    )
    one_line(status, stderr, 1, "cannot reach the Bot API", f"TELEGRAM_API_URL={url}")


async def test_invite_without_a_token_asks_for_one_or_for_bot_username(emu, tmp_path):
    env = _env(emu, tmp_path)
    del env["BOT_TOKEN"]
    status, _, stderr = await run_cli_async(INVITE, tmp_path, env)
    one_line(status, stderr, 2, "BOT_TOKEN is not set")
    status, stdout, stderr = await run_cli_async(
        [*INVITE, "--bot-username", "@grannvakt_bot"], tmp_path, env
    )
    assert status == 0, stderr
    assert stdout.startswith("https://t.me/grannvakt_bot?start=inv_")


@pytest.mark.parametrize("kind", ["not sqlite", "directory"])
async def test_run_with_an_unusable_database_exits_with_one_line(emu, tmp_path, kind):
    """Before: a traceback, "stopped; database closed", and for a non-SQLite file a
    process that never exited (aiosqlite's thread outlived the failed open)."""
    db = tmp_path / "grannvakt.db"
    if kind == "directory":
        db.mkdir()
    else:
        db.write_text("not a database\n" * 100, encoding="utf-8")
    status, _, stderr = await run_cli_async(RUN, tmp_path, _env(emu, tmp_path))
    line = one_line(status, stderr, 2, f"DATABASE_PATH={db}")
    assert "not an SQLite database" in line or "is a directory" in line
    assert "database closed" not in stderr


async def test_run_logs_which_database_it_uses_and_stops_cleanly(emu, tmp_path):
    """The happy path still works after the start-up check: one getMe, then polling."""
    import asyncio
    import signal

    process = await start_bot_process(
        tmp_path, _env(emu, tmp_path, DATABASE_PATH="data/grannvakt.db")
    )
    try:
        anna = emu.add_user("Anna", language_code="sv")
        await emu.send_text(anna, "/start")
        await emu.wait_for_message(anna.id, timeout=30)
        process.send_signal(signal.SIGTERM)
        _, stderr_bytes = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    stderr = stderr_bytes.decode()
    assert process.returncode == 0, stderr
    where = tmp_path / "data" / "grannvakt.db"
    assert f"created a new database at {where}" in stderr
    assert f"; database {where}" in stderr
    assert "database closed" in stderr
    assert sum(call.method == "getMe" for call in emu.calls) == 1
    with sqlite3.connect(where) as conn:
        assert conn.execute("SELECT first_name FROM users").fetchall() == [("Anna",)]


async def test_a_second_bot_on_the_same_database_is_refused(emu, tmp_path):
    """Telegram's 409 only catches a second bot with the same token; a second bot on the
    same database (another token, or one 409 has not caught yet) would send everything
    twice. The second start ends in one line naming the first bot's process; the first
    keeps running and answering. The first one started in a new directory (data/)."""
    import asyncio
    import signal

    env = _env(emu, tmp_path, DATABASE_PATH="data/grannvakt.db")

    first = await start_bot_process(tmp_path, env)
    try:
        anna = emu.add_user("Anna", language_code="sv")
        await emu.send_text(anna, "/start")
        await emu.wait_for_message(anna.id, timeout=30)  # the first bot is up
        status, _, stderr = await run_cli_async(RUN, tmp_path, env)
        line = one_line(status, stderr, 1, "DATABASE_PATH=", "another grannvakt")
        assert f"process {first.pid}" in line
        bob = emu.add_user("Bob", language_code="sv")
        await emu.send_text(bob, "/start")
        await emu.wait_for_message(bob.id, timeout=30)  # the first one still serves
        first.send_signal(signal.SIGTERM)
        _, first_stderr = await asyncio.wait_for(first.communicate(), timeout=30)
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    assert first.returncode == 0, first_stderr.decode()
    with sqlite3.connect(tmp_path / "data" / "grannvakt.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 2
