"""End-to-end: updates are handled concurrently across people, in order per person, and
polling survives an API outage with one warning."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from telegram import Update

from bot.intake import MAX_ATTEMPTS, MAX_BACKOFF, UpdateIntake, _Outage
from handlers.observations_buttons import ReportButton, ReportStep
from storage import observations as store
from storage import update_inbox as inbox
from storage.db import Database
from tests.harness import BotHarness
from tests.test_observations_support import World, press

_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _to(user_id: int):
    return lambda params: str(params.get("chat_id")) == str(user_id)


async def test_one_persons_slow_answer_does_not_delay_another_persons(bot):
    emu = bot.emu
    anna, bo = emu.add_user("Anna"), emu.add_user("Bo")
    slow = emu.faults.add("slow", "sendMessage", predicate=_to(anna.id), delay=4)
    await emu.send_text(anna, "/help")
    await emu.wait_until(lambda: slow.fired, 10, "Anna's answer to be on its way")
    await emu.send_text(bo, "/help")
    answer = await emu.wait_for_message(bo.id, timeout=10)
    # Bo was answered while Telegram still held Anna's answer (one update at a time would
    # have made Bo wait for it).
    assert emu.sent_messages(anna.id) == [], "Bo's answer waited for Anna's slow one"
    assert "/help" in answer.content or "/hjalp" in answer.content
    await emu.wait_for_message(anna.id, timeout=15)


async def test_one_persons_quick_messages_are_handled_in_the_order_sent(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: "112" in m.content)
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    n = len(emu.sent_messages(w.anna.id))
    # The answer to the place is slow; the description typed right after must still be
    # taken as the description (the step after the place), not as a second place.
    emu.faults.add("slow", "sendMessage", predicate=_to(w.anna.id), delay=1.5)
    await emu.send_text(w.anna, "Storgatan 1")
    await emu.send_text(w.anna, "Två personer provade bildörrar")
    step = await emu.wait_for_message(w.anna.id, lambda m: "foto" in m.content, after=n)
    await press(w, w.anna, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, w.anna, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    await press(w, w.anna, step, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in step.content
    obs = await store.get_observation(w.harness.services.db, 1)
    assert obs is not None
    assert (obs.place_text, obs.description) == ("Storgatan 1", "Två personer provade bildörrar")


async def test_polling_outage_is_one_warning_and_people_are_answered_after_it(
    bot, caplog: pytest.LogCaptureFixture
):
    emu = bot.emu
    caplog.set_level(logging.DEBUG)
    anna = emu.add_user("Anna")
    polls = emu.stats.calls_by_method["getUpdates"]
    outage = emu.faults.add("5xx", "getUpdates", count=5)
    await emu.send_text(anna, "/help")
    await emu.wait_for_message(anna.id, timeout=20)
    assert outage.fired == 5 and emu.stats.calls_by_method["getUpdates"] > polls + 5

    intake = [r for r in caplog.records if r.name == "bot.intake"]
    warnings = [r for r in intake if r.levelno == logging.WARNING]
    back = [r for r in intake if r.levelno == logging.INFO and "works again" in r.getMessage()]
    assert len(warnings) == 1 and "Bad Gateway" in warnings[0].getMessage()
    assert len(back) == 1 and "5 failed polls" in back[0].getMessage()
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING and r is not warnings[0]]
    assert loud == [], [r.getMessage() for r in loud]
    assert not any(r.exc_info for r in caplog.records if r.levelno >= logging.INFO)


def test_polling_back_off_is_capped_low():
    outage = _Outage(MAX_BACKOFF)
    waits = [outage.failed(RuntimeError("down")) for _ in range(5000)]  # hours of outage
    assert waits[:4] == [0.25, 0.5, 1.0, 2.0]
    assert max(waits) == MAX_BACKOFF <= 3.0


def _help_update(update_id: int, user) -> tuple[int, str]:
    sender = {"id": user.id, "is_bot": False, "first_name": user.first_name, "language_code": "sv"}
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
        "from": sender,
        "text": "/help",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    }
    return update_id, json.dumps({"update_id": update_id, "message": message})


async def test_start_up_handles_what_the_last_run_left_and_gives_up_a_poison_update(
    emu, tmp_path, caplog: pytest.LogCaptureFixture
):
    anna, bo = emu.add_user("Anna"), emu.add_user("Bo")
    anna.started = bo.started = True
    path = tmp_path / "g.db"
    db = Database(path)
    await db.open()
    # Stored by a run that crashed before handling them; Bo's already crashed it 3 times.
    stored = [_help_update(900, anna), _help_update(901, bo), (902, "{not json")]
    await inbox.store_batch(db, stored, _NOW)
    await db.execute("UPDATE update_inbox SET attempts = ? WHERE update_id = 901", [MAX_ATTEMPTS])
    await db.close()

    harness = BotHarness(emu, path)
    await harness.start()
    try:
        await emu.wait_for_message(anna.id, timeout=10)
        db = harness.services.db
        for _ in range(50):
            if await inbox.count_unfinished(db) == 0:
                break
            await asyncio.sleep(0.1)
        assert await inbox.count_unfinished(db) == 0
        assert emu.sent_messages(bo.id) == []
        given_up = [r.getMessage() for r in caplog.records if "giving up" in r.getMessage()]
        assert len(given_up) == 2 and "update 901" in given_up[0] and "update 902" in given_up[1]
    finally:
        await harness.stop()


async def test_an_unexpected_polling_error_is_logged_with_traceback_and_polling_goes_on(
    caplog: pytest.LogCaptureFixture,
):
    polled_again = asyncio.Event()

    class Bot:
        calls = 0

        async def get_updates(self, **_: object) -> tuple[()]:
            Bot.calls += 1
            if Bot.calls == 1:
                raise RuntimeError("a bug")
            polled_again.set()
            await asyncio.sleep(3600)
            return ()

    app = SimpleNamespace(bot=Bot(), update_queue=asyncio.Queue())
    intake = UpdateIntake(app, None, None)  # type: ignore[arg-type]
    intake._next_prune = float("inf")
    task = asyncio.create_task(intake._poll_forever(1, 0.0))
    await asyncio.wait_for(polled_again.wait(), 5)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    warnings = [r for r in caplog.records if r.name == "bot.intake"]
    assert len(warnings) == 1 and warnings[0].exc_info is not None


async def test_polled_updates_are_stored_as_telegram_sent_them(bot):
    # Re-encoding PTB's objects cost ~0.1 ms per update; the JSON the getUpdates client
    # received is stored instead, and a restart reads it back into the same update.
    emu = bot.emu
    anna = emu.add_user("Anna Åkesson")
    await emu.send_text(anna, "/hjalp")
    await emu.wait_for_message(anna.id, timeout=10)
    sent = emu.delivered_updates[-1]
    db = bot.services.db
    payload = await db.fetch_value(
        "SELECT payload FROM update_inbox WHERE update_id = ?", (sent["update_id"],)
    )
    assert payload == json.dumps(sent, ensure_ascii=False)
    restored = Update.de_json(json.loads(payload), bot.app.bot)
    assert restored.message.text == "/hjalp"
    assert restored.message.from_user.first_name == "Anna Åkesson"


def test_updates_without_the_received_json_are_encoded_from_ptbs_objects():
    # E.g. a bot built with another getUpdates client: the intake falls back to to_dict.
    from bot.intake import _encode

    raw = {"update_id": 7, "message": {"message_id": 1, "date": 0, "text": "hej",
           "chat": {"id": 5, "type": "private"}}}  # fmt: skip
    update = Update.de_json(raw, None)  # type: ignore[arg-type]
    assert Update.de_json(json.loads(_encode(update)), None).message.text == "hej"  # type: ignore[arg-type, union-attr]
    app = SimpleNamespace(bot=SimpleNamespace())
    assert UpdateIntake(app, None, None)._received_json() == {}  # type: ignore[arg-type]


async def test_a_clean_stop_stores_every_done_mark_and_a_restart_handles_nothing_again(
    emu, tmp_path, monkeypatch
):
    """Done marks are stored in batches (bot/intake.py); a clean stop must store the last
    batch, or the next start would answer those people a second time."""
    import bot.intake as intake_module

    monkeypatch.setattr(intake_module, "DONE_FLUSH_DELAY", 3600.0)  # only the stop writes
    people = [emu.add_user(f"Person {n}") for n in range(5)]
    path = tmp_path / "g.db"
    harness = BotHarness(emu, path)
    await harness.start()
    for person in people:
        await emu.send_text(person, "/hjalp")
    for person in people:
        await emu.wait_for_message(person.id, timeout=10)
    intake = intake_module.intake_of(harness.app)
    assert intake is not None
    await emu.wait_until(lambda: intake.unstored_marks == 5, 10, "the five done marks noted")
    await harness.stop()
    db = Database(path)
    await db.open(create=False)
    try:
        assert await inbox.count_unfinished(db) == 0
    finally:
        await db.close()
    answered = {p.id: len(emu.sent_messages(p.id)) for p in people}
    await harness.start()
    try:
        await asyncio.sleep(0.5)
        assert {p.id: len(emu.sent_messages(p.id)) for p in people} == answered
    finally:
        await harness.stop()
