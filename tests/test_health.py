"""`grannvakt status` and `GET /healthz`: healthy, and each unhealthy condition (a stuck
outbox, an unreadable database, a failing police feed), judged with an injected clock."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import timedelta

import aiohttp
import pytest

from bot.health import check_health
from storage import feed_calls
from tests.alerts_helpers import compose_alert, make_police, register_groups
from tests.cli_helpers import cli_env, run_cli
from tests.harness import BotHarness, fixed_clock

SECRET = "health-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def hooked(emu, tmp_path):
    """A bot in webhook mode (so /healthz is served) with a clock the test moves."""
    port = _free_port()
    harness = BotHarness(
        emu,
        tmp_path / "grannvakt.db",
        clock=fixed_clock(),
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_port=port,
        webhook_secret=SECRET,
    )
    await harness.start()
    yield harness
    await harness.stop()


async def _pending(harness) -> int:
    sql = "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"
    return await harness.services.db.fetch_value(sql)


async def _healthz(harness) -> tuple[int, dict]:
    url = f"http://127.0.0.1:{harness.settings.webhook_port}/healthz"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def test_healthz_is_200_when_healthy_with_every_field(hooked):
    emu = hooked.emu
    chats = [emu.add_group(f"G{n}", bot_is_member=True) for n in range(2)]
    await register_groups(hooked, chats)
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "/start")
    await emu.wait_for_message(anna.id, after=0)
    status, body = await _healthz(hooked)
    assert status == 200, body
    assert body["status"] == "ok" and body["problems"] == []
    assert body["database"]["schema_version"] == body["database"]["schema_expected"]
    assert body["database"]["size_bytes"] > 0
    assert body["counts"] == {"active_groups": 2, "people": 1, "open_observations": 0}
    assert body["outbox"]["pending"] == 0
    assert set(body["outbox"]) == {
        "pending",
        "oldest_pending_since",
        "oldest_pending_age_seconds",
        "failed_last_24h",
    }
    assert body["checked_at"].startswith("2026-11-25T12:00")  # the injected clock


async def test_healthz_is_503_when_the_outbox_is_stuck(hooked):
    """A dead delivery worker: the alert's messages stay pending; after 10 minutes due
    the bot is unhealthy (and not before)."""
    emu, clock = hooked.emu, hooked.clock
    await hooked.services.delivery.stop()
    officer = emu.add_user("Olle")
    chats = [emu.add_group(f"G{n}", bot_is_member=True) for n in range(3)]
    await register_groups(hooked, chats)
    await make_police(hooked, officer, "0180")
    await compose_alert(emu, officer, "Inbrott på Ekvägen")
    for _ in range(100):  # the Send press is handled in the bot's own task
        if await _pending(hooked) >= 3:
            break
        await asyncio.sleep(0.05)
    clock.advance(minutes=9)
    status, body = await _healthz(hooked)
    assert status == 200, body
    assert body["outbox"]["pending"] >= 3
    clock.advance(minutes=2)
    status, body = await _healthz(hooked)
    assert status == 503
    assert body["status"] == "unhealthy"
    assert any(p.startswith("outbox stuck") for p in body["problems"]), body
    assert body["outbox"]["oldest_pending_age_seconds"] == pytest.approx(660, abs=5)


async def test_a_row_waiting_for_its_retry_time_is_not_stuck(hooked):
    """Deferred rows (not_before in the future) count from when they are due."""
    db, clock = hooked.services.db, hooked.clock
    await hooked.services.delivery.stop()
    now = clock.now()
    from storage.timeutil import to_db

    await db.execute(
        "INSERT INTO outbox (priority, kind, chat_id, payload, status, not_before, created_at,"
        " updated_at) VALUES (2, 'notice', 1, '{}', 'pending', ?, ?, ?)",
        (to_db(now + timedelta(hours=1)), to_db(now - timedelta(hours=5)), to_db(now)),
    )
    report = await check_health(db, clock, hooked.settings)
    assert report.healthy, report.problems
    clock.advance(minutes=71)
    report = await check_health(db, clock, hooked.settings)
    assert not report.healthy and "outbox stuck" in report.problems[0]


async def test_failing_feed_is_unhealthy_after_an_hour(hooked):
    db, clock = hooked.services.db, hooked.clock
    settings = hooked.settings.model_copy(update={"police_feed_enabled": True})
    start = clock.now()
    ok = await feed_calls.start_call(db, "https://polisen.se/api/events", start)
    await feed_calls.finish_call(db, ok, "ok", http_status=200)
    for minutes in (5, 30, 55):
        call = await feed_calls.start_call(
            db, "https://polisen.se/api/events", start + timedelta(minutes=minutes)
        )
        await feed_calls.finish_call(db, call, "http_503", http_status=503)
    clock.advance(minutes=60)  # failing for 55 minutes
    report = await check_health(db, clock, settings)
    assert report.healthy, report.problems
    clock.advance(minutes=10)  # failing for 65 minutes
    report = await check_health(db, clock, settings)
    assert report.problems == ["police feed failing for 1.1 h (last result: http_503)"]
    body = report.to_dict()
    assert body["feed"]["last_result"] == "http_503"
    # With the feed switched off, its old failures do not matter.
    assert (await check_health(db, clock, hooked.settings)).healthy
    # A good answer ends it.
    call = await feed_calls.start_call(db, "https://polisen.se/api/events", clock.now())
    await feed_calls.finish_call(db, call, "ok", http_status=200)
    assert (await check_health(db, clock, settings)).healthy


async def test_healthz_is_503_when_the_database_cannot_be_read(hooked, monkeypatch):
    import sqlite3

    import bot.health

    async def malformed(db, now):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(bot.health, "read_figures", malformed)
    status, body = await _healthz(hooked)
    assert status == 503
    assert body["database"]["ok"] is False
    assert body["problems"] == [
        "database unreadable: DatabaseError: database disk image is malformed"
    ]


# ----------------------------------------------------------------- grannvakt status


def _env(tmp_path, db):
    return cli_env(tmp_path, DATABASE_PATH=str(db), POLICE_FEED_ENABLED="false")


def test_status_of_a_healthy_database_exits_0(tmp_path):
    db = tmp_path / "g.db"
    assert run_cli(["roles", "list", "--create"], tmp_path, _env(tmp_path, db)).returncode == 0
    result = run_cli(["status"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "status: ok"
    for field in (
        "database:",
        "schema version:",
        "outbox pending: 0",
        "outbox oldest due pending: none",
        "outbox failures in the last 24 h: 0",
        "last tip pass:",
        "last digest:",
        "last feed poll:",
        "active groups: 0",
        "people: 0",
        "open observations: 0",
    ):
        assert any(line.startswith(field) for line in lines), (field, lines)
    result = run_cli(["status", "--json"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 0
    assert json.loads(result.stdout)["status"] == "ok"


def test_status_of_a_corrupt_database_exits_1(tmp_path):
    db = tmp_path / "g.db"
    assert run_cli(["roles", "list", "--create"], tmp_path, _env(tmp_path, db)).returncode == 0
    data = bytearray(db.read_bytes())
    page = 4096
    data[page:] = b"\xde\xad" * ((len(data) - page) // 2)  # every page but the first
    db.write_bytes(bytes(data))
    result = run_cli(["status"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("status: UNHEALTHY\nproblem: database unreadable")
    assert "Traceback" not in result.stderr


def test_status_of_a_file_that_is_not_sqlite_exits_1(tmp_path):
    db = tmp_path / "g.db"
    db.write_text("not a database, " * 100)
    result = run_cli(["status"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 1
    assert "problem: database unreadable: not an SQLite database" in result.stdout


def test_status_of_an_older_schema_says_the_bot_will_migrate_it(tmp_path):
    """An operator who upgraded but has not started the bot yet."""
    import sqlite3

    from storage.migrations import discover_migrations

    db = tmp_path / "g.db"
    conn = sqlite3.connect(db)
    first = discover_migrations()[0]
    conn.executescript(first.sql)
    conn.execute(f"PRAGMA user_version = {first.version}")
    conn.commit()
    conn.close()
    result = run_cli(["status"], tmp_path, _env(tmp_path, db))
    assert result.returncode == 1
    assert "the bot migrates it when it starts" in result.stdout
    with sqlite3.connect(db) as conn:  # status changed nothing
        assert conn.execute("PRAGMA user_version").fetchone()[0] == first.version
    conn.close()
