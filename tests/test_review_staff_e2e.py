"""A reviewer who uses grannvakt as a police officer and as the kommun's safety office:
each defect found, end to end through the emulator, in Swedish and English."""

from __future__ import annotations

import pytest

from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of


@pytest.mark.parametrize(
    ("lang", "command", "saved"),
    [("sv", "/profil", "Ditt avsändarnamn är nu"), ("en", "/profile", "Your sender name is now")],
)
async def test_a_sender_name_with_angle_brackets_is_saved_and_shown_escaped(
    bot, lang, command, saved
):
    """'Polisen <Sölvesborg> & Co' is 25 characters: it was refused as if too long or too
    short ('must be 3–64 characters'); it is kept, and escaped wherever it is shown."""
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    chat = emu.add_group("G", bot_is_member=True)
    await register_groups(bot, [chat], "1083", language=lang)
    await make_police(bot, officer, "1083")
    await emu.send_text(officer, f"{command} Polisen <Sölvesborg> & Co")
    answer = await emu.wait_for_message(officer.id)
    assert saved in answer.text and "Polisen <Sölvesborg> & Co" in answer.text
    assert "&lt;Sölvesborg&gt; &amp; Co" in answer.html
    confirm = await compose_alert(emu, officer, "Inbrott på Ekvägen")
    await text_of(emu, confirm, "1 av 1" if lang == "sv" else "1 of 1")
    post = await emu.wait_for_message(chat.id, after=0)
    assert "<b>Polisen &lt;Sölvesborg&gt; &amp; Co</b>" in post.html
