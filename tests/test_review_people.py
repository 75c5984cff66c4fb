"""End-to-end (review as a resident and a coordinator, in Swedish and English): what a
person reads and where each screen lets them go."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.services import places
from bot.services.observation_input import WhenError, parse_when
from bot.services.refusals import Refused
from handlers.observations_buttons import ReportButton, ReportStep
from storage import groups as group_store
from storage import observations as observation_store
from tests.actors import CLI
from tests.emulator.state import Chat, User
from tests.harness import BotHarness, fixed_clock
from tests.scenario import Scenario
from tests.test_observations_support import World, add_person, build_world, press


@pytest.fixture
async def started(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "people.db", clock=fixed_clock())
    await harness.start()
    yield harness
    await harness.stop()


async def _coordinated_group(harness: BotHarness, lang: str) -> tuple[User, User, Chat]:
    """A registered Swedish-speaking group, its coordinator (Telegram language `lang`, an
    admin of the chat) and a resident."""
    emu = harness.emu
    cora = emu.add_user("Cora", lang)
    rut = emu.add_user("Rut", lang)
    grp = emu.add_group("Gatan", admins=[cora], members=[rut], bot_is_member=True)
    world = Scenario.of(harness)
    for who in (cora, rut):
        who.started = True
        await world.person(who, who.first_name, lang)
    await world.group(grp.id, "Björkhagen", "0180", coordinators=[cora], residents=[rut, cora])
    return cora, rut, grp


async def _panel(emu, who: User, grp: Chat, command: str):
    await emu.send_text(who, command, chat=grp)
    return await emu.wait_for_message(grp.id, lambda m: m.buttons())


# --------------------------------------------------------------------------- language names


async def test_a_swede_reads_the_groups_language_in_swedish(started):
    emu = started.emu
    cora, _, grp = await _coordinated_group(started, "sv")
    panel = await _panel(emu, cora, grp, "/grupp")
    assert "Gruppens språk (larm, tips och mina inlägg här): svenska" in panel.text
    await emu.press_button(cora, panel, text="English")  # the button keeps its own name
    toast = await emu.wait_for_callback_answer()
    assert toast["text"] == "Gruppens språk är nu engelska."
    await emu.wait_until(lambda: "✅ English" in panel.button_texts())
    assert "Gruppens språk (larm, tips och mina inlägg här): engelska" in panel.text
    assert "English" not in panel.text


async def test_an_english_reader_reads_swedish_as_swedish(started):
    emu = started.emu
    cora, _, grp = await _coordinated_group(started, "en")
    panel = await _panel(emu, cora, grp, "/group")
    assert "The group's language (alerts, tips and my posts here): Swedish" in panel.text
    assert "✅ Svenska" in panel.button_texts()
    await emu.press_button(cora, panel, text="English")
    assert (await emu.wait_for_callback_answer())["text"] == "The group's language is now English."


# --------------------------------------------------------------------------- ways back


async def _resident(w: World, lang: str) -> User:
    """Eve, who started the bot, a resident of group A, her app in `lang`."""
    user = w.emu.add_user("Eve", lang)
    user.started = True
    await add_person(w.harness, user)
    await Scenario.of(w.harness).residents(w.group_a, user)
    return user


async def _report_started(w: World, user: User, command: str):
    """The report dialogue opened and its category chosen: the step asking when."""
    await w.emu.send_text(user, command)
    step = await w.emu.wait_for_message(user.id, lambda m: "112" in m.content)
    await press(w, user, step, ReportButton(ReportStep.CATEGORY, "sp").pack())
    return step


async def _report_summary(w: World, user: User, command: str):
    """The report dialogue up to its summary (one group, typed place, no photos)."""
    emu = w.emu
    step = await _report_started(w, user, command)
    await press(w, user, step, ReportButton(ReportStep.WHEN, "now").pack())
    await emu.send_text(user, "Storgatan 1")
    await emu.wait_for_message(user.id, lambda m: "2000" in m.content)
    await emu.send_text(user, "Två personer vid bilarna")
    step = await emu.wait_for_message(user.id, lambda m: m.buttons())
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, user, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    return step


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "w.db", clock=fixed_clock())
    w = await build_world(harness)
    yield w
    await harness.stop()


@pytest.mark.parametrize(
    ("lang", "command", "back", "summary"),
    [
        ("sv", "/rapportera", "⬅️ Tillbaka, ändra inget", "Kontrollera din rapport"),
        ("en", "/report", "⬅️ Back, change nothing", "Check your report"),
    ],
)
async def test_the_edit_menu_leads_back_to_the_summary_unchanged(
    world, lang, command, back, summary
):
    w = world
    user = await _resident(w, lang)
    step = await _report_summary(w, user, command)
    before = step.content
    assert summary in before
    await press(w, user, step, ReportButton(ReportStep.SUMMARY, "edit").pack())
    assert back in step.button_texts()
    await press(w, user, step, ReportButton(ReportStep.EDIT, "back").pack())
    assert step.content == before  # the same summary, nothing changed
    await press(w, user, step, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in step.content
    saved = await observation_store.get_observation(w.harness.services.db, 1)
    assert saved is not None and saved.description == "Två personer vid bilarna"


@pytest.mark.parametrize(
    ("lang", "command", "labels"),
    [
        ("sv", "/grupp", ("👥 Kontaktombud", "⬅️ Tillbaka till gruppen", "🗑 Avregistrera",
                          "Nej, behåll", "Inget ändrades, gruppen är fortfarande registrerad.")),
        ("en", "/group", ("👥 Coordinators", "⬅️ Back to the group", "🗑 Unregister",
                          "No, keep it", "Nothing changed; the group is still registered.")),
    ],
)  # fmt: skip
async def test_the_group_panels_screens_lead_back_to_the_overview(started, lang, command, labels):
    coordinators, back, unregister, keep, kept = labels
    emu = started.emu
    cora, rut, grp = await _coordinated_group(started, lang)
    panel = await _panel(emu, cora, grp, command)
    overview = panel.button_texts()
    await emu.press_button(cora, panel, text=coordinators)
    await emu.wait_until(lambda: back in panel.button_texts())
    assert "✅ Cora" in panel.button_texts()
    await emu.press_forged(rut, panel, panel.buttons()[-1][1])  # not a coordinator
    await emu.wait_for_callback_answer()
    assert back in panel.button_texts()
    await emu.press_button(cora, panel, text=back)
    await emu.wait_until(lambda: unregister in panel.button_texts())
    assert panel.button_texts() == overview and "Björkhagen" in panel.text
    await emu.press_button(cora, panel, text=unregister)
    await emu.wait_until(lambda: keep in panel.button_texts())
    await emu.press_button(cora, panel, text=keep)
    assert (await emu.wait_for_callback_answer())["text"] == kept
    await emu.wait_until(lambda: coordinators in panel.button_texts())
    assert panel.button_texts() == overview and "Björkhagen" in panel.text
    group = await group_store.get_group_by_chat(started.services.db, grp.id)
    assert group is not None and group.is_registered


# --------------------------------------------------------------------------- text steps


async def _voice(emu, user: User) -> None:
    emu._user_message(user, None, voice={"file_id": "v1", "file_unique_id": "v1u", "duration": 3})


@pytest.mark.parametrize(
    ("lang", "command", "expected"),
    [
        ("sv", "/rapportera", ("Skriv tiden som ett vanligt textmeddelande.",
                               "Skriv platsen som ett vanligt textmeddelande, eller dela en plats",
                               "Skriv beskrivningen som ett vanligt textmeddelande. Foton kan du "
                               "skicka i nästa steg.")),
        ("en", "/report", ("Please type the time as a plain text message.",
                           "Please type the place as a plain text message, or share a location",
                           "Please write the description as a plain text message. You can send "
                           "photos in the next step.")),
    ],
)  # fmt: skip
async def test_the_reports_text_steps_ask_for_text(world, lang, command, expected):
    """A photo (with its caption), a sticker or a voice message where the report wants typed
    text is told to type it, with the step's question again; the dialogue goes on."""
    when, where, description = expected
    w, emu = world, world.emu
    user = await _resident(w, lang)
    step = await _report_started(w, user, command)
    await press(w, user, step, ReportButton(ReportStep.WHEN, "today").pack())
    await emu.send_sticker(user)
    assert when in (await emu.wait_for_message(user.id)).content
    await emu.send_text(user, "12:00")
    await emu.wait_for_message(user.id)
    await _voice(emu, user)
    assert where in (await emu.wait_for_message(user.id)).content
    await emu.send_text(user, "Parken")
    await emu.wait_for_message(user.id)
    await emu.send_photo(user, caption="En bil utan skyltar")
    answer = await emu.wait_for_message(user.id)
    assert answer.content.startswith(description)
    assert "2000" in answer.content  # the step's question again
    await emu.send_text(user, "En bil utan skyltar")
    photos = await emu.wait_for_message(user.id)
    assert photos.buttons() == [
        (photos.buttons()[0][0], ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    ]


# --------------------------------------------------------------------------- erasure


@pytest.mark.parametrize(
    ("lang", "command", "warning"),
    [
        ("sv", "/glommig", "⚠️ Du är det enda kontaktombudet i Björkhagen. Efter raderingen har "
                           "gruppen inget kontaktombud"),
        ("en", "/forgetme", "⚠️ You are the only coordinator of Björkhagen. After the erasure the "
                            "group has no coordinator"),
    ],
)  # fmt: skip
async def test_the_last_coordinator_is_told_before_erasing_themselves(
    started, lang, command, warning
):
    emu = started.emu
    cora, rut, _ = await _coordinated_group(started, lang)
    dan = emu.add_user("Dan", lang)
    other = emu.add_group("Andra", admins=[cora, dan], bot_is_member=True)
    await Scenario.of(started).group(other.id, "Ekudden", "0180", coordinators=[cora, dan])
    await emu.send_text(cora, command)
    ask = await emu.wait_for_message(cora.id, lambda m: m.buttons())
    assert warning in ask.text
    assert "Ekudden" not in ask.text  # Dan still coordinates it
    await emu.send_text(rut, command)
    ask = await emu.wait_for_message(rut.id, lambda m: m.buttons())
    assert "⚠️" in ask.text and "Björkhagen" not in ask.text


@pytest.mark.parametrize(
    ("lang", "command", "told"),
    [
        ("sv", "/rapportera", "Texten som du skickade med fotot sparar jag inte."),
        ("en", "/report", "I don't keep the text you sent with the photo."),
    ],
)
async def test_a_photos_caption_is_not_dropped_silently(world, lang, command, told):
    w, emu = world, world.emu
    user = await _resident(w, lang)
    step = await _report_started(w, user, command)
    await press(w, user, step, ReportButton(ReportStep.WHEN, "now").pack())
    await emu.send_text(user, "Parken")
    await emu.wait_for_message(user.id)
    await emu.send_text(user, "En bil")
    await emu.wait_for_message(user.id)
    await emu.send_photo(user, caption="Registreringsnummer ABC 123")
    first = await emu.wait_for_message(user.id)
    assert told in first.content and "1" in first.content
    await emu.send_photo(user)  # no caption: nothing to say
    second = await emu.wait_for_message(user.id)
    assert told not in second.content and "2" in second.content


# --------------------------------------------------------------------------- group commands


@pytest.mark.parametrize(
    ("lang", "command", "expected"),
    [
        ("sv", "/avregistrera", "Skriv /avregistrera i gruppen du vill avregistrera. Du är "
                                "kontaktombud för:\n• Björkhagen"),
        ("en", "/unregister", "Send /unregister in the group you want to unregister. You "
                              "coordinate:\n• Björkhagen"),
    ],
)  # fmt: skip
async def test_unregister_sent_privately_says_where_to_send_it(started, lang, command, expected):
    """A private chat is no group: not "this group is not registered"."""
    emu = started.emu
    cora, rut, _ = await _coordinated_group(started, lang)
    await emu.send_text(cora, command)
    answer = await emu.wait_for_message(cora.id)
    assert expected in answer.text
    await emu.send_text(rut, command)
    answer = await emu.wait_for_message(rut.id)
    assert answer.text in (
        "Du är inte kontaktombud för någon grupp.",
        "You are not the coordinator of any group.",
    )


@pytest.mark.parametrize(
    ("lang", "command", "outside", "radius"),
    [
        ("sv", "/grupp plats", "Den platsen ligger inte i Sverige.",
         "Radien ska vara mellan 100 m och 20 km."),
        ("en", "/group place", "That place is not in Sweden.",
         "The radius must be between 100 m and 20 km."),
    ],
)  # fmt: skip
async def test_a_group_place_outside_sweden_is_answered_in_the_group(
    started, lang, command, outside, radius
):
    """Impossible coordinates got a terse private "invalid", New York was saved, and a
    radius of 50 km was "not understood"."""
    emu, db = started.emu, started.services.db
    cora, _, grp = await _coordinated_group(started, lang)
    group = await group_store.get_group_by_chat(db, grp.id)
    assert group is not None
    for where in ("91, 14", "56.05, 190", "40.7, -74.0"):
        n = len(emu.sent_messages(grp.id))
        await emu.send_text(cora, f"{command} {where}", chat=grp)
        answer = await emu.wait_for_message(grp.id, after=n)
        assert answer.text.startswith(outside), where
        assert "56.05, 14.58" in answer.text  # how to do it
        assert await places.group_place(db, group.id) is None
    await emu.send_text(cora, f"{command} 56.05, 14.58 50 km", chat=grp)
    assert (await emu.wait_for_message(grp.id)).text.startswith(radius)
    assert emu.sent_messages(cora.id) == []  # nothing privately
    with pytest.raises(Refused) as refused:
        await places.set_group_place(db, fixed_clock().now(), CLI, _anyone, group.id, 40.7, -74.0)
    assert refused.value.key == "places.outside_sweden"


async def _anyone(chat_id: int, user_id: int) -> bool:
    return True


@pytest.mark.parametrize(
    ("lang", "command", "pointer", "report", "goes_on"),
    [
        ("sv", "/minadata", "Tryck på knappen och skriv /minadata där.", "/rapportera",
         "Tryck på knappen för att fortsätta där."),
        ("en", "/mydata", "Press the button, then send /mydata there.", "/report",
         "Press the button to continue there."),
    ],
)  # fmt: skip
async def test_a_private_command_in_a_group_says_to_send_it_again_there(
    started, lang, command, pointer, report, goes_on
):
    """The button opens the private chat with the group's link, which answers "you are
    already part of …": the person must know to send the command again. The report's
    button starts the report by itself."""
    emu = started.emu
    _, rut, grp = await _coordinated_group(started, lang)
    await emu.send_text(rut, command, chat=grp)
    answer = await emu.wait_for_message(grp.id)
    assert answer.text.endswith(pointer)
    await emu.send_text(rut, report, chat=grp)
    answer = await emu.wait_for_message(grp.id)
    assert answer.text.endswith(goes_on)


@pytest.mark.parametrize(
    ("lang", "command", "labels"),
    [
        ("sv", "/rapportera", ("Foton: 2", "Foto 2 av högst 5", "🗑 Ta bort fotona",
                               "Jag har tagit bort fotona.", "Foton: 0")),
        ("en", "/report", ("Photos: 2", "Photo 2 of at most 5", "🗑 Remove the photos",
                           "I have removed the photos.", "Photos: 0")),
    ],
)  # fmt: skip
async def test_edit_photos_keeps_the_photos_until_they_are_removed(world, lang, command, labels):
    """Edit → Photos dropped every photo sent, silently: the summary then said 0."""
    two, received, remove, removed, none = labels
    w, emu = world, world.emu
    user = await _resident(w, lang)
    step = await _report_started(w, user, command)
    await press(w, user, step, ReportButton(ReportStep.WHEN, "now").pack())
    await emu.send_text(user, "Parken")
    await emu.wait_for_message(user.id)
    await emu.send_text(user, "En bil")
    await emu.wait_for_message(user.id)
    for _ in range(2):
        await emu.send_photo(user)
        step = await emu.wait_for_message(user.id)
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, user, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    assert two in step.content
    await press(w, user, step, ReportButton(ReportStep.SUMMARY, "edit").pack())
    await press(w, user, step, ReportButton(ReportStep.EDIT, "photos").pack())
    assert received in step.content and remove in step.button_texts()
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    assert two in step.content  # back at the summary, the photos still there
    await press(w, user, step, ReportButton(ReportStep.SUMMARY, "edit").pack())
    await press(w, user, step, ReportButton(ReportStep.EDIT, "photos").pack())
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "clear").pack())
    assert step.content.startswith(removed) and remove not in step.button_texts()
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    assert none in step.content
    await press(w, user, step, ReportButton(ReportStep.SUMMARY, "ok").pack())
    saved = await observation_store.get_observation(w.harness.services.db, 1)
    assert saved is not None and saved.photos == ()


# --------------------------------------------------------------------------- day without a time


def test_a_day_alone_is_checked_before_the_time_is_asked_for():
    """'31/2' and '1999-01-01' were answered "at about what time?"; the time typed next
    was then refused for the day."""
    now, tz = fixed_clock().now(), ZoneInfo("Europe/Stockholm")
    assert parse_when("31/2", now, tz) is WhenError.FORMAT
    assert parse_when("1999-01-01", now, tz) is WhenError.TOO_OLD
    assert parse_when("2027-01-01", now, tz) is WhenError.FUTURE
    assert parse_when("24/11", now, tz) is WhenError.NO_TIME
    assert parse_when("igår", now, tz) is WhenError.NO_TIME


@pytest.mark.parametrize(
    ("lang", "command", "format_", "too_old"),
    [
        ("sv", "/rapportera", "Det förstod jag inte.", "Det är över ett år sedan."),
        ("en", "/report", "I did not understand that.", "That is more than a year ago."),
    ],
)
async def test_another_day_without_a_time_is_checked_first(world, lang, command, format_, too_old):
    w, emu = world, world.emu
    user = await _resident(w, lang)
    step = await _report_started(w, user, command)
    await press(w, user, step, ReportButton(ReportStep.WHEN, "day").pack())
    await emu.send_text(user, "31/2")
    assert (await emu.wait_for_message(user.id)).content.startswith(format_)
    await emu.send_text(user, "1999-01-01")
    assert (await emu.wait_for_message(user.id)).content.startswith(too_old)


# --------------------------------------------------------------------------- outside a dialogue


@pytest.mark.parametrize(
    ("lang", "pointer"),
    [
        ("sv", "Det kan jag tyvärr inte svara på: jag förstår bara kommandon och svar på mina "
               "frågor. Skriv /hjalp för att se vad du kan göra."),
        ("en", "Sorry, I can't answer that: I only understand commands and answers to my "
               "questions. Send /help to see what you can do."),
    ],
)  # fmt: skip
async def test_a_sticker_or_voice_message_is_not_called_free_text(started, lang, pointer):
    """The pointer said "I don't understand free-form (written) messages" to a sticker
    and a voice message too."""
    emu = started.emu
    _, rut, _ = await _coordinated_group(started, lang)
    for send in (lambda: emu.send_sticker(rut), lambda: _voice(emu, rut)):
        n = len(emu.sent_messages(rut.id))
        await send()
        answer = await emu.wait_for_message(rut.id, after=n)
        assert answer.text == pointer
