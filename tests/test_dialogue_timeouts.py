"""Issue #11 §3: every dialogue ends by itself after a while without an answer, says so
politely, and forgets its draft (in memory and in the database); the pending "which
kommun?" question of /register expires too. Timeouts are shortened to a second here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

import handlers.dialogues
import handlers.groups_pending
from bot.i18n import t, t_plain
from handlers.alerts_buttons import AlertManage, ManageAction
from handlers.observations_buttons import ObsNote
from handlers.tips_buttons import LibraryAdd, LibraryPage, TipFocus, TipSeason
from storage import persistence as persistence_store
from tests.alerts_helpers import compose_alert
from tests.emulator.state import User
from tests.harness import BotHarness, fixed_clock
from tests.test_observations_support import World, build_world
from tests.test_observations_triage import _stored

SHORT = timedelta(seconds=1)


@pytest.fixture
async def world(emu, tmp_path, monkeypatch):
    monkeypatch.setattr(handlers.dialogues, "TIMEOUT", SHORT)
    monkeypatch.setattr(handlers.groups_pending, "PENDING_TIMEOUT", SHORT)
    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock())
    w = await build_world(harness)
    yield w
    await harness.stop()


async def _report(w: World) -> User:
    await w.emu.send_text(w.anna, "/rapportera")
    await w.emu.wait_for_message(w.anna.id, lambda m: m.buttons())
    return w.anna


async def _alert(w: World) -> User:
    await w.emu.send_text(w.pia, "/larm")
    await w.emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    return w.pia


async def _alert_update(w: World) -> User:
    # The alert dialogue itself would time out meanwhile; it is sent within a second.
    await compose_alert(w.emu, w.pia, "Inbrott på Storgatan")
    await w.emu.send_text(w.pia, "/larmlista")
    listing = await w.emu.wait_for_message(w.pia.id, lambda m: "Uppdatera" in str(m.buttons()))
    data = next(
        d for _, d in listing.buttons() if AlertManage.filter(action=ManageAction.UPDATE)(d)
    )
    n = len(w.emu.sent_messages(w.pia.id))
    await w.emu.press_button(w.pia, listing, data=data)
    await w.emu.wait_for_message(w.pia.id, after=n)
    return w.pia


async def _note(w: World) -> User:
    obs_id = await _stored(w, w.group_a, w.anna)
    await w.emu.send_text(w.carl, "/observationer")
    listing = await w.emu.wait_for_message(w.carl.id, lambda m: m.buttons())
    listing.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": ObsNote(obs_id).pack()}]]
    }
    n = len(w.emu.sent_messages(w.carl.id))
    await w.emu.press_button(w.carl, listing, data=ObsNote(obs_id).pack())
    await w.emu.wait_for_message(w.carl.id, after=n)
    return w.carl


async def _tip(w: World) -> User:
    await w.emu.send_text(w.pia, "/tips")
    menu = await w.emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    await w.emu.press_button(w.pia, menu, data=LibraryPage(0).pack())
    await w.emu.wait_until(lambda: LibraryAdd().pack() in {d for _, d in menu.buttons()})
    await w.emu.press_button(w.pia, menu, data=LibraryAdd().pack())
    await w.emu.wait_until(lambda: TipFocus("burglary").pack() in {d for _, d in menu.buttons()})
    await w.emu.press_button(w.pia, menu, data=TipFocus("burglary").pack())
    await w.emu.wait_until(lambda: TipSeason("all_year").pack() in {d for _, d in menu.buttons()})
    return w.pia


STARTS: dict[str, tuple[Callable[[World], Awaitable[User]], str, str, str]] = {
    # name: (start it, its UserData attribute, what it is, the command that starts it)
    "observation_report": (_report, "report_draft", "core.dialogue.report", "rapportera"),
    "alert_compose": (_alert, "alert_draft", "core.dialogue.alert", "larm"),
    "alert_update": (_alert_update, "alert_update_id", "core.dialogue.alert_update", "larmlista"),
    "observation_note": (_note, "note_observation_id", "core.dialogue.note", "observationer"),
    "tips_library": (_tip, "tip_draft", "core.dialogue.tip", "tips"),
}


@pytest.mark.parametrize("name", list(STARTS))
async def test_each_dialogue_times_out_and_says_so(world: World, name: str):
    w, emu = world, world.emu
    start, attribute, what, command = STARTS[name]
    person = await start(w)
    app = w.harness.app
    assert getattr(app.user_data[person.id], attribute) is not None  # the draft is kept
    expected = t("sv", "core.dialogue.timed_out", what=t_plain("sv", what), command=command)
    told = await emu.wait_for_message(person.id, lambda m: m.text == expected, timeout=10)
    assert told.text.startswith("Jag har avslutat")
    assert getattr(app.user_data[person.id], attribute) is None
    db = w.harness.services.db
    stored = await db.fetch_all(
        "SELECT name FROM conversations WHERE user_id = ? AND name = ?", (person.id, name)
    )
    assert stored == []  # written at once, not at the person's next update
    for user_id, blob in await persistence_store.load_user_data(db):
        if user_id == person.id:
            from bot.persistence import decode_user_data

            assert getattr(decode_user_data(blob), attribute) is None


async def test_a_message_after_the_timeout_is_not_taken_as_the_step(world: World):
    w, emu = world, world.emu
    await _alert(w)
    expected = t(
        "sv", "core.dialogue.timed_out", what=t_plain("sv", "core.dialogue.alert"), command="larm"
    )
    await emu.wait_for_message(w.pia.id, lambda m: m.text == expected, timeout=10)
    n = len(emu.sent_messages(w.pia.id))
    await emu.send_text(w.pia, "Inbrott på Storgatan")
    answer = await emu.wait_for_message(w.pia.id, after=n)
    assert "kommandon" in answer.text  # the general pointer, not the alert's next step


async def test_the_kommun_question_of_register_expires(world: World):
    w, emu = world, world.emu
    grp = emu.add_group("Grannar", members=[], admins=[w.carl], bot_is_member=True)
    await emu.send_text(w.carl, "/registrera Ljungvägen", chat=grp)
    question = await emu.wait_for_message(grp.id, lambda m: "Vilken kommun" in m.text)
    told = await emu.wait_for_message(grp.id, lambda m: "frågan har gått ut" in m.text, timeout=10)
    assert "Ljungvägen" in told.text and "/registrera" in told.text
    assert grp.id not in w.harness.app.bot_data.get(handlers.groups_pending.PENDING_KEY, {})
    n = len(emu.sent_messages(grp.id))
    await emu.send_text(w.carl, "Stockholm", chat=grp, reply_to=question)
    after = await emu.wait_for_message(grp.id, after=n)
    assert "Den frågan gäller inte längre" in after.text  # nothing is registered from it
