"""End-to-end: surveys (medborgardialog) as anonymous polls through the emulator."""

from __future__ import annotations

import pytest

from bot.dialog_scheduler import dialog_scheduler_of
from bot.services.dialog_targets import Feature
from handlers.dialog_target import Choice, TargetPick
from handlers.surveys import Action, Closing, Confirm, SurveyPress
from storage import surveys as survey_store
from tests.alerts_helpers import make_police, register_groups
from tests.dialog_helpers import choose_all, eventually, make_coordinator, polls_in
from tests.harness import BotHarness, fixed_clock


@pytest.fixture
async def clocked(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "grannvakt.db", clock=fixed_clock())
    await harness.start()
    yield harness
    await harness.stop()


async def _compose(emu, officer, text: str, days: int = 1, feature=Feature.SURVEY, send=True):
    """/enkat through to the confirm screen (and Send); returns the confirm screen."""
    await emu.send_text(officer, "/enkat")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, text)
    closing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    await emu.press_button(officer, closing, data=Closing(days).pack())
    await choose_all(emu, officer, closing, feature)
    data = Confirm(True).pack()
    await emu.wait_until(lambda: any(d == data for _, d in closing.buttons()))
    if send:
        await emu.press_button(officer, closing, data=data)
        await emu.wait_until(lambda: not closing.reply_markup, what="the sent screen")
    return closing


async def _results(bot, survey_id: int):
    return await survey_store.poll_results(bot.services.db, survey_id)


async def test_survey_votes_aggregate_across_groups_and_close_early_sv(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    people = [emu.add_user(f"Boende {n}") for n in range(4)]
    chats = [
        emu.add_group("Norr", members=people[:2], bot_is_member=True),
        emu.add_group("Söder", members=people[2:3], bot_is_member=True),
        emu.add_group("Väster", members=people[3:], bot_is_member=True),
    ]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    screen = await _compose(emu, officer, "Känner du dig trygg <här>?\nJa\nNej\nVet inte")
    assert "Enkäten skickas till 3 grupper" in screen.content
    polls = [
        await emu.wait_until(lambda c=c: polls_in(emu, c.id) and polls_in(emu, c.id)[0])
        for c in chats
    ]
    for poll in polls:
        raw = emu.poll_of(poll)
        assert raw["is_anonymous"] is True
        assert raw["question"] == "Känner du dig trygg <här>?"
        assert [o["text"] for o in raw["options"]] == ["Ja", "Nej", "Vet inte"]
    survey_id = (await survey_store.surveys_of(bot.services.db, officer.id, 1))[0].id
    await eventually(lambda: _all_sent(bot, survey_id))

    emu.vote(people[0], polls[0], [0])
    emu.vote(people[1], polls[0], [1])
    emu.vote(people[2], polls[1], [0])
    emu.vote(people[3], polls[2], [2])
    emu.vote(people[3], polls[2], [0])  # changed their mind: counts move, nobody is named

    async def combined():
        rows = await _results(bot, survey_id)
        return sum(r.total_voters for r in rows) == 4 and rows

    rows = await eventually(combined)
    totals = [sum(r.counts[i] for r in rows) for i in range(3)]
    assert totals == [3, 1, 0]

    await emu.send_text(officer, "/enkater")
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    before = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, listing, data=SurveyPress(Action.VIEW, survey_id).pack())
    result = await emu.wait_for_message(
        officer.id, lambda m: m.kind == "text" and "Per grupp" in m.content, after=before
    )
    chart = [m for m in emu.sent_messages(officer.id)[before:] if m.kind == "photo"]
    assert chart, "a bar chart is sent with the result"
    assert "Ja: 3 (75 %)" in result.content and "Nej: 1 (25 %)" in result.content
    assert "4 har svarat. Grupper: 3." in result.content
    assert "Område 0: 2 svar (1 / 1 / 0)" in result.content
    assert "&lt;här&gt;" in result.html  # the question is escaped

    before = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, result, data=SurveyPress(Action.CLOSE, survey_id).pack())
    # one tap only asks: Yes / No in place of the buttons; nothing is closed yet
    await emu.wait_until(lambda: "✅ Ja, stäng den" in result.button_texts(), what="asked")
    assert result.button_texts() == ["✅ Ja, stäng den", "↩️ Nej, låt den vara öppen"]
    assert not (await survey_store.get_survey(bot.services.db, survey_id)).is_closed
    await emu.press_button(officer, result, data=SurveyPress(Action.CLOSE_NO, survey_id).pack())
    await emu.wait_until(lambda: "⏹ Stäng nu" in result.button_texts(), what="buttons back")
    assert not (await survey_store.get_survey(bot.services.db, survey_id)).is_closed
    assert len(emu.sent_messages(officer.id)) == before
    await emu.press_button(officer, result, data=SurveyPress(Action.CLOSE, survey_id).pack())
    await emu.wait_until(lambda: "✅ Ja, stäng den" in result.button_texts(), what="asked")
    await emu.press_button(officer, result, data=SurveyPress(Action.CLOSE_YES, survey_id).pack())
    closed = await emu.wait_for_message(officer.id, lambda m: "Stängd" in m.content, after=before)
    assert closed.button_texts() == ["🔄 Uppdatera"]
    # the result the close was pressed on keeps no Close button either
    await emu.wait_until(lambda: result.button_texts() == ["🔄 Uppdatera"], what="no stale")
    # when it was closed, the day named: the result stays in the chat
    assert "Stängd ons 25 nov kl. 13.00." in closed.content
    await emu.wait_until(lambda: all(emu.poll_of(p)["is_closed"] for p in polls), what="stopPoll")
    stops = [c for c in emu.calls if c.method == "stopPoll"]
    assert len(stops) == 3
    survey = await survey_store.get_survey(bot.services.db, survey_id)
    assert survey is not None and survey.is_closed
    # closing twice changes nothing; voting after the close is impossible
    with pytest.raises(AssertionError):
        emu.vote(people[1], polls[0], [0])


async def _all_sent(bot, survey_id):
    rows = await _results(bot, survey_id)
    return rows and all(r.is_sent for r in rows)


async def test_survey_closes_at_its_time_after_a_restart_en(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="en")
    member = emu.add_user("Rut", language_code="en")
    chats = [emu.add_group(f"G{n}", members=[member], bot_is_member=True) for n in range(2)]
    await register_groups(bot, chats, language="en")
    await make_police(bot, officer, "0180")
    screen = await _compose(emu, officer, "Should we meet monthly?\nYes\nNo", days=3)
    assert "being sent to 2 groups" in screen.content
    survey_id = (await survey_store.surveys_of(bot.services.db, officer.id, 1))[0].id
    await eventually(lambda: _all_sent(bot, survey_id))
    polls = [polls_in(emu, c.id)[0] for c in chats]
    emu.vote(member, polls[1], [1])
    await eventually(lambda: _voters(bot, survey_id, 1))

    await bot.restart()
    clock = bot.clock
    clock.advance(days=2)
    assert (await dialog_scheduler_of(bot.app).tick()).closed == []
    clock.advance(days=1, minutes=1)
    await bot.restart()  # the start-up pass closes what became due while it was down
    await emu.wait_until(lambda: all(emu.poll_of(p)["is_closed"] for p in polls), what="closed")
    notice = await emu.wait_for_message(officer.id, lambda m: "is now closed" in m.content, after=0)
    assert "Should we meet monthly?" in notice.content
    assert (await dialog_scheduler_of(bot.app).tick()).closed == []  # once only

    await emu.send_text(officer, "/surveys")
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    before = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, listing, data=SurveyPress(Action.VIEW, survey_id).pack())
    result = await emu.wait_for_message(
        officer.id, lambda m: "Per group" in m.content, after=before
    )
    assert "Closed" in result.content and "No: 1 (100 %)" in result.content
    assert "1 person answered. Groups: 2." in result.content


async def _voters(bot, survey_id, n):
    return sum(r.total_voters for r in await _results(bot, survey_id)) == n


async def test_residents_cannot_make_surveys_and_coordinators_reach_only_their_groups(clocked):
    bot, emu = clocked, clocked.emu
    resident = emu.add_user("Rut", language_code="sv")
    coordinator = emu.add_user("Cora", language_code="sv")
    mine = emu.add_group("Min", admins=[coordinator], bot_is_member=True)
    other = emu.add_group("Annan", bot_is_member=True)
    my_id, other_id = await register_groups(bot, [mine, other])
    await make_coordinator(bot, coordinator, my_id)

    await emu.send_text(resident, "/enkat")
    refused = await emu.wait_for_message(resident.id)
    assert "Enkäter skickas till grupperna av poliser" in refused.content

    screen = await _compose(emu, coordinator, "Fråga?\nA\nB", send=False)
    assert "Går till 1 grupp." in screen.content  # only the group they coordinate
    assert "Stängs i morgon kl. 13.00." in screen.content  # the preview is read at once
    await emu.press_button(coordinator, screen, data=Confirm(True).pack())
    await emu.wait_until(lambda: polls_in(emu, mine.id), what="poll in own group")
    assert polls_in(emu, other.id) == []
    # a forged press for another group is refused and changes nothing
    await emu.send_text(coordinator, "/enkat")
    await emu.wait_for_message(coordinator.id)
    await emu.send_text(coordinator, "Fråga 2?\nA\nB")
    closing = await emu.wait_for_message(coordinator.id, lambda m: m.reply_markup)
    await emu.press_button(coordinator, closing, data=Closing(1).pack())
    await emu.wait_until(lambda: any("Välj grupper" == t for t in closing.button_texts()))
    await emu.press_button(
        coordinator, closing, data=TargetPick(Feature.SURVEY, Choice.GROUPS).pack()
    )
    await emu.wait_until(lambda: "Valda: 0" in closing.content)
    cq = await emu.press_forged(
        coordinator, closing, TargetPick(Feature.SURVEY, Choice.TOGGLE, group_id=other_id).pack()
    )
    answer = await emu.wait_for_callback_answer(cq["id"])
    assert answer.get("show_alert") or "gått ut" in (answer.get("text") or "")


async def test_bad_question_is_answered_politely(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/enkat")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Bara en fråga\nEtt svar")
    answer = await emu.wait_for_message(officer.id)
    assert "2–10 olika svar" in answer.content
    await emu.send_text(officer, "Fråga\nA\nB")
    closing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    assert "stängas" in closing.content
    await emu.send_text(officer, "i övermorgon")
    bad = await emu.wait_for_message(officer.id)
    assert (
        "Det förstod jag inte" in bad.content and "2/12 18:00" in bad.content
    )  # a week ahead of the clock


async def test_kommun_target_stale_buttons_and_stray_text_are_answered(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="en")
    here = emu.add_group("Here", bot_is_member=True)
    there = emu.add_group("There", bot_is_member=True)
    await register_groups(bot, [here], language="en")
    await register_groups(bot, [there], kommun="1083", language="en")
    await make_police(bot, officer, "0180", "1083")
    await emu.send_text(officer, "/survey")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Q?\nA\nB")
    screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    await emu.press_button(officer, screen, data=Closing(1).pack())
    kommun = TargetPick(Feature.SURVEY, Choice.KOMMUN).pack()
    await emu.wait_until(lambda: any(d == kommun for _, d in screen.buttons()))
    await emu.press_button(officer, screen, data=kommun)
    pick = TargetPick(Feature.SURVEY, Choice.PICK_KOMMUN, kommun="1083").pack()
    await emu.wait_until(lambda: any(d == pick for _, d in screen.buttons()), what="kommuner")
    before = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "some stray text")  # a typed answer where a button is due
    stray = await emu.wait_for_message(officer.id, after=before)
    assert "button" in stray.content, stray.content
    await emu.press_button(officer, screen, data=pick)
    send = Confirm(True).pack()
    await emu.wait_until(lambda: any(d == send for _, d in screen.buttons()), what="preview")
    assert "Goes to 1 group." in screen.content
    await emu.send_text(officer, "/cancel")
    await emu.wait_for_message(officer.id, lambda m: "Cancelled" in m.content)
    cq = await emu.press_button(officer, screen, data=send)  # the dialogue has ended
    answer = await emu.wait_for_callback_answer(cq["id"])
    assert "expired" in answer["text"]
    assert polls_in(emu, here.id) == [] and polls_in(emu, there.id) == []


async def test_a_half_made_survey_continues_after_a_restart(clocked):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code="sv")
    chats = [emu.add_group("Norr", bot_is_member=True)]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/enkat")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Fråga?\nA\nB")
    screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    await emu.press_button(officer, screen, data=Closing(7).pack())
    await emu.wait_until(lambda: "Vilka grupper" in screen.content, what="the target step")
    await bot.restart()  # the draft (question, answers, closing time) is in the database
    await choose_all(emu, officer, screen, Feature.SURVEY)
    send = Confirm(True).pack()
    await emu.wait_until(lambda: any(d == send for _, d in screen.buttons()), what="preview")
    assert "Fråga?" in screen.content and "• B" in screen.content
    await emu.press_button(officer, screen, data=send)
    await emu.wait_until(lambda: polls_in(emu, chats[0].id), what="the poll")
