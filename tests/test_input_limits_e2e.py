"""End-to-end: long, blank and odd input is answered clearly, never with a traceback.

One definition of length (UTF-16 code units, as Telegram counts) is used by every check:
an emoji such as 🚓 counts twice. Input echoed back is cut; input that cannot be taken is
refused with its length.
"""

from __future__ import annotations

import pytest

from handlers.alerts_buttons import AlertManage, AlertTarget, AlertType, ManageAction, Target
from handlers.observations_buttons import ObsNote, ReportButton, ReportStep
from handlers.tips_buttons import LibraryAdd, LibraryPage, TipFocus, TipSeason
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of
from tests.harness import BotHarness, fixed_clock
from tests.test_observations_support import World, build_world, press

POLICE_CAR = "🚓"  # one character, two UTF-16 code units


def _no_apology(emu, *chat_ids: int) -> bool:
    return not any(
        "något gick fel" in m.content or "went wrong" in m.content
        for chat_id in chat_ids
        for m in emu.sent_messages(chat_id)
    )


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(
        emu, tmp_path / "g.db", clock=fixed_clock(), admin_user_ids=frozenset({700000001})
    )
    w = await build_world(harness)
    yield w
    await harness.stop()


async def _answer(emu, user, text: str):
    await emu.send_text(user, text)
    return await emu.wait_for_message(user.id)


async def test_invite_with_4100_characters_is_refused_with_its_length(emu, tmp_path):
    admin = emu.add_user("Ada", language_code="en")
    harness = BotHarness(emu, tmp_path / "g.db", admin_user_ids=frozenset({admin.id}))
    await harness.start()
    try:
        refused = await _answer(emu, admin, "/invite " + "x" * 4100)
        assert "4100 characters long" in refused.text and "at most 500" in refused.text
        unknown = await _answer(emu, admin, "/invite " + "Q" * 300)
        assert "Q" * 59 + "…" in unknown.text and "Q" * 61 not in unknown.text
        assert _no_apology(emu, admin.id)
    finally:
        await harness.stop()


async def test_register_echoes_a_long_kommun_name_cut(bot):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    grp = emu.add_group("G", members=[], admins=[anna], bot_is_member=True)
    await emu.send_text(anna, "/registrera Torget, " + "Q" * 4000, chat=grp)
    answer = await emu.wait_for_message(grp.id)
    assert "ingen kommun" in answer.text and "Q" * 59 + "…" in answer.text
    assert _no_apology(emu, grp.id, anna.id)


@pytest.mark.parametrize("payload", ["g١_AAAAAAAAAAAAAAAA", "r١_AAAAAAAAAAAAAAAA", "g١٢_x"])
async def test_start_payload_with_non_ascii_digits_is_an_invalid_link(bot, payload: str):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    answer = await _answer(emu, anna, f"/start {payload}")
    assert "länken fungerar inte" in answer.text
    assert _no_apology(emu, anna.id)


async def test_alert_text_is_measured_as_telegram_counts(world: World):
    w, emu = world, world.emu
    await register_groups(w.harness, [emu.add_group("Väst", bot_is_member=True)], "1480")
    await make_police(w.harness, w.olle, "1480")
    confirm = await compose_alert(emu, w.olle, "Break-ins tonight", send=False)
    assert confirm.buttons()
    await emu.send_text(w.olle, "/cancel")
    await emu.wait_for_message(w.olle.id)
    await emu.send_text(w.olle, "/alert")
    prompt = await emu.wait_for_message(w.olle.id, lambda m: m.buttons())
    await emu.press_button(w.olle, prompt, data=AlertType("burglary").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(w.olle, prompt, data=AlertTarget(Target.ALL).pack())
    await emu.wait_until(lambda: not prompt.reply_markup and prompt.edited)
    refused = await _answer(emu, w.olle, POLICE_CAR * 2000)
    assert "4000 characters long" in refused.text and "at most 3000" in refused.text
    blank = await _answer(emu, w.olle, "\u200b \u00a0 ")
    assert "empty" in blank.text
    accepted = await _answer(emu, w.olle, POLICE_CAR * 1500)
    assert "photo" in accepted.text


async def test_alert_update_is_measured_as_telegram_counts(world: World):
    w, emu = world, world.emu
    chat = emu.add_group("Väst", bot_is_member=True)
    await register_groups(w.harness, [chat], "1480")
    await make_police(w.harness, w.olle, "1480")
    confirm = await compose_alert(emu, w.olle, "Bike thefts")
    await text_of(emu, confirm, "Delivered:")
    listing = await _answer(emu, w.olle, "/alerts")
    update_button = next(
        d for _, d in listing.buttons() if AlertManage.filter(action=ManageAction.UPDATE)(d)
    )
    await emu.press_button(w.olle, listing, data=update_button)
    await emu.wait_for_message(w.olle.id, lambda m: "Write the update" in m.text)
    refused = await _answer(emu, w.olle, POLICE_CAR * 500)
    assert "1000 characters long" in refused.text and "at most 800" in refused.text
    blank = await _answer(emu, w.olle, "   ")
    assert "empty" in blank.text
    queued = await _answer(emu, w.olle, "Suspect arrested")
    assert "1 groups" in queued.text or "group" in queued.text


async def test_report_place_and_description_are_measured_as_telegram_counts(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: m.buttons())
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "bu").pack())
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    place = await _answer(emu, w.anna, POLICE_CAR * 150)
    assert "300 tecken" in place.content and "högst 200" in place.content
    await _answer(emu, w.anna, "Ljungvägen 12")
    description = await _answer(emu, w.anna, POLICE_CAR * 1500)
    assert "3000 tecken" in description.content and "högst 2000" in description.content
    blank = await _answer(emu, w.anna, "\u200b\u200b")
    assert "några ord" in blank.content


async def test_note_of_only_spaces_and_a_long_note(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: m.buttons())
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "bu").pack())
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    await _answer(emu, w.anna, "Ljungvägen 12")
    await _answer(emu, w.anna, "En man tittade in i bilar")
    photos = emu.last_message(w.anna.id)
    await press(w, w.anna, photos, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, w.anna, photos, ReportButton(ReportStep.IDENTITY, "n").pack())
    await press(w, w.anna, photos, ReportButton(ReportStep.SUMMARY, "ok").pack())
    notice = await emu.wait_for_message(w.carl.id, lambda m: m.buttons())
    note_button = next(d for _, d in notice.buttons() if ObsNote.filter()(d))
    await emu.press_button(w.carl, notice, data=note_button)
    await emu.wait_for_message(w.carl.id, lambda m: "anteckning" in m.text)
    blank = await _answer(emu, w.carl, "      ")
    assert "några ord" in blank.text and "1000" not in blank.text
    long_note = await _answer(emu, w.carl, POLICE_CAR * 600)
    assert "1200 tecken" in long_note.text and "högst 1000" in long_note.text
    saved = await _answer(emu, w.carl, "Ringde polisen")
    assert "sparad" in saved.text


async def test_tip_text_is_measured_as_telegram_counts(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.pia, "/tips")
    menu = await emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    await press(w, w.pia, menu, LibraryPage(0).pack())
    await press(w, w.pia, menu, LibraryAdd().pack())
    await press(w, w.pia, menu, TipFocus("burglary").pack())
    await press(w, w.pia, menu, TipSeason("all_year").pack())
    refused = await _answer(emu, w.pia, POLICE_CAR * 300)
    assert "600 tecken" in refused.text and "högst 400" in refused.text


async def test_area_name_is_measured_as_telegram_counts(bot):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    grp = emu.add_group("G", members=[], admins=[anna], bot_is_member=True)
    await emu.send_text(anna, f"/registrera {POLICE_CAR * 40}, Lund", chat=grp)
    answer = await emu.wait_for_message(grp.id)
    assert "2–64 tecken" in answer.text
