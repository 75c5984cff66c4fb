"""Small UX defects a review found, each end to end through the emulator, in Swedish and
English: notices that sent people to commands they cannot use, refusals that did not say
what was typed, help that forgot the open dialogue, a leave that said nothing of its cost."""

from __future__ import annotations

import pytest

from bot.dialog_scheduler import dialog_scheduler_of
from bot.services.dialog_targets import Feature
from handlers.surveys import Closing, Confirm
from storage import roles as role_store
from storage import surveys as survey_store
from tests.alerts_helpers import make_police, register_groups
from tests.dialog_helpers import choose_all
from tests.harness import BotHarness, fixed_clock


@pytest.fixture
async def clocked(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "grannvakt.db", clock=fixed_clock())
    await harness.start()
    yield harness
    await harness.stop()


async def _send_survey(emu, officer, command: str) -> None:
    """/enkat (or /survey) through to Send, closing in a day."""
    await emu.send_text(officer, command)
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Trygg?\nJa\nNej")
    screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    await emu.press_button(officer, screen, data=Closing(1).pack())
    await choose_all(emu, officer, screen, Feature.SURVEY)
    data = Confirm(True).pack()
    await emu.wait_until(lambda: any(d == data for _, d in screen.buttons()), what="preview")
    await emu.press_button(officer, screen, data=data)
    await emu.wait_until(lambda: not screen.reply_markup, what="the sent screen")


@pytest.mark.parametrize(
    ("lang", "command", "closed", "results", "no_longer"),
    [
        ("sv", "/enkat", "är nu stängd", "/enkater", "inte längre behörighet"),
        ("en", "/survey", "is now closed", "/surveys", "no longer allowed"),
    ],
)
async def test_the_closed_notice_sends_only_a_creator_who_still_may_to_the_results(
    clocked, lang, command, closed, results, no_longer
):
    """The automatic 'survey closed' notice told an officer whose role was revoked to see
    the result with /enkater, which refuses them; it says so instead. One who still holds
    the role is still pointed to /enkater."""
    bot, emu = clocked, clocked.emu
    kept, revoked = (
        emu.add_user("Kim", language_code=lang),
        emu.add_user("Olle", language_code=lang),
    )
    chat = emu.add_group("Norr", bot_is_member=True)
    await register_groups(bot, [chat], language=lang)
    for officer in (kept, revoked):
        await make_police(bot, officer, "0180")
        await _send_survey(emu, officer, command)
    db = bot.services.db
    await role_store.revoke_roles(db, revoked.id, "police", None, None, bot.clock.now())
    bot.clock.advance(days=1, minutes=1)
    assert len((await dialog_scheduler_of(bot.app).tick()).closed) == 2
    bot.services.delivery.wake()
    for officer in (kept, revoked):
        [survey] = await survey_store.surveys_of(db, officer.id, 1)
        assert survey.is_closed
    notice = await emu.wait_for_message(revoked.id, lambda m: closed in m.content, after=0)
    assert "Trygg?" in notice.content and no_longer in notice.content
    assert results not in notice.content
    notice = await emu.wait_for_message(kept.id, lambda m: closed in m.content, after=0)
    assert results in notice.content and no_longer not in notice.content
