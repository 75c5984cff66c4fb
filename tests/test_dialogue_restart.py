"""Issue #11 §3: the typed UserData survives a restart with the dialogue it belongs to
(the report and alert dialogues are covered in test_every_message_answered_e2e)."""

from __future__ import annotations

from bot.i18n import t_plain
from handlers.observations_buttons import ObsNote
from handlers.tips_buttons import LibraryAdd, LibraryPage, TipFocus, TipSeason
from storage import tips as tip_store
from tests.test_observations_support import World
from tests.test_observations_triage import _stored


async def _answer(w: World, user, text: str):
    n = len(w.emu.sent_messages(user.id))
    await w.emu.send_text(user, text)
    return await w.emu.wait_for_message(user.id, after=n)


async def test_a_tip_draft_survives_a_restart(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.pia, "/tips")
    menu = await emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    for data, next_data in (
        (LibraryPage(0), LibraryAdd()),
        (LibraryAdd(), TipFocus("traffic")),
        (TipFocus("traffic"), TipSeason("all_year")),
    ):
        await emu.press_button(w.pia, menu, data=data.pack())
        await emu.wait_until(lambda d=next_data: d.pack() in {x for _, x in menu.buttons()})
    await emu.press_button(w.pia, menu, data=TipSeason("all_year").pack())
    await emu.wait_until(lambda: "svenska" in menu.text)
    await w.harness.restart()
    asked = await _answer(w, w.pia, "Lås cykeln även när du bara är borta en kort stund.")
    assert "engelska" in asked.text
    added = await _answer(w, w.pia, "Lock your bike even when you are only gone briefly.")
    assert added.text == t_plain("sv", "tips.lib.added")
    texts = [tip.text_sv for tip in await tip_store.list_tips(w.harness.services.db)]
    assert "Lås cykeln även när du bara är borta en kort stund." in texts


async def test_a_note_survives_a_restart(world: World):
    w, emu = world, world.emu
    obs_id = await _stored(w, w.group_a, w.anna)
    await emu.send_text(w.carl, "/observationer")
    listing = await emu.wait_for_message(w.carl.id, lambda m: m.buttons())
    data = ObsNote(obs_id).pack()
    listing.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
    n = len(emu.sent_messages(w.carl.id))
    await emu.press_button(w.carl, listing, data=data)
    await emu.wait_for_message(w.carl.id, after=n)
    await w.harness.restart()
    saved = await _answer(w, w.carl, "Pratade med grannen.")
    assert saved.text == (
        "Anteckningen är sparad i O-2026-0001. 🔒 Bara gruppens kontaktombud kan läsa den."
    )
