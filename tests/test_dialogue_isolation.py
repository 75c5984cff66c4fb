"""Two dialogues of one person keep their own state: /report does not break a tip draft."""

from __future__ import annotations

from bot.i18n import t_plain
from storage import groups as group_store
from storage import roles as role_store
from tests.test_tips_handlers_e2e import WEDNESDAY, setup


async def test_report_started_midway_replaces_the_tip_library_dialogue(emu, tmp_path):
    """A second dialogue replaces the first (its next answer must not land in the older
    one); the older one's buttons then say they expired, and nothing fails."""
    harness, _, _, _, _, group_id = await setup(emu, tmp_path)
    try:
        db = harness.services.db
        petra = emu.add_user("Petra", language_code="sv")
        await role_store.grant_role(db, petra.id, "police", "0180", None, WEDNESDAY)
        await emu.send_text(petra, "/tips")
        menu = await emu.wait_for_message(petra.id)
        await group_store.add_member(db, group_id, petra.id, "deep_link", WEDNESDAY)
        await emu.press_button(petra, menu, text="📚 Tipsbiblioteket")
        await emu.wait_until(lambda: "aktiva av" in menu.text)
        await emu.press_button(petra, menu, text="➕ Nytt tips")
        await emu.wait_until(lambda: "Vilket område" in menu.text)
        await emu.press_button(petra, menu, text="Trafiksäkerhet")
        await emu.wait_until(lambda: "När passar" in menu.text)

        await emu.send_text(petra, "/rapportera")  # a second dialogue, with its own draft
        report_prompt = await emu.wait_for_message(petra.id)
        assert "Vad gäller det?" in report_prompt.text

        await emu.press_button(petra, menu, text="Hela året")
        answer = await emu.wait_for_callback_answer()
        assert answer["text"] == t_plain("sv", "core.stale_button")
        assert "svenska" not in menu.text  # the tip dialogue did not go on
        assert harness.app is not None
        assert harness.app.user_data[petra.id].tip_draft is None
        assert not any("något gick fel" in m.text for m in emu.sent_messages(petra.id))
    finally:
        await harness.stop()
