"""End-to-end (review findings): what the report's photo step and a running dialogue
answer to input they cannot take — an unknown command, typed text, a picture as a file."""

from __future__ import annotations

from handlers.observations_buttons import ReportButton, ReportStep
from tests.test_observations_support import World, press


async def _to_photo_step(w: World, user) -> object:
    emu = w.emu
    await emu.send_text(user, "/rapportera")
    prompt = await emu.wait_for_message(user.id, lambda m: "112" in m.content)
    await press(w, user, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, user, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    await emu.send_text(user, "Storgatan 1")
    await emu.wait_for_message(user.id, lambda m: "Beskriv" in m.content)
    await emu.send_text(user, "Två personer vid bilarna")
    return await emu.wait_for_message(user.id, lambda m: "foton" in m.content)


async def test_unknown_command_in_a_dialogue_says_it_is_still_open(world: World):
    w, emu = world, world.emu
    await _to_photo_step(w, w.anna)
    await emu.send_text(w.anna, "/hittepa")
    answer = await emu.wait_for_message(w.anna.id)
    assert "inte igen" in answer.content
    assert "din rapport" in answer.content and "/avbryt" in answer.content
    assert "foton" in answer.content  # the step's question again
    assert "/hjalp för att se" not in answer.content
    assert ReportButton(ReportStep.PHOTOS_DONE, "done").pack() in {d for _, d in answer.buttons()}


async def test_unknown_command_outside_a_dialogue_is_unchanged(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/hittepa")
    answer = await emu.wait_for_message(w.anna.id)
    assert "/hjalp" in answer.content and "fortfarande" not in answer.content


async def test_skip_ends_the_photo_step(world: World):
    w, emu = world, world.emu
    await _to_photo_step(w, w.anna)
    await emu.send_text(w.anna, "/skip")
    identity = await emu.wait_for_message(w.anna.id, lambda m: "se att det var du" in m.content)
    assert {d for _, d in identity.buttons()} == {
        ReportButton(ReportStep.IDENTITY, "y").pack(),
        ReportButton(ReportStep.IDENTITY, "n").pack(),
    }


async def test_photo_step_explains_text_and_picture_files(world: World):
    w, emu = world, world.emu
    await _to_photo_step(w, w.anna)
    await emu.send_text(w.anna, "Jag har inga bilder")
    text_answer = await emu.wait_for_message(w.anna.id)
    assert "väntar jag på foton" in text_answer.content
    assert "Inga foton" in text_answer.content and "Ändra" in text_answer.content
    n = len(emu.sent_messages(w.anna.id))
    await emu.send_document(w.anna, "bil.jpg", b"\xff\xd8jpeg", mime_type="image/jpeg")
    file_answer = await emu.wait_for_message(w.anna.id, after=n)
    assert "som foto (inte som fil)" in file_answer.content


async def test_photo_step_in_english(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.bo, "/report")
    prompt = await emu.wait_for_message(w.bo.id, lambda m: "112" in m.content)
    await press(w, w.bo, prompt, ReportButton(ReportStep.GROUP, w.group_a).pack())
    await press(w, w.bo, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, w.bo, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    await emu.send_text(w.bo, "Main street")
    await emu.wait_for_message(w.bo.id, lambda m: "Describe" in m.content)
    await emu.send_text(w.bo, "Someone by the cars")
    await emu.wait_for_message(w.bo.id, lambda m: "photos" in m.content)
    await emu.send_text(w.bo, "/nonsense")
    answer = await emu.wait_for_message(w.bo.id)
    assert "still working on your report" in answer.content and "/cancel" in answer.content
