"""End-to-end (review finding): when another coordinator changed a report's status first,
a press on one's own copy says what it is now and, when stored, who did it; the pressed
copy shows the current state."""

from __future__ import annotations

from handlers.observations_buttons import ObsAction, TriageAction
from tests.test_observations_support import World, file_report
from tests.test_review_coordinator_reach import _co_coordinator


async def _two_copies(w: World):
    bengt, _ = await _co_coordinator(w)
    await file_report(w, w.anna, "Okänd bil på gården")
    mine = await w.emu.wait_for_message(w.carl.id, lambda m: "Okänd bil" in m.content)
    theirs = await w.emu.wait_for_message(bengt.id, lambda m: "Okänd bil" in m.content)
    return bengt, mine, theirs


async def _press(w: World, user, message, data: str) -> dict:
    query = await w.emu.press_button(user, message, data=data)
    return await w.emu.wait_for_callback_answer(query["id"])


async def test_forwarded_by_another_coordinator_names_them(world: World):
    w = world
    bengt, mine, theirs = await _two_copies(w)
    await _press(w, bengt, theirs, ObsAction(1, TriageAction.FORWARD).pack())
    answer = await _press(w, w.carl, mine, ObsAction(1, TriageAction.REVIEWED).pack())
    assert answer["text"] == "Bengt hann före: rapporten är redan skickad till polisen."
    await w.emu.wait_until(lambda: "skickad till polisen" in mine.content)
    assert ObsAction(1, TriageAction.REVIEWED).pack() not in {d for _, d in mine.buttons()}


async def test_closed_by_another_coordinator_says_the_status(world: World):
    w = world
    bengt, mine, theirs = await _two_copies(w)
    await _press(w, bengt, theirs, ObsAction(1, TriageAction.CLOSED).pack())
    answer = await _press(w, w.carl, mine, ObsAction(1, TriageAction.FORWARD).pack())
    assert answer["text"] == "Någon hann före: rapporten är redan avslutad."
    await w.emu.wait_until(lambda: "avslutad" in mine.content)
