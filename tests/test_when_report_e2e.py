"""End-to-end: a time typed in the spring-forward gap is one moment for everyone; the
resident's summary says it was moved (issue 9 §8)."""

from __future__ import annotations

from handlers.observations_buttons import ReportButton, ReportStep
from storage import observations as store
from tests.harness import BotHarness, fixed_clock
from tests.test_observations_support import build_world, press


async def test_gap_time_is_the_same_for_resident_and_coordinator(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock("2026-03-30T10:00:00+00:00"))
    w = await build_world(harness)
    try:
        await emu.send_text(w.anna, "/rapportera")
        prompt = await emu.wait_for_message(w.anna.id)
        await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "bu").pack())
        await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "day").pack())
        assert "igår 22:00" in prompt.content  # the prompt shows the accepted forms
        await emu.send_text(w.anna, "igår")
        no_time = await emu.wait_for_message(w.anna.id)
        assert "Vilken tid" in no_time.content
        await emu.send_text(w.anna, "2026-03-29 02:30")
        await emu.wait_for_message(w.anna.id, lambda m: "Dela en plats" in m.content)
        await emu.send_text(w.anna, "Storgatan 1")
        await emu.wait_for_message(w.anna.id, lambda m: "etnicitet" in m.content)
        await emu.send_text(w.anna, "Någon bröt upp ett fönster")
        photos = await emu.wait_for_message(w.anna.id, lambda m: "foton" in m.content)
        await press(w, w.anna, photos, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
        await press(w, w.anna, photos, ReportButton(ReportStep.IDENTITY, "y").pack())
        summary = photos.content
        assert "Kontrollera" in summary
        assert "29 mars kl. 03.30" in summary and "29 mars kl. 02.30" not in summary
        assert "kl. 02.30 finns inte den dagen" in summary and "jag använder kl. 03.30" in summary
        await press(w, w.anna, photos, ReportButton(ReportStep.SUMMARY, "ok").pack())
        note = await emu.wait_for_message(w.carl.id)
        assert "29 mars kl. 03.30" in note.content and "02.30" not in note.content
        obs = await store.get_observation(harness.services.db, 1)
        assert obs is not None
        assert obs.observed_at.astimezone(harness.settings.tzinfo).strftime("%H:%M") == "03:30"
    finally:
        await harness.stop()
