"""End-to-end review of people's journeys (fresh reviewer, 30 Nov): a resident, a
coordinator, a police officer and a kommun user in Swedish and English, across a restart
and after the handler router was installed."""

from __future__ import annotations

import pytest

from bot.i18n import t_plain
from bot.persistence import current_states
from handlers.observations_buttons import ReportButton, ReportStep
from handlers.privacy import ForgetMe
from storage import roles as role_store
from tests.harness import BotHarness, fixed_clock
from tests.scenario import Scenario
from tests.test_observations_support import World, build_world, press


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock())
    w = await build_world(harness)
    yield w
    await harness.stop()


async def _answer(w: World, user, text: str):
    n = len(w.emu.sent_messages(user.id))
    await w.emu.send_text(user, text)
    return await w.emu.wait_for_message(user.id, after=n)


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_start_lists_an_officers_kommuner_in_name_order(world: World, lang: str):
    w = world
    officer = w.pia if lang == "sv" else w.olle
    # Stockholm (0180) and Göteborg (1480): by code Stockholm first, by name Göteborg.
    await Scenario.of(w.harness).police(officer, "0180", "1480")
    start = await _answer(w, officer, "/start")
    text = start.content
    assert "Göteborg" in text and "Stockholm" in text, text
    assert text.index("Göteborg") < text.index("Stockholm"), text


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_start_lists_a_kommun_users_kommuner_in_name_order(world: World, lang: str):
    w = world
    user = w.anna if lang == "sv" else w.bo
    services = w.harness.services
    now = services.clock.now()
    for code in ("0180", "1480", "0114"):  # Stockholm, Göteborg, Upplands Väsby
        await role_store.grant_role(services.db, user.id, "kommun", code, None, now)
    text = (await _answer(w, user, "/start")).content
    line = next(line for line in text.splitlines() if line.startswith("🏛"))
    places = [line.index(f"{name} (") for name in ("Göteborg", "Stockholm", "Upplands Väsby")]
    assert places == sorted(places), line


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_my_data_lists_groups_and_roles_by_name(world: World, lang: str):
    w = world
    user = w.pia if lang == "sv" else w.olle
    world_ = Scenario.of(w.harness)
    # Joined (and granted) in the order SQL keeps: Östermalm before Almvägen, Stockholm
    # (0180) before Göteborg (1480) by code.
    for area in ("Östermalm", "Almvägen"):
        chat = w.emu.add_group(area, members=[user])
        await world_.group(chat.id, area, "0180", residents=[user])
    await world_.police(user, "0180", "1480")
    n = len(w.emu.sent_messages(user.id))
    await w.emu.send_text(user, "/minadata" if lang == "sv" else "/mydata")
    summary = await w.emu.wait_for_message(user.id, lambda m: m.kind == "text", after=n)
    text = summary.content
    assert text.index("Almvägen") < text.index("Östermalm"), text
    assert text.index("Göteborg (") < text.index("Stockholm ("), text


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_group_overview_and_coordinator_buttons_list_people_by_name(world: World, lang: str):
    w, emu = world, world.emu
    people = [emu.add_user(name, lang) for name in ("Örjan", "bertil", "Anna")]
    for user in people:
        user.started = True
        await Scenario.of(w.harness).person(user, user.first_name, lang)
    # Admins (and coordinators, granted) in this order: Örjan, bertil, Anna.
    chat = emu.add_group("Ängen", admins=people, bot_is_member=True)
    await Scenario.of(w.harness).group(chat.id, "Ängen", "0180", coordinators=people, language=lang)
    orjan = people[0]
    n = len(emu.sent_messages(chat.id))
    await emu.send_text(orjan, "/grupp" if lang == "sv" else "/group", chat=chat)
    overview = await emu.wait_for_message(chat.id, lambda m: m.buttons(), after=n)
    label = "Kontaktombud: " if lang == "sv" else "Coordinators: "
    line = next(x for x in overview.content.splitlines() if x.startswith(label))
    assert line == label + "Anna, bertil, Örjan"
    button = next(d for _, d in overview.buttons() if d and d.startswith("gcoords"))
    await emu.press_button(orjan, overview, data=button)
    await emu.wait_until(lambda: any("Örjan" in text for text in overview.button_texts()))
    names = [text.split(" ", 1)[1] for text in overview.button_texts() if text[:1] in "✅➕"]
    assert names == ["Anna", "bertil", "Örjan"]


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_forget_me_in_the_middle_of_a_report_ends_the_report(world: World, lang: str):
    w, emu = world, world.emu
    user = w.anna if lang == "sv" else w.bo
    await emu.send_text(user, "/rapportera" if lang == "sv" else "/report")
    prompt = await emu.wait_for_message(user.id, lambda m: m.buttons())
    if lang == "en":  # Bo is in two groups: the report asks which first
        await press(w, user, prompt, ReportButton(ReportStep.GROUP, str(w.group_a)).pack())
    await press(w, user, prompt, ReportButton(ReportStep.CATEGORY, "bu").pack())
    await press(w, user, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, "/glommig" if lang == "sv" else "/forgetme")
    ask = await emu.wait_for_message(user.id, lambda m: m.buttons(), after=n)
    await emu.press_button(user, ask, data=ForgetMe(True).pack())
    await emu.wait_until(lambda: not ask.buttons())  # erased: the question became the result
    app = w.harness.app
    assert current_states(app, user.id, user.id) == []
    # Their next words are not taken as the report's place (a report by nobody, for a
    # group they no longer belong to): they get the pointer anyone gets.
    answer = await _answer(w, user, "Ljungvägen 12")
    assert answer.content == t_plain(lang, "core.pointer"), answer.content
    stored = await w.harness.services.db.fetch_all("SELECT id FROM observations")
    assert stored == []
