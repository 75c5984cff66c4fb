"""End-to-end (final review of the day's merge): what a new resident, a kontaktombud and a
police officer meet on screens that were changed today."""

from __future__ import annotations

import pytest

from tests.scenario import Scenario


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


@pytest.mark.parametrize(
    ("lang", "notice"),
    [("sv", "Den länken känner jag inte igen"), ("en", "I do not recognise that link")],
)
async def test_a_broken_start_link_notice_stands_on_its_own(bot, lang, notice):
    """The notice ended 'Så här börjar du annars:' / 'Otherwise, this is how to start:' but
    /start puts it after the welcome (new person) or among their groups (known person): a
    colon introducing nothing, just above the privacy line."""
    emu = bot.emu
    newcomer = emu.add_user(f"Ny {lang}", language_code=lang)
    known = emu.add_user(f"Känd {lang}", language_code=lang)
    grp = emu.add_group(f"G {lang}", members=[known])
    world = Scenario.of(bot)
    await world.person(known, known.first_name, lang)
    await world.group(grp.id, "Björkhagen", "0180", residents=[known])
    for person in (newcomer, known):
        await emu.send_text(person, "/start g12")  # a group link cut short before its key
        answer = await emu.wait_for_message(person.id)
        paragraphs = _paragraphs(answer.content)
        said = [p for p in paragraphs if notice in p]
        assert len(said) == 1, answer.content
        assert not said[0].endswith(":"), said[0]
        assert [p for p in paragraphs if p.endswith(":")] == [], answer.content
