"""End-to-end (review finding): a report that cannot be saved at Send says why (the group
was unregistered, or the person left it) and gives the description back to copy."""

from __future__ import annotations

from handlers.observations_buttons import ReportButton, ReportStep
from storage import groups
from tests.test_observations_support import World, press

DESCRIPTION = "Två personer <b>bröt</b> upp förrådet & sprang"


async def _summary(w: World, user, english: bool = False):
    emu = w.emu
    await emu.send_text(user, "/report")
    prompt = await emu.wait_for_message(user.id, lambda m: "112" in m.content)
    if english:
        await press(w, user, prompt, ReportButton(ReportStep.GROUP, w.group_a).pack())
    await press(w, user, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, user, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, "Storgatan 1")
    await emu.wait_for_message(user.id, after=n)
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, DESCRIPTION)
    step = await emu.wait_for_message(user.id, after=n)
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, user, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    return step


async def test_unregistered_group_gives_the_description_back(world: World):
    w = world
    summary = await _summary(w, w.anna)
    services = w.harness.services
    # The coordinator runs /unregister meanwhile (as its confirmation button does).
    await groups.unregister_with_roles(services.db, w.group_a, w.carl.id, services.clock.now())
    await press(w, w.anna, summary, ReportButton(ReportStep.SUMMARY, "ok").pack())
    text = summary.content
    assert "inte längre registrerad" in text and "inte längre med" not in text
    assert DESCRIPTION in text and "<b>bröt</b>" in (summary.html or "").replace(
        "&lt;", "<"
    ).replace("&gt;", ">")
    assert "&lt;b&gt;bröt" in (summary.html or "")  # escaped, shown as typed
    assert "114 14" in text


async def test_left_group_gives_the_description_back_in_english(world: World):
    w = world
    summary = await _summary(w, w.bo, english=True)
    db = w.harness.services.db
    await groups.remove_member(db, w.group_a, w.bo.id, w.harness.services.clock.now())
    await press(w, w.bo, summary, ReportButton(ReportStep.SUMMARY, "ok").pack())
    text = summary.content
    assert "no longer in that group" in text and DESCRIPTION in text and "114 14" in text
