"""`grannvakt run` in webhook mode as an operator starts it: the process registers its
webhook, answers people through it, stops cleanly on SIGTERM; its set-up mistakes end in
one line (secret missing, port taken, URL refused by Telegram)."""

from __future__ import annotations

import asyncio
import signal
import socket

from tests.cli_helpers import cli_env, one_line, run_cli, run_cli_async, start_bot_process

SECRET = "cli-webhook-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(emu, tmp_path, **values):
    return cli_env(
        tmp_path,
        BOT_TOKEN=emu.token,
        TELEGRAM_API_URL=emu.base_url,
        DATABASE_PATH=str(tmp_path / "grannvakt.db"),
        POLICE_FEED_ENABLED="false",
        DATA_CONTROLLER="Sölvesborgs kommun, dataskydd@example.se",  # no start-up warning
        **values,
    )


async def test_run_in_webhook_mode_answers_and_stops_on_sigterm(emu, tmp_path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = _env(emu, tmp_path, WEBHOOK_URL=url, WEBHOOK_PORT=str(port), WEBHOOK_SECRET=SECRET)
    process = await start_bot_process(tmp_path, env)
    try:
        await emu.wait_until(lambda: emu.webhook_url == url, timeout=30, what="setWebhook")
        assert emu.webhook_secret == SECRET
        anna = emu.add_user("Anna")
        await emu.send_text(anna, "/id")
        answer = await emu.wait_for_message(anna.id, after=0, timeout=15)
        assert str(anna.id) in answer.text
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = stderr.decode()
    assert process.returncode == 0, text
    assert (
        "started as @grannvakt_test_bot (webhook " in text
        and "grannvakt stopped; database closed" in text
    )
    assert SECRET not in text and emu.token not in text
    assert not [c for c in emu.calls if c.method.lower() == "getupdates"]


def test_webhook_url_without_secret_is_one_line(tmp_path):
    env = cli_env(tmp_path, BOT_TOKEN="123:abc", WEBHOOK_URL="https://bot.example.se/telegram")
    result = run_cli(["run"], tmp_path, env)
    one_line(result.returncode, result.stderr, 2, "WEBHOOK_SECRET must be set")


def test_invalid_webhook_settings_are_named(tmp_path):
    cases = {
        "WEBHOOK_URL": ("ftp://bot.example.se/x", "must be a public https:// URL"),
        "WEBHOOK_SECRET": ("has spaces in it", "A-Z, a-z, 0-9, _ and -"),
        "WEBHOOK_PORT": ("70000", "WEBHOOK_PORT is invalid"),
        "LOG_FORMAT": ("xml", "LOG_FORMAT is invalid"),
    }
    for name, (value, needle) in cases.items():
        env = cli_env(
            tmp_path,
            BOT_TOKEN="123:abc",
            WEBHOOK_URL="https://bot.example.se/t",
            WEBHOOK_SECRET="good-secret",
        )
        env[name] = value
        result = run_cli(["run"], tmp_path, env)
        line = one_line(result.returncode, result.stderr, 2, needle)
        assert line.startswith(f"grannvakt: {name}"), line


async def test_webhook_port_in_use_is_one_line(emu, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = _env(
            emu,
            tmp_path,
            WEBHOOK_URL=f"http://127.0.0.1:{port}/t",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=SECRET,
            LOG_LEVEL="WARNING",
        )
        status, _, stderr = await run_cli_async(["run"], tmp_path, env)
    one_line(status, stderr, 1, f"WEBHOOK_PORT={port} cannot be used")


async def test_webhook_url_refused_by_telegram_is_one_line(emu, tmp_path):
    port = _free_port()
    env = _env(
        emu,
        tmp_path,
        WEBHOOK_URL=f"http://localhost:{port}/t",  # Telegram wants https
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=SECRET,
        LOG_LEVEL="WARNING",
    )
    status, _, stderr = await run_cli_async(["run"], tmp_path, env)
    one_line(status, stderr, 1, "Telegram refused WEBHOOK_URL", "https url must be provided")
