"""`grannvakt feed poll|replay|status` on a real database file, without a running bot."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from storage import groups as group_store
from storage.db import Database
from tests.feed_fixtures import body, event, recorded_files, window
from tests.feed_server import FeedServer


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    db_call(tmp_path / "cli.db", lambda db: asyncio.sleep(0))  # the bot's database exists
    return tmp_path


@pytest.fixture
def server(monkeypatch):
    """The local feed server on its own loop in a thread (the CLI runs its own loop)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    feed = FeedServer()
    asyncio.run_coroutine_threadsafe(feed.__aenter__(), loop).result(10)
    monkeypatch.setenv("POLICE_FEED_URL", feed.url)
    monkeypatch.setenv("POLICE_FEED_ENABLED", "true")  # conftest switches it off for safety
    yield feed
    asyncio.run_coroutine_threadsafe(feed.__aexit__(None, None, None), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def db_call(path, work):
    async def go():
        db = Database(path)
        await db.open()
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(go())


def add_solvesborg_group(path) -> int:
    async def work(db):
        now = datetime.now(UTC)
        group = await group_store.ensure_group(db, -555, "Möllebacken", now)
        await group_store.register_group(db, group.id, "Möllebacken", "1083", now)
        return group.id

    return db_call(path, work)


def outbox(path) -> list[dict]:
    async def work(db):
        rows = await db.fetch_all("SELECT group_id, payload FROM outbox ORDER BY id")
        return [{"group_id": r[0], **json.loads(r[1])} for r in rows]

    return db_call(path, work)


def test_poll_then_poll_again_respects_the_ten_seconds(env, server, capsys):
    now = datetime.now(UTC)
    server.serve_events(window(now))
    assert main(["feed", "poll"]) == 0
    assert "outcome: baseline" in capsys.readouterr().out
    assert main(["feed", "poll"]) == 0
    out = capsys.readouterr().out
    assert "outcome: wait" in out and "next call allowed at" in out
    assert len(server.requests) == 1
    assert main(["feed", "status"]) == 0
    status = capsys.readouterr().out
    assert "calls in the last 24 h: 1" in status and "(baseline)" in status


def test_poll_dry_run_stores_nothing(env, server, capsys):
    server.serve_events(window(datetime.now(UTC)))
    assert main(["feed", "poll", "--dry-run"]) == 0
    assert "DRY RUN" in capsys.readouterr().out

    async def seen(db):
        return await db.fetch_value("SELECT COUNT(*) FROM feed_events")

    assert db_call(env / "cli.db", seen) == 0


def test_poll_reports_a_404(env, server, capsys):
    server.push(status=404)
    assert main(["feed", "poll"]) == 1
    assert "outcome: gone" in capsys.readouterr().out
    assert main(["feed", "status"]) == 0
    assert "STOPPED" in capsys.readouterr().out


def test_replay_routes_and_marks_the_messages(env, capsys):
    gid = add_solvesborg_group(env / "cli.db")
    now = datetime.now(UTC)
    recorded = env / "answer.json"
    recorded.write_bytes(body([event(900010, now - timedelta(minutes=5)), *window(now)]))
    assert main(["feed", "replay", str(recorded), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "[REPLAY]" in out and "DRY RUN" in out and f"groups: {gid}" in out
    assert outbox(env / "cli.db") == []
    assert main(["feed", "replay", str(recorded)]) == 0
    rows = outbox(env / "cli.db")
    assert [r["group_id"] for r in rows] == [gid] and "Uppspelning" in rows[0]["text"]
    assert main(["feed", "replay", str(recorded)]) == 0  # never twice
    assert len(outbox(env / "cli.db")) == 1


def test_replay_of_a_bad_file_is_a_clear_error(env, capsys):
    bad = env / "bad.json"
    bad.write_text("<html>", encoding="utf-8")
    assert main(["feed", "replay", str(bad)]) == 1
    assert "not a feed answer" in capsys.readouterr().err
    assert main(["feed", "replay", str(env / "missing.json")]) == 1


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "[" + "1" * 5000 + "]"],  # RecursionError; ValueError (int digits limit)
    ids=["nested-too-deep", "number-too-long"],
)
def test_an_answer_python_cannot_decode_is_a_bad_body_not_a_crash(env, server, capsys, text):
    server.push(status=200, body=text.encode())
    assert main(["feed", "poll"]) == 1
    captured = capsys.readouterr()
    assert "outcome: error:bad_body" in captured.out and "unexpected" not in captured.err
    assert main(["feed", "status"]) == 0
    assert "(error:bad_body)" in capsys.readouterr().out  # the call is finished, not pending
    recorded = env / "answer.json"
    recorded.write_text(text, encoding="utf-8")
    assert main(["feed", "replay", str(recorded)]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith("grannvakt: ") and "not a feed answer" in line, line


def test_replay_of_a_file_larger_than_any_answer_is_refused_unread(env, capsys, monkeypatch):
    from bot import cli_feed

    monkeypatch.setattr(cli_feed, "MAX_BODY", 1000)
    big = env / "big.json"
    big.write_text("[" + " " * 2000 + "]", encoding="utf-8")
    assert main(["feed", "replay", str(big)]) == 1
    assert "larger than a feed answer may be (1,000 bytes)" in capsys.readouterr().err


def test_replay_of_a_recorded_answer(env, capsys):
    files = recorded_files()
    if not files:
        pytest.skip("../shared/polisen is absent")
    add_solvesborg_group(env / "cli.db")
    assert main(["feed", "replay", str(files[-1]), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "outcome: suspect:stale_window" in out  # months-old news is never news


def test_poll_refuses_while_the_feed_is_switched_off(env, server, monkeypatch, capsys):
    monkeypatch.setenv("POLICE_FEED_ENABLED", "false")
    server.serve_events(window(datetime.now(UTC)))
    assert main(["feed", "poll"]) == 2
    captured = capsys.readouterr()
    err_lines = captured.err.strip().splitlines()
    assert len(err_lines) == 1 and "POLICE_FEED_ENABLED=false" in err_lines[0]
    assert "--force" in err_lines[0] and captured.out == ""
    assert server.requests == []  # the police were not called
    assert main(["feed", "poll", "--dry-run"]) == 2 and server.requests == []
    assert main(["feed", "poll", "--force"]) == 0
    assert "outcome: baseline" in capsys.readouterr().out and len(server.requests) == 1
    assert main(["feed", "status"]) == 0  # status and replay still work while it is off
    assert "enabled: no" in capsys.readouterr().out
