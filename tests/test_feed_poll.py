"""poll_once against the local feed server: User-Agent, 429/404/5xx/timeouts, and the
politeness budget over a simulated day and across restarts (injected clock, no sleeping)."""

from __future__ import annotations

import asyncio
import itertools
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.feed import client as feed_client
from bot.feed import politeness
from bot.feed.service import health, poll_once
from config import Settings
from storage import feed as feed_store
from storage import feed_calls
from storage.db import Database
from tests.feed_fixtures import event, window
from tests.feed_server import FeedServer
from tests.scenario import Scenario

NOON = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
async def server():
    async with FeedServer() as feed:
        yield feed


def settings(server: FeedServer, **overrides) -> Settings:
    values = {"bot_token": "1:x", "police_feed_url": server.url, "admin_user_ids": "42,43"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def notices(db) -> list[dict]:
    rows = await db.fetch_all("SELECT chat_id, payload FROM outbox WHERE kind = 'notice'")
    return [{"chat_id": r[0], **json.loads(r[1])} for r in rows]


async def test_user_agent_names_the_app_and_the_contact(db, server):
    server.serve_events(window(NOON))
    report = await poll_once(db, settings(server, police_feed_contact="ops@example.se"), NOON)
    assert report.outcome == "baseline"
    agent = server.requests[0]["headers"]["User-Agent"]
    assert agent.startswith("grannvakt/") and agent.endswith("(+ops@example.se)")


def test_only_https_or_loopback_http():
    assert feed_client.url_allowed("https://polisen.se/api/events")
    assert feed_client.url_allowed("http://127.0.0.1:8080/api/events")
    assert not feed_client.url_allowed("http://polisen.se/api/events")
    assert not feed_client.url_allowed("ftp://polisen.se/api/events")
    with pytest.raises(ValueError):
        Settings(_env_file=None, bot_token="1:x", police_feed_url="http://polisen.se/api/events")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        Settings(_env_file=None, bot_token="1:x", police_feed_interval=9)  # type: ignore[call-arg]


async def test_redirects_are_not_followed(db, server):
    server.push(status=301, headers={"Location": "http://evil.example/"})
    report = await poll_once(db, settings(server), NOON)
    assert report.outcome == "http_301" and len(server.requests) == 1


async def test_never_two_calls_within_ten_seconds_even_across_a_restart(tmp_path, server):
    server.serve_events(window(NOON))
    db = Database(tmp_path / "r.db")
    await db.open()
    assert (await poll_once(db, settings(server), NOON)).outcome == "baseline"
    await db.close()
    db = Database(tmp_path / "r.db")  # a new process
    await db.open()
    try:
        report = await poll_once(db, settings(server), NOON + timedelta(seconds=9))
        assert report.outcome == "wait" and report.next_call == NOON + timedelta(seconds=10)
        assert len(server.requests) == 1
        assert (await poll_once(db, settings(server), NOON + timedelta(seconds=10))).outcome == "ok"
    finally:
        await db.close()


async def test_at_most_sixty_calls_an_hour_with_a_ten_second_interval(db, server):
    server.serve_events(window(NOON))
    now = NOON
    for _ in range(6 * 65):  # a poll every 10 s for 65 minutes
        await poll_once(db, settings(server), now)
        now += timedelta(seconds=10)
    # 60 in the first ten minutes, then none until each of them is an hour old (30 more).
    assert len(server.requests) == 90
    times = await feed_calls.call_times(db, NOON - timedelta(days=1))
    for i in range(len(times) - 60):
        assert times[i + 60] - times[i] >= timedelta(hours=1)


def test_a_simulated_day_and_a_half_keeps_every_limit():
    # A poller asking every 7 s (more often than allowed) for 36 hours.
    calls: list[datetime] = []
    now = NOON
    end = NOON + timedelta(hours=36)
    while now < end:
        if politeness.next_allowed(calls, now) is None:
            calls.append(now)
        now += timedelta(seconds=7)
    for a, b in itertools.pairwise(calls):
        assert b - a >= timedelta(seconds=10)
    for i in range(len(calls) - 60):
        assert calls[i + 60] - calls[i] >= timedelta(hours=1)
    for i in range(len(calls) - 1440):
        assert calls[i + 1440] - calls[i] >= timedelta(days=1)
    assert len(calls) == 36 * 60  # and the budget is actually usable


def test_daily_cap_binds_when_the_hour_is_quiet():
    # 1440 calls in the last 23 hours (57 s apart), none in the last 12 minutes.
    busy = [NOON - timedelta(hours=23) + timedelta(seconds=57 * i) for i in range(1440)]
    assert politeness.next_allowed(busy, NOON) == busy[0] + timedelta(days=1)
    assert politeness.next_allowed(busy[1:], NOON) is None


async def test_429_honours_retry_after(db, server):
    server.serve_events(window(NOON))
    server.push(status=429, headers={"Retry-After": "600"})
    report = await poll_once(db, settings(server), NOON)
    assert report.outcome == "http_429" and report.next_call == NOON + timedelta(seconds=600)
    assert (await poll_once(db, settings(server), NOON + timedelta(seconds=599))).outcome == "wait"
    assert len(server.requests) == 1
    assert (
        await poll_once(db, settings(server), NOON + timedelta(seconds=600))
    ).outcome == "baseline"


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_back_off_exponentially_and_recover(db, server, status):
    server.serve_events(window(NOON))
    server.push(status=status, body=b"busy")
    server.push(status=status, body=b"busy")
    first = await poll_once(db, settings(server), NOON)
    assert first.outcome == f"http_{status}" and first.next_call == NOON + timedelta(minutes=1)
    second = await poll_once(db, settings(server), NOON + timedelta(minutes=1))
    assert second.next_call == NOON + timedelta(minutes=3)  # 2 minutes after the 2nd failure
    third = await poll_once(db, settings(server), NOON + timedelta(minutes=3))
    assert third.outcome == "baseline" and await feed_calls.get_state(db, "not_before") is None


async def test_timeout_is_an_error_not_a_crash(db, server, monkeypatch):
    monkeypatch.setattr(feed_client, "TIMEOUT", httpx.Timeout(0.2))
    server.push(status=200, body=b"[]", delay=1.0)
    report = await poll_once(db, settings(server), NOON)
    assert report.outcome == "error:timeout" and report.next_call is not None


async def test_a_server_that_drips_its_answer_ends_at_the_deadline(db, server, monkeypatch):
    """Every read gets a byte within httpx's read timeout, so only a deadline for the
    whole call ends it (before: the poll, and `grannvakt feed poll`, hung for good)."""
    monkeypatch.setattr(feed_client, "TIMEOUT", httpx.Timeout(2.0))
    monkeypatch.setattr(feed_client, "DEADLINE", 1.0)
    server.push(status=200, body=b"[" + b" " * 1000 + b"]", drip=0.05)  # 50 s in all
    report = await asyncio.wait_for(poll_once(db, settings(server), NOON), timeout=30)
    assert report.outcome == "error:timeout" and report.next_call is not None


async def test_an_answer_too_large_is_named_so_not_http_200(db, server, monkeypatch):
    monkeypatch.setattr(feed_client, "MAX_BODY", 100)
    server.push(status=200, body=b"[" + b" " * 200 + b"]")
    report = await poll_once(db, settings(server), NOON)
    assert report.outcome == "error:too_large" and report.next_call is not None


async def test_unreachable_server_is_an_error(db, server):
    dead = Settings(
        _env_file=None, bot_token="1:x", police_feed_url="http://127.0.0.1:9/api/events"
    )  # type: ignore[call-arg]
    report = await poll_once(db, dead, NOON)
    assert report.outcome.startswith("error:network")


async def test_non_json_body_is_backed_off(db, server):
    server.push(status=200, body=b"<html>Underhall</html>")
    report = await poll_once(db, settings(server), NOON)
    assert report.outcome == "error:bad_body" and report.next_call is not None


async def test_404_stops_calling_and_tells_the_admins_once(db, server):
    server.push(status=404, body=b"not found")
    report = await poll_once(db, settings(server), NOON)
    assert report.outcome == "gone"
    for minutes in (10, 60, 600):
        assert (
            await poll_once(db, settings(server), NOON + timedelta(minutes=minutes))
        ).outcome == "gone"
    assert len(server.requests) == 1
    sent = await notices(db)
    assert sorted(n["chat_id"] for n in sent) == [42, 43] and "404" in sent[0]["text"]
    h = await health(db, settings(server), NOON + timedelta(hours=1))
    assert h.gone and h.errors_day == 1


async def test_empty_body_is_suspect_and_recorded(db, server):
    server.serve_events(window(NOON))
    await poll_once(db, settings(server), NOON)
    server.push(status=200, body=b"")
    report = await poll_once(db, settings(server), NOON + timedelta(minutes=5))
    assert report.outcome == "suspect:empty"
    calls = await feed_calls.recent_calls(db, 1)
    assert calls[0]["outcome"] == "suspect:empty"


async def test_dry_run_counts_the_call_but_stores_nothing(db, server):
    server.serve_events([event(1, NOON - timedelta(minutes=1)), *window(NOON)])
    report = await poll_once(db, settings(server), NOON, dry_run=True)
    assert report.outcome == "baseline"
    assert not await feed_store.any_seen(db)
    assert len(await feed_calls.call_times(db, NOON - timedelta(hours=1))) == 1


def test_retry_after_forms():
    assert politeness.retry_after("120", NOON, 1) == NOON + timedelta(seconds=120)
    assert politeness.retry_after("Wed, 25 Nov 2026 13:00:00 GMT", NOON, 1) == NOON + timedelta(
        hours=1
    )
    # Missing or unreadable: the error back-off; never shorter than it.
    assert politeness.retry_after(None, NOON, 3) == NOON + timedelta(minutes=4)
    assert politeness.retry_after("soon", NOON, 1) == NOON + timedelta(minutes=1)
    assert politeness.retry_after("5", NOON, 1) == NOON + timedelta(minutes=1)
    assert politeness.backoff(20) == timedelta(hours=1)


async def test_a_second_404_for_the_same_url_tells_nobody_again(db, server):
    """The bot and `grannvakt feed poll` may both get the 404 (each checked before calling)."""
    from bot.feed.service import _gone

    await _gone(db, settings(server), server.url, NOON, dry_run=False)
    await _gone(db, settings(server), server.url, NOON + timedelta(seconds=20), dry_run=False)
    assert sorted(n["chat_id"] for n in await notices(db)) == [42, 43]


async def test_health_counts_the_messages_sent_to_groups(db, server):

    await Scenario(db, NOON).group(-1, "Möllebacken", "1083", title="G")
    server.serve_events(window(NOON))
    await poll_once(db, settings(server), NOON)
    later = NOON + timedelta(minutes=5)
    server.serve_events([event(900001, later - timedelta(minutes=2)), *window(NOON)])
    assert (await poll_once(db, settings(server), later)).sent == 1
    h = await health(db, settings(server), later)
    assert (h.calls_day, h.sent_day, h.errors_day) == (2, 1, 0)
    assert h.events_day == len(window(NOON)) + 1


async def test_health_does_not_call_a_type_unknown_once_this_version_knows_it(db, server):
    """The table keeps what an older version did not know; /feed lists only what this
    version still does not know."""
    for name, count in (("Inbrott", 3), ("Drönarlarm", 1)):
        await db.execute(
            "INSERT INTO feed_unknown_types (type, count, first_seen_at, last_seen_at)"
            " VALUES (?, ?, '2026-11-01T00:00:00.000000Z', '2026-11-01T00:00:00.000000Z')",
            (name, count),
        )
    h = await health(db, settings(server), NOON)
    assert h.unknown_types == [("Drönarlarm", 1)]
