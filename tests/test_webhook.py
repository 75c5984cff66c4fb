"""Webhook mode end to end: the emulator POSTs updates to the bot's webhook as Telegram
does; only requests with the secret token header are accepted, an update is answered 200
only once it is stored (so a failed store is delivered again, never lost), getUpdates is
refused (409) while the webhook is set, and GET /healthz is served on the same port."""

from __future__ import annotations

import logging
import socket

import aiohttp
import pytest

from storage import update_inbox
from tests.harness import BotHarness

SECRET = "test-secret_0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def webhook_harness(emu, tmp_path):
    port = _free_port()
    return BotHarness(
        emu,
        tmp_path / "grannvakt.db",
        webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
        webhook_port=port,
        webhook_secret=SECRET,
    )


@pytest.fixture
async def hooked(webhook_harness):
    await webhook_harness.start()
    yield webhook_harness
    await webhook_harness.stop()


async def _stored_ids(harness) -> set[int]:
    rows = await harness.services.db.fetch_all("SELECT update_id FROM update_inbox")
    return {row[0] for row in rows}


async def test_updates_arrive_by_webhook_and_are_answered(hooked):
    emu = hooked.emu
    assert emu.webhook_url == hooked.settings.webhook_url
    assert emu.webhook_secret == SECRET
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "/help")
    answer = await emu.wait_for_message(anna.id, after=0)
    assert answer.text
    assert emu.webhook_attempts[0][1] == 200
    assert not [c for c in emu.calls if c.method.lower() == "getupdates"]
    assert emu.all_updates[-1]["update_id"] in await _stored_ids(hooked)


async def test_requests_without_the_secret_get_403_logged_once(hooked, caplog):
    emu = hooked.emu
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "/start")  # Anna talks to the bot (it may answer her)
    await emu.wait_for_message(anna.id, after=0)
    answered = len(emu.sent_messages(anna.id))
    update = {
        "update_id": 999_001,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": anna.id, "type": "private", "first_name": "Anna"},
            "from": {"id": anna.id, "is_bot": False, "first_name": "Anna"},
            "text": "/help",
        },
    }
    with caplog.at_level(logging.WARNING, logger="bot.webhook"):
        assert await emu.post_update(update, secret=None) == 403
        assert await emu.post_update(update, secret="wrong-secret") == 403
        assert await emu.post_update(update, secret=SECRET[:-1]) == 403
    refusals = [r for r in caplog.records if "secret token" in r.getMessage()]
    assert len(refusals) == 1
    assert SECRET not in caplog.text
    assert 999_001 not in await _stored_ids(hooked)
    assert len(emu.sent_messages(anna.id)) == answered
    # The same update with the secret is taken.
    assert await emu.post_update(update, secret=SECRET) == 200
    assert 999_001 in await _stored_ids(hooked)
    await emu.wait_for_message(anna.id, after=answered)


@pytest.mark.parametrize("update_id", ["x", 2**64, -1, None, 1.5], ids=repr)
async def test_a_body_without_a_usable_update_id_is_a_bad_request(hooked, caplog, update_id):
    """Not an update Telegram would send: 400 and nothing stored, never a 500 (which makes
    Telegram send it again and again) with a traceback in the log."""
    emu = hooked.emu
    update = {"update_id": update_id}
    with caplog.at_level(logging.WARNING):
        assert await emu.post_update(update, secret=SECRET) == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await _stored_ids(hooked) == set()
    anna = emu.add_user("Anna")  # and the next real update is handled
    await emu.send_text(anna, "/help")
    await emu.wait_for_message(anna.id, after=0)


async def test_an_update_that_cannot_be_stored_is_not_acknowledged(hooked, monkeypatch):
    """500 instead of 200 when the inbox write fails: Telegram (the emulator) sends it
    again, and it is handled once."""
    emu = hooked.emu
    real = update_inbox.store_batch
    failures = []

    async def failing_once(db, batch, now):
        if not failures:
            failures.append(batch)
            raise OSError("disk full")
        return await real(db, batch, now)

    monkeypatch.setattr(update_inbox, "store_batch", failing_once)
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "/help")
    await emu.wait_for_message(anna.id, after=0)
    statuses = [status for _, status in emu.webhook_attempts]
    assert statuses[:2] == [500, 200]
    assert len(emu.sent_messages(anna.id)) == 1


async def test_updates_sent_while_the_bot_is_down_arrive_after_restart(webhook_harness):
    emu = webhook_harness.emu
    await webhook_harness.start()
    anna = emu.add_user("Anna")
    await webhook_harness.stop()
    await emu.send_text(anna, "/help")  # the bot's port is closed: delivery retries
    await emu.wait_until(lambda: emu.webhook_attempts, what="a failed delivery attempt")
    assert emu.webhook_attempts[0][1] is None
    await webhook_harness.start()
    try:
        await emu.wait_for_message(anna.id, after=0)
    finally:
        await webhook_harness.stop()


async def test_get_updates_is_refused_while_a_webhook_is_set(hooked):
    async with aiohttp.ClientSession() as session:
        url = f"{hooked.emu.base_url}{hooked.emu.token}/getUpdates"
        async with session.post(url, json={}) as response:
            body = await response.json()
    assert response.status == 409
    assert body["description"].startswith("Conflict")


async def test_healthz_on_the_webhook_port(hooked):
    port = hooked.settings.webhook_port
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        body = await response.json()
    assert response.status == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert set(body) >= {"outbox", "tips", "digests", "feed", "counts", "version"}
