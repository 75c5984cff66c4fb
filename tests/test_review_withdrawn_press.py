"""End-to-end (review finding): a coordinator pressing a button of a report its reporter
has withdrawn is told so (not "not allowed"), and the notice shows it, without buttons."""

from __future__ import annotations

import pytest

from handlers.observations_buttons import ObsAction, ObsDetail, ObsNote, TriageAction, Withdraw
from tests.test_observations_support import World, file_report


async def _withdrawn_notice(w: World, details: bool = False):
    """A coordinator's copy of a report its reporter then withdrew: the notice (edited by
    the bot once withdrawn), or with `details` the detail view he opened (not edited)."""
    emu = w.emu
    await file_report(w, w.anna, "Man vid Storgatan 5", show_identity=True)
    notice = await emu.wait_for_message(w.carl.id, lambda m: "Storgatan 5" in m.content)
    if details:
        n = len(emu.sent_messages(w.carl.id))
        await emu.press_button(w.carl, notice, data=ObsDetail(1).pack())
        notice = await emu.wait_for_message(w.carl.id, lambda m: m.buttons(), after=n)
    await emu.send_text(w.anna, "/minarapporter")
    mine = await emu.wait_for_message(w.anna.id, lambda m: "Dina rapporter" in m.content)
    await emu.press_button(w.anna, mine, data=Withdraw(1).pack())
    await emu.wait_until(lambda: not any(d == Withdraw(1).pack() for _, d in mine.buttons()))
    return notice


@pytest.mark.parametrize(
    "data",
    [
        ObsAction(1, TriageAction.REVIEWED).pack(),
        ObsNote(1).pack(),
        ObsAction(1, TriageAction.FORWARD).pack(),
        ObsAction(1, TriageAction.CLOSED).pack(),
    ],
)
async def test_press_on_a_withdrawn_report_says_so(world: World, data: str):
    w, emu = world, world.emu
    notice = await _withdrawn_notice(w, details=True)
    query = await emu.press_button(w.carl, notice, data=data)
    answer = await emu.wait_for_callback_answer(query["id"])
    assert answer["text"] == "Den som skrev rapporten har dragit tillbaka den."
    assert "behörighet" not in answer["text"]
    await emu.wait_until(lambda: "har dragit tillbaka den" in notice.content)
    assert notice.buttons() == [] and "Storgatan 5" not in notice.content


async def test_someone_else_still_gets_not_allowed(world: World):
    w, emu = world, world.emu
    notice = await _withdrawn_notice(w, details=True)
    query = await emu.press_button(w.dora, notice, data=ObsAction(1, TriageAction.REVIEWED).pack())
    answer = await emu.wait_for_callback_answer(query["id"])
    assert "not allowed" in answer["text"] and "Storgatan 5" in notice.content


async def test_withdrawing_edits_the_delivered_notices(world: World):
    w, emu = world, world.emu
    notice = await _withdrawn_notice(w)
    await emu.wait_until(lambda: "har dragit tillbaka den" in notice.content)
    assert notice.buttons() == [] and "Storgatan 5" not in notice.content
    assert "O-2026-0001" in notice.content
