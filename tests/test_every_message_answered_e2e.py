"""End-to-end: every message and every button gets an answer.

A dialogue continues after a restart; one whose state could not be resumed is told how
to start again; unknown commands,
free text, photos and locations in a private chat get a pointer; a typed answer where a
step wants a button is told so; a button nobody handles is answered "expired".
"""

from __future__ import annotations

import sqlite3

import pytest

from handlers.alerts_buttons import AlertTarget, AlertType, Target
from handlers.observations_buttons import ReportButton, ReportStep
from handlers.tips_buttons import LibraryAdd, LibraryPage, TipFocus, TipSeason
from tests.alerts_helpers import make_police, register_groups
from tests.test_observations_support import World, press


async def _answer(emu, user, text: str):
    await emu.send_text(user, text)
    return await emu.wait_for_message(user.id)


async def _report_until_description(w: World):
    emu = w.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: m.buttons())
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "bu").pack())
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    where = await _answer(emu, w.anna, "Ljungvägen 12")
    assert "Beskriv" in where.content or "beskriv" in where.content


async def test_report_continues_after_a_restart(world: World):
    w, emu = world, world.emu
    await _report_until_description(w)
    await w.harness.restart()
    photos = await _answer(emu, w.anna, "En man tittade in i bilar")
    assert "foton" in photos.text and photos.button_texts() == ["Inga foton"]
    await press(w, w.anna, photos, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, w.anna, photos, ReportButton(ReportStep.IDENTITY, "n").pack())
    assert "En man tittade in i bilar" in photos.content and "Ljungvägen 12" in photos.content
    await press(w, w.anna, photos, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in photos.content


async def test_report_with_an_unreadable_draft_is_told_how_to_start_again(world: World):
    w, emu = world, world.emu
    await _report_until_description(w)
    await w.harness.stop()
    with sqlite3.connect(w.harness.settings.database_path) as conn:
        conn.execute(
            "UPDATE user_data SET data = ? WHERE user_id = ?", (b"\x80\x05junk", w.anna.id)
        )
    await w.harness.start()
    told = await _answer(emu, w.anna, "En man tittade in i bilar")
    assert "Din rapport avbröts" in told.text and "/rapportera" in told.text
    again = await _answer(emu, w.anna, "En man tittade in i bilar")  # told once
    assert "avbröts" not in again.text and "/hjalp" in again.text


async def test_report_whose_steps_changed_is_told_how_to_start_again(world: World):
    w, emu = world, world.emu
    await _report_until_description(w)
    await w.harness.stop()
    with sqlite3.connect(w.harness.settings.database_path) as conn:
        conn.execute("UPDATE conversations SET fingerprint = 'an older version'")
    await w.harness.start()
    told = await _answer(emu, w.anna, "En man tittade in i bilar")
    assert "Din rapport avbröts" in told.text and "/rapportera" in told.text


async def test_alert_continues_after_a_restart_in_english(world: World):
    w, emu = world, world.emu
    await register_groups(w.harness, [emu.add_group("Väst", bot_is_member=True)], "1480")
    await make_police(w.harness, w.olle, "1480")
    await emu.send_text(w.olle, "/alert")
    prompt = await emu.wait_for_message(w.olle.id, lambda m: m.buttons())
    await emu.press_button(w.olle, prompt, data=AlertType("burglary").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(w.olle, prompt, data=AlertTarget(Target.ALL).pack())
    await emu.wait_until(lambda: not prompt.reply_markup and prompt.edited)
    await w.harness.restart()
    step = await _answer(emu, w.olle, "Break-ins on Storgatan tonight")
    assert "interrupted" not in step.text and "photo" in step.text.lower()


async def test_cancel_after_restart_ends_the_resumed_dialogue(world: World):
    w, emu = world, world.emu
    await _report_until_description(w)
    await w.harness.restart()
    assert (await _answer(emu, w.anna, "/avbryt")).text == "Avbrutet. Inget sparades."
    assert (await _answer(emu, w.anna, "/avbryt")).text == "Det finns inget att avbryta just nu."


@pytest.mark.parametrize("command", ["/whatever", "/", "/hjälp_mig", "/skip"])
async def test_unknown_private_commands_are_answered(world: World, command: str):
    reply = await _answer(world.emu, world.carl, command)
    assert "Det kommandot känner jag inte igen" in reply.text


async def test_swedish_spelling_of_help_and_language(world: World):
    w, emu = world, world.emu
    helped = await _answer(emu, w.anna, "/hjälp")
    assert "Det här kan du göra" in helped.text
    helped = await _answer(emu, w.bo, "/HJÄLP")
    assert "What you can do" in helped.text
    chooser = await _answer(emu, w.anna, "/språk")
    assert "🇬🇧 English" in chooser.button_texts()


async def test_free_text_photo_and_location_get_a_pointer(world: World):
    w, emu = world, world.emu
    pointer = await _answer(emu, w.anna, "Hej, finns det någon där?")
    assert "/hjalp" in pointer.text
    assert pointer.buttons() == [
        ("📝 Rapportera en iakttagelse", "https://t.me/grannvakt_test_bot?start=report")
    ]
    await emu.send_photo(w.bo)
    pointer = await emu.wait_for_message(w.bo.id)
    assert "/help" in pointer.text and pointer.button_texts() == ["📝 Report an observation"]
    await emu.share_location(w.pia, 59.3, 18.0)
    pointer = await emu.wait_for_message(w.pia.id)  # police, in no group: no Report button
    assert "/hjalp" in pointer.text and pointer.buttons() == []


async def test_group_commands_for_other_bots_stay_unanswered(world: World):
    w, emu = world, world.emu
    grp = emu.add_group("Grannar", members=[w.anna], bot_is_member=True)
    await emu.send_text(w.anna, "/whatever", chat=grp)
    await emu.send_text(w.anna, "/start", chat=grp)
    await emu.send_text(w.anna, "/whatever@other_bot", chat=grp)
    await emu.send_text(w.anna, "/hjalp", chat=grp)
    await emu.wait_for_message(grp.id, lambda m: "kan göra" in m.text)
    assert len(emu.sent_messages(grp.id)) == 1


async def test_group_commands_addressed_to_this_bot_are_answered(world: World):
    w, emu = world, world.emu
    grp = emu.add_group("Grannar", members=[w.anna], bot_is_member=True)
    await emu.send_text(w.anna, "/whatever@Grannvakt_Test_Bot", chat=grp)
    unknown = await emu.wait_for_message(grp.id)
    assert "Det kommandot känner jag inte igen" in unknown.text
    await emu.send_text(w.anna, "/start@grannvakt_test_bot", chat=grp)
    hint = await emu.wait_for_message(grp.id)  # an unregistered group: how to register
    assert "/registrera områdets namn, kommun" in hint.text


async def test_typed_answer_at_a_report_button_step_says_what_it_wants(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: m.buttons())
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "bu").pack())
    assert "När såg du det?" in prompt.content
    again = await _answer(emu, w.anna, "Ljungvägen 12")
    assert "Svara med en av knapparna" in again.text and "När såg du det?" in again.text
    assert {d for _, d in again.buttons()} == {
        ReportButton(ReportStep.WHEN, "now").pack(),
        ReportButton(ReportStep.WHEN, "today").pack(),
        ReportButton(ReportStep.WHEN, "day").pack(),
    }
    await press(
        w, w.anna, again, ReportButton(ReportStep.WHEN, "now").pack()
    )  # the repeated question works
    assert "Dela en plats" in again.content


async def test_typed_answer_at_alert_and_tip_button_steps(world: World):
    w, emu = world, world.emu
    await make_police(w.harness, w.olle, "1480")
    await emu.send_text(w.olle, "/alert")
    await emu.wait_for_message(w.olle.id, lambda m: m.buttons())
    told = await _answer(emu, w.olle, "Burglary")
    assert "To go on with your alert, please press one of the buttons" in told.text
    await emu.send_text(w.olle, "/cancel")
    await emu.wait_for_message(w.olle.id)
    await emu.send_text(w.pia, "/tips")
    menu = await emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    await press(w, w.pia, menu, LibraryPage(0).pack())
    await press(w, w.pia, menu, LibraryAdd().pack())
    told = await _answer(emu, w.pia, "Inbrott")
    assert "För att fortsätta med ditt tips, tryck på en av knapparna" in told.text
    await press(w, w.pia, menu, TipFocus("burglary").pack())  # the step still works
    assert "När passar" in menu.content


async def test_photo_at_a_text_only_step_says_it_wants_text(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.pia, "/tips")
    menu = await emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    await press(w, w.pia, menu, LibraryPage(0).pack())
    await press(w, w.pia, menu, LibraryAdd().pack())
    await press(w, w.pia, menu, TipFocus("burglary").pack())
    await press(w, w.pia, menu, TipSeason("all_year").pack())
    await emu.send_photo(w.pia)
    told = await emu.wait_for_message(w.pia.id)
    assert "som ett vanligt textmeddelande – skriv det" in told.text
    assert "Skriv tipset på svenska" in told.text  # the question again


@pytest.mark.parametrize("data", [":", "obs:", "\x00", "alert", "tips:", "grp:"])
async def test_unknown_button_data_is_answered_expired(world: World, data: str):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/sprak")
    prompt = await emu.wait_for_message(w.anna.id)
    prompt.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
    pressed = await emu.press_button(w.anna, prompt, data=data)
    answer = await emu.wait_for_callback_answer(pressed["id"])
    assert "gått ut" in answer["text"]


async def test_reply_to_the_kommun_question_after_a_restart(world: World):
    w, emu = world, world.emu
    grp = emu.add_group("Grannar", members=[], admins=[w.carl], bot_is_member=True)
    await emu.send_text(w.carl, "/registrera Ljungvägen", chat=grp)
    question = await emu.wait_for_message(grp.id, lambda m: "Vilken kommun" in m.text)
    await w.harness.restart()
    await emu.send_text(w.carl, "Lund", chat=grp, reply_to=question)
    told = await emu.wait_for_message(grp.id)
    assert "Den frågan gäller inte längre" in told.text and "/registrera" in told.text
    await emu.send_text(w.carl, "/hjalp", chat=grp)
    helped = await emu.wait_for_message(grp.id)
    await emu.send_text(w.carl, "Tack!", chat=grp, reply_to=helped)  # chatter: no answer
    await emu.send_text(w.carl, "/registrera Ljungvägen", chat=grp)
    question = await emu.wait_for_message(grp.id, lambda m: "Vilken kommun" in m.text)
    sticker = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512,
               "height": 512, "is_animated": False, "is_video": False}  # fmt: skip
    emu._user_message(w.carl, grp, reply_to=question, sticker=sticker)  # a sticker reply
    await emu.wait_for_message(grp.id, lambda m: "som text" in m.text)
    await emu.send_text(w.carl, "Lund", chat=grp, reply_to=question)
    await emu.wait_for_message(grp.id, lambda m: "registrerad" in m.text)
    assert not any("gäller inte längre" in m.text for m in emu.sent_messages(grp.id)[2:])
