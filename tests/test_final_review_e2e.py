"""End-to-end (final review of the day's merge): what a new resident, a kontaktombud and a
police officer meet on screens that were changed today."""

from __future__ import annotations

import re

import pytest

from bot.services.dialog_targets import Feature
from handlers.observations_buttons import ReportButton, ReportStep
from handlers.presence import Confirm
from tests.alerts_helpers import make_police, register_groups
from tests.dialog_helpers import choose_all
from tests.harness import BotHarness, fixed_clock
from tests.scenario import Scenario
from tests.test_observations_support import build_world, press


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
        # Said first: it is about what the person just did (it came after "Nästa steg").
        assert paragraphs[0] == said[0], answer.content


async def test_the_privacy_line_closes_the_short_start(bot):
    """For a known person the privacy line sat between their groups and their roles."""
    emu = bot.emu
    from tests.alerts_helpers import make_police

    olle = emu.add_user("Olle", language_code="sv")
    grp = emu.add_group("G sv", members=[olle])
    world = Scenario.of(bot)
    await world.person(olle, "Olle", "sv")
    await world.group(grp.id, "Björkhagen", "0180", residents=[olle])
    await make_police(bot, olle, "0180")
    await emu.send_text(olle, "/start")
    paragraphs = _paragraphs((await emu.wait_for_message(olle.id)).content)
    privacy = next(i for i, p in enumerate(paragraphs) if "/integritet" in p)
    role = next(i for i, p in enumerate(paragraphs) if "polis" in p.lower())
    groups = next(i for i, p in enumerate(paragraphs) if "Björkhagen" in p)
    assert groups < role < privacy == len(paragraphs) - 2, paragraphs  # then "Alla kommandon"


# A moment after the dates the prompts used to name as examples (2026-12-03, 2026-12-24).
LATER = "2027-02-01T12:00:00+00:00"
_EXAMPLE = re.compile(r"\d{4}-\d{2}-\d{2} [\d:-]+\d|\d{1,2}/\d{1,2} [\d:-]+\d")


@pytest.fixture
async def later(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "grannvakt.db", clock=fixed_clock(LATER))
    await harness.start()
    yield harness
    await harness.stop()


async def _examples_then_each_typed(emu, officer, start: str, answers, bads, ok: str):
    """Every example of a typed time the dialogue's prompt and its refusals give (after
    `start` and its `answers`, then each of `bads`), each typed in a dialogue of its own:
    `ok` follows. Returns the examples and the last answer (the dialogue's next step)."""

    async def say(text: str):
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, text)
        return await emu.wait_for_message(officer.id, after=n)

    for text in (start, *answers):
        prompt = await say(text)
    said = [prompt.content] + [(await say(bad)).content for bad in bads]
    examples = {example for text in said for example in _EXAMPLE.findall(text)}
    assert len(examples) >= 2, said
    for example in sorted(examples):
        for text in ("/avbryt", start, *answers, example):
            answer = await say(text)
        assert ok in answer.content, (example, answer.content)
    return examples, answer


@pytest.mark.parametrize(
    ("lang", "survey", "presence", "move", "targets"),
    [
        ("sv", "/enkat", "/narvaro", "/narvarolista", "Vilka grupper ska få"),
        ("en", "/survey", "/presence", "/presences", "Which groups should"),
    ],
)
async def test_every_example_time_a_dialogue_gives_is_accepted(
    later, lang, survey, presence, move, targets
):
    """/enkat's closing time and /narvaro's time named fixed days (2026-12-24 18:00,
    2026-12-03 14:00-16:00) as examples: from those days on an officer who typed the
    example was refused ('Starttiden har redan varit', 'mellan tio minuter och 30 dagar
    framåt, t.ex. 2026-12-24 18:00'). The examples are now days ahead of the clock."""
    bot, emu = later, later.emu
    officer = emu.add_user("Olle", language_code=lang)
    await register_groups(bot, [emu.add_group("G", bot_is_member=True)], language=lang)
    await make_police(bot, officer, "0180")
    await _examples_then_each_typed(
        emu, officer, survey, ["Trygg?\nJa\nNej"], ["x", "1/1/2020 10:00"], targets
    )
    examples, screen = await _examples_then_each_typed(
        emu, officer, presence, ["Kaffe", "Torget"], ["i morgon"], targets
    )
    # a visit sent, then moved: the move's prompt gives the same (accepted) examples
    await choose_all(emu, officer, screen, Feature.PRESENCE)
    await emu.wait_until(lambda: any(d == Confirm(True).pack() for _, d in screen.buttons()))
    await emu.press_button(officer, screen, data=Confirm(True).pack())
    await emu.wait_until(lambda: not screen.reply_markup, what="the sent screen")
    await emu.send_text(officer, move)
    listing = await emu.wait_for_message(officer.id, lambda m: m.buttons())
    n = len(emu.sent_messages(officer.id))
    [move_data] = [d for _, d in listing.buttons() if d.startswith("prx1:m:")]
    await emu.press_button(officer, listing, data=move_data)
    ask = await emu.wait_for_message(officer.id, after=n)
    assert set(_EXAMPLE.findall(ask.content)) == examples, ask.content


@pytest.mark.parametrize(
    ("lang", "command", "where"), [("sv", "/rapportera", "Var?"), ("en", "/report", "Where?")]
)
async def test_every_example_day_the_report_gives_is_accepted(emu, tmp_path, lang, command, where):
    """The report's 'Annan dag' step gave '2026-11-24 18:30' as an example: more than a
    year old from 2027-11-25 on ('at most a year ago'), and in the future before it."""
    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock("2027-12-01T12:00:00+00:00"))
    w = await build_world(harness)
    try:
        resident = w.anna if lang == "sv" else w.bo
        examples: list[str] = []
        for attempt in range(6):
            await emu.send_text(resident, command)
            ask = await emu.wait_for_message(resident.id, lambda m: "112" in m.content)
            if lang == "en":  # Bo is in two groups
                await press(w, resident, ask, ReportButton(ReportStep.GROUP, w.group_a).pack())
            await press(w, resident, ask, ReportButton(ReportStep.CATEGORY, "sp").pack())
            await press(w, resident, ask, ReportButton(ReportStep.WHEN, "day").pack())
            if not examples:
                examples = re.findall(r"<code>(.*?)</code>", ask.html or "")
                assert len(examples) >= 3, ask.html
            if attempt == len(examples):
                break
            n = len(emu.sent_messages(resident.id))
            await emu.send_text(resident, examples[attempt])
            answer = await emu.wait_for_message(resident.id, after=n)
            assert where in answer.content, (examples[attempt], answer.content)
            await emu.send_text(resident, "/avbryt" if lang == "sv" else "/cancel")
            await emu.wait_for_message(resident.id, after=n + 1)
    finally:
        await harness.stop()
