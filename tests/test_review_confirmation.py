"""End-to-end (review finding): a resident gets one confirmation of a saved report, and
nothing later contradicts it — decided when it is saved, from who is known reachable."""

from __future__ import annotations

from tests.test_observations_support import World, file_report


async def test_coordinator_who_never_opened_the_chat_one_consistent_confirmation(world: World):
    w, emu = world, world.emu
    w.carl.started = False
    confirmation = await file_report(w, w.anna, "Någon provade dörrhandtag")
    assert "O-2026-0001" in confirmation
    assert "har gått till kontaktombuden" not in confirmation
    assert "så fort de har öppnat en privat chatt" in confirmation
    assert "114 14" in confirmation and "112" in confirmation
    await emu.wait_until(  # Telegram refuses the notice
        lambda: any(c.error_code == 403 for c in emu.errors), what="the 403"
    )
    await w.harness.services.delivery.wait_idle()
    after = emu.sent_messages(w.anna.id)
    assert all("inte nått" not in m.content for m in after), [m.content for m in after]


async def test_coordinator_known_to_have_opened_the_chat_gone_to(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.carl, "/start")
    await emu.wait_for_message(w.carl.id)
    confirmation = await file_report(w, w.anna)
    assert "har gått till kontaktombuden" in confirmation and "O-2026-0001" in confirmation
    await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
