"""Review: edited messages (a corrected answer, a live location moving) inside a dialogue.

Telegram sends an edit as `edited_message`. A dialogue step that reads `update.message`
must not crash on it (the person would get the generic apology), and a live location's
updates must not make the bot repeat "I can't take this" every few seconds.
"""

from __future__ import annotations

from typing import Any

import pytest

from handlers.observations_buttons import ObsDetail, ObsNote, ReportButton, ReportStep
from storage import observations as store
from tests.emulator import BotApiEmulator
from tests.emulator.state import SentMessage
from tests.harness import BotHarness, fixed_clock
from tests.test_observations_support import World, build_world, press

ERROR_MARKERS = ("något gick fel", "went wrong")


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "e.db", clock=fixed_clock())
    w = await build_world(harness)
    yield w
    await harness.stop()


def edit(emu: BotApiEmulator, original: dict[str, Any], **content: Any) -> None:
    """The person edits a message they sent earlier."""
    edited = {**original, **content, "edit_date": original["date"] + 5}
    emu.enqueue_update("edited_message", edited)


def apologies(emu: BotApiEmulator, chat_id: int) -> list[SentMessage]:
    return [
        m
        for m in emu.sent_messages(chat_id)
        if any(marker in (m.content or "") for marker in ERROR_MARKERS)
    ]


async def _settle(emu: BotApiEmulator, user) -> None:
    """Updates are handled in order: once /help is answered, earlier updates are done."""
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, "/help")
    await emu.wait_for_message(user.id, after=n)


async def _to_where_step(w: World) -> SentMessage:
    emu = w.emu
    await emu.send_text(w.anna, "/report")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: "112" in m.content)
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    return prompt


async def test_edited_answer_in_report_dialogue_is_not_a_crash(world: World):
    w, emu = world, world.emu
    await _to_where_step(w)
    n = len(emu.sent_messages(w.anna.id))
    place = await emu.send_text(w.anna, "Storgatan 1")
    await emu.wait_for_message(w.anna.id, after=n)  # the description question
    edit(emu, place, text="Storgatan 3")  # corrects the place while asked for a description
    await _settle(emu, w.anna)
    assert apologies(emu, w.anna.id) == []
    # the dialogue is not wedged: the description is still taken
    n = len(emu.sent_messages(w.anna.id))
    await emu.send_text(w.anna, "En man provade bildörrar")
    step = await emu.wait_for_message(w.anna.id, after=n)
    await press(w, w.anna, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, w.anna, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    await press(w, w.anna, step, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in step.content
    obs = await store.get_observation(w.harness.services.db, 1)
    assert obs is not None and obs.description == "En man provade bildörrar"


async def test_live_location_updates_do_not_spam_or_crash(world: World):
    w, emu = world, world.emu
    await _to_where_step(w)
    n = len(emu.sent_messages(w.anna.id))
    shared = await emu.share_location(w.anna, 59.30, 18.08)
    precision = await emu.wait_for_message(w.anna.id, after=n)
    for step in range(3):  # a live location moves
        edit(emu, shared, location={"latitude": 59.30 + step / 1000, "longitude": 18.08})
    await _settle(emu, w.anna)
    after = emu.sent_messages(w.anna.id)[n + 1 :]
    assert apologies(emu, w.anna.id) == []
    assert not any("kan jag inte ta emot" in (m.content or "") for m in after)
    desc = await press(w, w.anna, precision, ReportButton(ReportStep.PRECISION, "round").pack())
    assert "etnicitet" in desc.content


async def test_edited_message_in_note_step_is_not_a_crash(world: World):
    w, emu = world, world.emu
    services = w.harness.services
    from storage.observations import NewObservation

    now = services.clock.now()
    new = NewObservation(
        w.group_a, "0180", w.anna.id, False, "theft", now, "Gatan 2", None, None, False, "x"
    )
    await store.create_observation(services.db, new, now, 2026, now, 1000)
    await emu.send_text(w.carl, "/observationer")
    listing = await emu.wait_for_message(w.carl.id)
    await emu.press_button(w.carl, listing, data=ObsDetail(1).pack())
    detail = await emu.wait_for_message(
        w.carl.id, lambda m: ObsNote(1).pack() in [d for _, d in m.buttons()]
    )
    earlier = await emu.send_text(w.carl, "hej")  # something typed before the note
    await emu.press_button(w.carl, detail, data=ObsNote(1).pack())
    ask = await emu.wait_for_message(w.carl.id, lambda m: "anteckning" in m.content)
    edit(emu, earlier, text="hej då")
    await _settle(emu, w.carl)
    assert apologies(emu, w.carl.id) == []
    await emu.send_text(w.carl, "Pratat med grannen")
    saved = await emu.wait_for_message(w.carl.id, lambda m: "sparad" in m.content, after=ask)
    assert saved
    obs = await store.get_observation(services.db, 1)
    assert obs is not None and [n.text for n in obs.notes] == ["Pratat med grannen"]
