"""End-to-end: the resident's /report dialogue, /myreports and withdraw."""

from __future__ import annotations

import pytest

from handlers.observations_buttons import (
    ObsAction,
    ReportButton,
    ReportStep,
    TriageAction,
    Withdraw,
)
from storage import observations as store
from tests.harness import BotHarness, fixed_clock
from tests.test_observations_support import World, build_world, file_report, press


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock(), reports_per_hour=2)
    w = await build_world(harness)
    yield w
    await harness.stop()


async def test_report_dialogue_saves_and_notifies_coordinator(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id)
    assert "112" in prompt.content and "114 14" in prompt.content
    assert "Misstänkt person" in prompt.button_texts()
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "bu").pack())
    assert "När" in prompt.content
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "today").pack())
    await emu.send_text(w.anna, "25:99")
    err = await emu.wait_for_message(w.anna.id)
    assert "förstod" in err.content
    await emu.send_text(w.anna, "23:59")  # later today than 12:00 UTC → future
    err = await emu.wait_for_message(w.anna.id)
    assert "har inte kommit än" in err.content
    await emu.send_text(w.anna, "10:15")
    where = await emu.wait_for_message(w.anna.id)
    assert "Dela en plats" in where.content
    await emu.share_location(w.anna, 40.7, -74.0)  # New York
    refused = await emu.wait_for_message(w.anna.id)
    assert "utanför Sverige" in refused.content
    await emu.send_sticker(w.anna)
    unsupported = await emu.wait_for_message(w.anna.id)
    assert "Skriv platsen som ett vanligt textmeddelande" in unsupported.content
    assert "Dela en plats" in unsupported.content
    await emu.share_location(w.anna, 59.293456, 18.083789)
    precision = await emu.wait_for_message(w.anna.id)
    await press(w, w.anna, precision, ReportButton(ReportStep.PRECISION, "round").pack())
    assert "etnicitet" in precision.content
    await emu.send_text(w.anna, "x" * 2001)
    too_long = await emu.wait_for_message(w.anna.id)
    assert "2001" in too_long.content
    await emu.send_text(w.anna, "Två personer <b>bröt</b> upp en dörr & sprang")
    photos = await emu.wait_for_message(w.anna.id)
    assert "foton" in photos.content
    await emu.send_photo(w.anna, file_size=11 * 1024 * 1024)
    big = await emu.wait_for_message(w.anna.id)
    assert "för stort" in big.content
    await emu.send_photo(w.anna)
    ack = await emu.wait_for_message(w.anna.id, lambda m: "Foto 1" in m.content)
    await press(w, w.anna, ack, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, w.anna, ack, ReportButton(ReportStep.IDENTITY, "y").pack())
    assert "Kontrollera" in ack.content and "<b>bröt</b>" in ack.content
    assert "openstreetmap.org" in (ack.html or "")
    await press(w, w.anna, ack, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in ack.content

    note = await emu.wait_for_message(w.carl.id)
    assert "Ny iakttagelse" in note.content and "Björkhagen <Norra>" in note.content
    assert "Anna" in note.content and "59.293" in (note.html or "")
    assert "59.2934" not in (note.html or "")  # rounded to ~100 m
    assert {d for _, d in note.buttons()} >= {
        ObsAction(1, TriageAction.REVIEWED).pack(),
        ObsAction(1, TriageAction.FORWARD).pack(),
        ObsAction(1, TriageAction.CLOSED).pack(),
    }
    assert emu.sent_messages(w.dora.id) == []  # other group's coordinator sees nothing
    obs = await store.get_observation(w.harness.services.db, 1)
    assert obs is not None and len(obs.photos) == 1 and obs.latitude == 59.293
    assert obs.category == "burglary" and obs.show_identity


async def test_group_choice_edit_and_english(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.bo, "/report")
    prompt = await emu.wait_for_message(w.bo.id)
    assert "Which group" in prompt.content
    assert set(prompt.button_texts()) == {"Björkhagen <Norra>", "Majorna"}
    await press(w, w.bo, prompt, ReportButton(ReportStep.GROUP, w.group_b).pack())
    await press(w, w.bo, prompt, ReportButton(ReportStep.CATEGORY, "tr").pack())
    await press(w, w.bo, prompt, ReportButton(ReportStep.WHEN, "day").pack())
    await emu.send_text(w.bo, "2026-11-24 18:30")
    await emu.wait_for_message(w.bo.id)
    await emu.send_text(w.bo, "Corner of Allhelgonagatan")
    await emu.wait_for_message(w.bo.id, lambda m: "Describe" in m.content)
    await emu.send_text(w.bo, "Car racing")
    photos = await emu.wait_for_message(w.bo.id, lambda m: "photos" in m.content)
    await press(w, w.bo, photos, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, w.bo, photos, ReportButton(ReportStep.IDENTITY, "n").pack())
    assert "Majorna" in photos.content and "Traffic danger" in photos.content
    await press(w, w.bo, photos, ReportButton(ReportStep.SUMMARY, "edit").pack())
    await press(w, w.bo, photos, ReportButton(ReportStep.EDIT, "desc").pack())
    await emu.send_text(w.bo, "Cars racing at night")
    summary = await emu.wait_for_message(w.bo.id, lambda m: "Check your report" in m.content)
    assert "Cars racing at night" in summary.content
    await press(w, w.bo, summary, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in summary.content
    note = await emu.wait_for_message(w.dora.id)
    assert "New observation" in note.content and "Bo" not in note.content
    assert emu.sent_messages(w.carl.id) == []


async def test_cancel_saves_nothing_and_stale_button(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/report")
    prompt = await emu.wait_for_message(w.anna.id)
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "va").pack())
    await emu.send_text(w.anna, "/avbryt")
    done = await emu.wait_for_message(w.anna.id)
    assert "Inget sparades" in done.content
    await emu.press_button(w.anna, prompt, data=ReportButton(ReportStep.WHEN, "now").pack())
    answer = await emu.wait_for_callback_answer()
    assert "gått ut" in answer["text"]
    assert (
        await store.count_recent(
            w.harness.services.db, w.anna.id, w.harness.clock.now().replace(year=2000)
        )
        == 0
    )


async def test_not_member_gets_explanation(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.carl, "/report")
    reply = await emu.wait_for_message(w.carl.id)
    assert "länk" in reply.content


async def test_rate_limit_myreports_and_withdraw(world: World):
    w, emu = world, world.emu
    await file_report(w, w.anna)
    await file_report(w, w.anna, "Andra gången")
    await emu.send_text(w.anna, "/rapportera")
    limited = await emu.wait_for_message(w.anna.id)
    assert "2 rapporter" in limited.content
    w.harness.clock.advance(hours=1, seconds=1)
    await emu.send_text(w.anna, "/minarapporter")
    mine = await emu.wait_for_message(w.anna.id, lambda m: "Dina rapporter" in m.content)
    assert "O-2026-0001" in mine.content and "O-2026-0002" in mine.content
    assert len(mine.buttons()) == 2
    await w.emu.press_button(w.anna, mine, data=Withdraw(2).pack())
    await emu.wait_until(lambda: mine.edited and "tillbakadragen" in mine.content)
    assert len(mine.buttons()) == 1
    # Bo cannot withdraw Anna's report with forged data.
    await emu.send_text(w.bo, "/myreports")
    bos = await emu.wait_for_message(w.bo.id)
    bos.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": Withdraw(1).pack()}]]}
    await emu.press_button(w.bo, bos, data=Withdraw(1).pack())
    answer = await emu.wait_for_callback_answer()
    assert "not allowed" in answer["text"]
    obs = await store.get_observation(w.harness.services.db, 1)
    assert obs is not None and obs.status == "new"
