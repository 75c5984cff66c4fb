"""A reviewer who uses grannvakt as a police officer and as the kommun's safety office:
each defect found, end to end through the emulator, in Swedish and English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import alert_changes as changes
from bot.services import alerts as alert_service
from bot.services.dialog_targets import Feature
from bot.services.roles import access_of
from handlers.alerts_buttons import AlertTarget, AlertType, Target
from handlers.presence import Confirm as PresenceConfirm
from handlers.presence_manage import Manage, PresencePress
from handlers.surveys import Action, Closing, Confirm, SurveyPress
from storage import alerts as alert_store
from storage import presence as presence_store
from storage import roles as role_store
from storage import surveys as survey_store
from storage.places import AlertDetails
from tests.actors import person
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of
from tests.dialog_helpers import choose_all
from tests.harness import BotHarness, fixed_clock
from tests.scenario import Scenario


async def _officer_of_one_group(bot, emu, lang):
    """Olle, a kommunpolis of Sölvesborg (1083) with its one registered group, in `lang`."""
    officer = emu.add_user("Olle", language_code=lang)
    chat = emu.add_group("G", bot_is_member=True)
    await register_groups(bot, [chat], "1083", language=lang)
    await make_police(bot, officer, "1083")
    return officer


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


@pytest.mark.parametrize(
    ("lang", "command", "understood", "misunderstood", "too_soon"),
    [
        ("sv", "/enkat", "Stängs i morgon kl. 00.30", "Det förstod jag inte", "tio minuter"),
        ("en", "/survey", "Closes tomorrow at 00:30", "I did not understand that", "ten minutes"),
    ],
)
async def test_a_survey_closes_at_a_day_typed_as_for_a_visit(
    emu, tmp_path, lang, command, understood, misunderstood, too_soon
):
    """At 23:30 on 30 Nov, '1/12 00:30' (the form /narvaro takes) was refused as 'not 10
    minutes to 30 days ahead'; it is understood, and a form the bot does not know is told
    so, not blamed on the time's range."""
    bot = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock("2026-11-30T22:30:00+00:00"))
    await bot.start()
    try:
        officer = await _officer_of_one_group(bot, emu, lang)
        await emu.send_text(officer, command)
        await emu.wait_for_message(officer.id)
        await emu.send_text(officer, "Trygg?\nJa\nNej")
        screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
        assert "7/12 18:00" in screen.content  # the example: a week ahead
        for typed, said in (("i övermorgon", misunderstood), ("30/11 23:35", too_soon)):
            n = len(emu.sent_messages(officer.id))
            await emu.send_text(officer, typed)
            answer = await emu.wait_for_message(officer.id, after=n)
            assert said in answer.content, typed
        await emu.send_text(officer, "1/12 00:30")
        target = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=n + 1)
        await choose_all(emu, officer, target, Feature.SURVEY)
        await emu.wait_until(lambda: understood in target.content, what="the preview")
    finally:
        await bot.stop()


@pytest.mark.parametrize(("lang", "refused"), [("sv", "behörighet"), ("en", "not allowed")])
async def test_a_revoked_officer_can_neither_read_nor_close_the_surveys_they_sent(
    bot, lang, refused
):
    """The survey's buttons checked only who made it: after `roles revoke` the former
    officer still refreshed its results and closed it in every group (/narvarolista's
    buttons were already refused)."""
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    chat = emu.add_group("Norr", bot_is_member=True)
    await register_groups(bot, [chat])
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, "/enkat")
    await emu.wait_for_message(officer.id)
    await emu.send_text(officer, "Trygg?\nJa\nNej")
    screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    await emu.press_button(officer, screen, data=Closing(1).pack())
    await choose_all(emu, officer, screen, Feature.SURVEY)
    await emu.wait_until(lambda: any(d == Confirm(True).pack() for _, d in screen.buttons()))
    await emu.press_button(officer, screen, data=Confirm(True).pack())
    await emu.wait_until(lambda: not screen.reply_markup, what="the sent screen")
    db = bot.services.db
    [survey] = await survey_store.surveys_of(db, officer.id, 1)
    await emu.send_text(officer, "/enkater")
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    n = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, listing, data=SurveyPress(Action.VIEW, survey.id).pack())
    result = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=n)
    await role_store.revoke_roles(db, officer.id, "police", None, None, bot.services.clock.now())
    before = len(emu.sent_messages(officer.id))
    for message, action in (
        (listing, Action.VIEW),
        (result, Action.CLOSE),
        (result, Action.CLOSE_YES),
    ):
        data = SurveyPress(action, survey.id).pack()
        if data not in [d for _, d in message.buttons()]:  # Yes is shown only after Close
            message.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
        cq = await emu.press_button(officer, message, data=data)
        assert refused in (await emu.wait_for_callback_answer(cq["id"]))["text"], action
    assert len(emu.sent_messages(officer.id)) == before  # no result sent
    assert (await survey_store.surveys_of(db, officer.id, 1))[0].closed_at is None
    assert not [c for c in emu.calls if c.method == "stopPoll"]


@pytest.mark.parametrize(
    ("lang", "commands", "explained"),
    [
        (
            "sv",
            ("/narvaro", "/narvarolista", "/profil", "/profil Kommunen", "/enkat", "/enkater"),
            ("meddelas av poliser", "meddelas av poliser", "/profil är för poliser",
             "/profil är för poliser", "Enkäter skickas", "Enkäter skickas"),
        ),
        (
            "en",
            ("/presence", "/presences", "/profile", "/profile Kommun", "/survey", "/surveys"),
            ("announced by police officers", "announced by police officers",
             "/profile is for police officers", "/profile is for police officers",
             "Surveys are sent", "Surveys are sent"),
        ),
    ],
)  # fmt: skip
async def test_staff_commands_tell_someone_without_the_role_who_uses_them(
    bot, lang, commands, explained
):
    """/larm and /inkorg explain who sends alerts and how to get the role; /narvaro,
    /narvarolista and /profil (for the kommun role too) and /enkat, /enkater (for a
    resident) answered only 'you are not allowed to do that'."""
    emu = bot.emu
    kim, rut = emu.add_user("Kim", language_code=lang), emu.add_user("Rut", language_code=lang)
    await role_store.grant_role(
        bot.services.db, kim.id, "kommun", "0180", None, bot.services.clock.now()
    )
    for command, said in zip(commands, explained, strict=True):
        who = rut if "enk" in command or "surv" in command else kim
        n = len(emu.sent_messages(who.id))
        await emu.send_text(who, command)
        answer = await emu.wait_for_message(who.id, after=n)
        assert said in answer.content, command
    assert await bot.services.db.fetch_value("SELECT COUNT(*) FROM police_profiles") == 0


TITLE = "Kommunpolisen i Sölvesborg och Karlshamn, Blekinge län, syd"


@pytest.mark.parametrize(
    ("lang", "profile", "at_most"),
    [("sv", "/profil", "högst cirka"), ("en", "/profile", "at most about")],
)
async def test_an_alert_photo_leaves_room_for_the_sender_line_and_previews_in_two_languages(
    bot, lang, profile, at_most
):
    """The photo step measured the caption without the officer's sender line: a text that
    fitted alone passed, and the preview's sendPhoto failed ('caption is too long': a
    traceback and the general apology). Groups of two languages also put a heading in
    each preview's caption, which could push a caption that fits over the limit."""
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    chats = [emu.add_group("SV", bot_is_member=True), emu.add_group("EN", bot_is_member=True)]
    await register_groups(bot, chats[:1], "1083")
    await register_groups(bot, chats[1:], "1083", language="en")
    await make_police(bot, officer, "1083")
    await emu.send_text(officer, f"{profile} {TITLE}")
    await emu.wait_for_message(officer.id)
    now, tz = bot.services.clock.now(), bot.services.settings.tzinfo
    longest = alert_service.photo_body_max("burglary", now, tz, AlertDetails(TITLE))
    alone = alert_service.photo_body_max("burglary", now, tz)
    assert longest < alone  # the sender line takes room

    await emu.send_text(officer, "/larm")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("burglary").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.ALL).pack())
    await emu.wait_until(lambda: not prompt.reply_markup and prompt.edited and prompt)
    await emu.send_text(officer, "å" * (longest + 1))  # fits without the sender line
    await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    n = len(emu.sent_messages(officer.id))
    await emu.send_photo(officer)
    refused = await emu.wait_for_message(officer.id, after=n)
    assert at_most in refused.text and str(longest) in refused.text
    await emu.send_text(officer, "/avbryt" if lang == "sv" else "/cancel")
    await emu.wait_for_message(officer.id, after=n + 1)

    n = len(emu.sent_messages(officer.id))
    confirm = await compose_alert(
        emu,
        officer,
        "å" * longest,
        photo=True,
        link="https://polisen.se/x",
        event_number="5000-K1-26",
    )
    previews = [m for m in emu.sent_messages(officer.id)[n:] if m.kind == "photo"]
    assert len(previews) == 2 and all(TITLE in p.caption for p in previews)
    await text_of(emu, confirm, "2 av 2" if lang == "sv" else "2 of 2")
    for chat in chats:
        post = await emu.wait_for_message(chat.id, after=0)
        assert post.kind == "photo" and TITLE in post.caption
    assert not emu.errors


@pytest.mark.parametrize(
    ("lang", "length", "photo", "command", "update", "send"),
    [
        ("sv", 700, True, "/larmlista", "Uppdatera", "Skicka uppdateringen"),
        ("en", 1500, False, "/alerts", "Update", "Send the update"),
    ],
)
async def test_the_update_preview_of_a_long_alert_fits_telegrams_messages(
    bot, lang, length, photo, command, update, send
):
    """An update's preview put the reply and the edited alert of every group language in
    one message: a long alert went over 4096 characters (traceback, general apology) and
    the officer could not update it at all. The preview now takes several messages, and
    where the update makes the alert too long to edit (a photo's caption) it says the
    alert stays as it is."""
    edited = not photo
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    chats = [emu.add_group("SV", bot_is_member=True), emu.add_group("EN", bot_is_member=True)]
    await register_groups(bot, chats[:1], "1083")
    await register_groups(bot, chats[1:], "1083", language="en")
    await make_police(bot, officer, "1083")
    confirm = await compose_alert(emu, officer, "ö" * length, photo=photo)
    await text_of(emu, confirm, "2 av 2" if lang == "sv" else "2 of 2")
    await emu.send_text(officer, command)
    listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
    await emu.press_button(
        officer, listing, text=next(b for b in listing.button_texts() if update in b)
    )
    ask = await emu.wait_for_message(officer.id, lambda m: "800" in m.content, after=listing)
    await emu.send_text(officer, "Ü" * 800)
    last = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=ask)
    preview = emu.sent_messages(officer.id)[emu.sent_messages(officer.id).index(ask) + 1 :]
    assert all(len(m.content) <= 4096 for m in preview)
    assert len(preview) > 1 or not edited  # two 1500-character alerts take two messages
    shown = "\n".join(m.content for m in preview)
    assert shown.count("Ü" * 800) == (4 if edited else 2)  # the replies, and the edited alerts
    assert ("ändras inte" in shown or "stays as it is" in shown) is not edited
    await emu.press_button(officer, last, text=next(b for b in last.button_texts() if send in b))
    for chat in chats:
        await emu.wait_until(
            lambda c=chat: any("Ü" * 800 in m.content for m in emu.sent_messages(c.id)),
            what="the update's reply",
        )
    assert not emu.errors


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_a_withdrawn_long_alert_keeps_its_text_struck_through(bot, lang):
    """Withdrawing a long alert (3000 characters, an 800-character update, a sender line,
    link and event number: over 4096 with the WITHDRAWN heading) cut its text to fit a
    photo's 1024-character caption: the copies lost about two thirds of the officer's
    text. It is cut only as far as a message's 4096 characters need."""
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    chat = emu.add_group("G", bot_is_member=True)
    await register_groups(bot, [chat], "1083", language=lang)
    await make_police(bot, officer, "1083")
    await emu.send_text(officer, f"/profil {TITLE}")
    await emu.wait_for_message(officer.id)
    confirm = await compose_alert(
        emu, officer, "ö" * 3000, link="https://polisen.se/x", event_number="5000-K1-26"
    )
    await text_of(emu, confirm, "1 av 1" if lang == "sv" else "1 of 1")
    post = await emu.wait_for_message(chat.id, after=0)
    services = bot.services
    access = await access_of(services.db, services.settings, officer.id)
    [alert_id] = [a.alert.id for a in await alert_store.recent_alerts(services.db, officer.id, 1)]
    tz = services.settings.tzinfo
    await changes.send_update(services.db, services.clock, tz, access, alert_id, "Ü" * 800)
    services.delivery.wake()
    await emu.wait_until(lambda: "Ü" * 800 in post.content, what="the update in the copy")
    await changes.withdraw(services.db, services.clock, tz, access, alert_id)
    services.delivery.wake()
    await emu.wait_until(lambda: "ÅTERKALLAT" in post.content or "WITHDRAWN" in post.content)
    assert len(post.content) <= 4096
    assert post.content.count("ö") > 2800  # not cut to a caption's length


@pytest.mark.parametrize(
    ("lang", "explained", "raw"),
    [
        ("sv", "gruppen finns inte längre i Telegram", "• Chat not found (1)"),
        ("en", "the group no longer exists in Telegram", "• Chat not found (1)"),
    ],
)
async def test_the_alert_report_says_in_words_why_a_group_was_not_reached(
    bot, lang, explained, raw
):
    """The officer's report listed the failed copies' errors as Telegram wrote them, in
    English ('• Chat not found (1)', for a group deleted in Telegram) above the groups'
    own lines; each reason is now said in the officer's language (Telegram's words in
    brackets), as the groups' lines and the per-group figures say them."""
    emu = bot.emu
    officer = emu.add_user("Olle", language_code=lang)
    chat = emu.add_group("Finns", bot_is_member=True)
    await register_groups(bot, [chat], "1083")
    await Scenario.of(bot).group(-4999999, "Borta", "1083")  # deleted in Telegram
    await make_police(bot, officer, "1083")
    confirm = await compose_alert(emu, officer, "Inbrott på Ekvägen")
    report = await text_of(emu, confirm, "1 av 2" if lang == "sv" else "1 of 2")
    lines = report.content.splitlines()
    assert raw not in lines
    assert [line for line in lines if explained in line and "Borta" not in line]  # the count
    assert [line for line in lines if explained in line and "Borta" in line]  # the group


@pytest.mark.parametrize(
    ("lang", "command", "missing", "shown"),
    [
        ("sv", "/narvaro", "Klockan 02:30 finns inte", "sön 29 mars kl. 03.30–04.30"),
        ("en", "/presence", "02:30 does not exist", "Sun 29 Mar at 03:30–04:30"),
    ],
)
async def test_a_visit_in_the_hour_summer_time_skips_is_explained(
    emu, tmp_path, lang, command, missing, shown
):
    """'29/3 02:30-03:30' on the night summer time begins was announced as 'kl.
    03.30–03.30', a visit of no length; a start or end in the skipped hour is now
    explained, in the new visit and when a visit is moved."""
    bot = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock("2026-03-28T12:00:00+00:00"))
    await bot.start()
    try:
        officer = await _officer_of_one_group(bot, emu, lang)
        for step in (command, "Kaffe", "ICA"):
            n = len(emu.sent_messages(officer.id))
            await emu.send_text(officer, step)
            await emu.wait_for_message(officer.id, after=n)
        for typed in ("29/3 02:30-03:30", "29/3 01:30-02:30"):
            n = len(emu.sent_messages(officer.id))
            await emu.send_text(officer, typed)
            answer = await emu.wait_for_message(officer.id, after=n)
            assert missing in answer.content, typed  # the start, then the end
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, "29/3 03:30-04:30")
        screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=n)
        await choose_all(emu, officer, screen, Feature.PRESENCE)
        await emu.wait_until(lambda: shown in screen.content, what="the preview")
        await emu.press_button(officer, screen, data=PresenceConfirm(True).pack())
        await emu.wait_until(lambda: not screen.reply_markup, what="the sent screen")
        [visit] = await presence_store.presences_of(bot.services.db, officer.id, 1)
        await emu.send_text(officer, "/narvarolista" if lang == "sv" else "/presences")
        listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=n)
        n = len(emu.sent_messages(officer.id))
        await emu.press_button(officer, listing, data=PresencePress(Manage.MOVE, visit.id).pack())
        await emu.wait_for_message(officer.id, after=n)
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, "29/3 02:30-03:30")
        answer = await emu.wait_for_message(officer.id, after=n)
        assert missing in answer.content
        [kept] = await presence_store.presences_of(bot.services.db, officer.id, 1)
        assert (kept.starts_at, kept.ends_at) == (visit.starts_at, visit.ends_at)
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("lang", "alerts_line", "group_line"),
    [
        ("sv", "Larm: 1 skickat, 1 levererat, lästa av 0", "Område 0: 1 svar (1 / 0)"),
        ("en", "Alerts: 1 sent, 1 delivered, read by 0", "Område 0: 1 answer (1 / 0)"),
    ],
)
async def test_one_alert_and_one_answer_are_counted_in_the_singular(
    emu, tmp_path, lang, alerts_line, group_line
):
    """The lägesbild said 'Larm: 1 skickade, 1 levererade' and a survey's result
    'Område 0: 1 answers': counted texts without their singular form."""
    bot = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock("2026-11-30T07:00:00+00:00"))
    await bot.start()
    try:
        officer, rut = emu.add_user("Olle", language_code=lang), emu.add_user("Rut")
        chat = emu.add_group("G", members=[rut], bot_is_member=True)
        [group_id] = await register_groups(bot, [chat], "1083", language=lang)
        await make_police(bot, officer, "1083")
        earlier = Scenario(bot.services.db, bot.services.clock.now() - timedelta(days=3))
        await earlier.alert(person(officer.id, polices=["1083"]), group_ids=[group_id])
        bot.services.delivery.wake()
        await emu.wait_for_message(chat.id, after=0)
        await bot.services.delivery.wait_idle()
        await emu.send_text(officer, "/lagesbild")
        ask = await emu.wait_for_message(officer.id, lambda m: m.reply_markup)
        await emu.press_button(officer, ask, text="4 veckor" if lang == "sv" else "4 weeks")
        text = await emu.wait_for_message(
            officer.id, lambda m: m.kind == "text" and alerts_line[:6] in m.content, timeout=60
        )
        assert alerts_line in text.content

        await emu.send_text(officer, "/enkat" if lang == "sv" else "/survey")
        await emu.wait_for_message(officer.id, after=text)
        await emu.send_text(officer, "Trygg?\nJa\nNej")
        screen = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=text)
        await emu.press_button(officer, screen, data=Closing(1).pack())
        await choose_all(emu, officer, screen, Feature.SURVEY)
        await emu.wait_until(lambda: any(d == Confirm(True).pack() for _, d in screen.buttons()))
        await emu.press_button(officer, screen, data=Confirm(True).pack())
        poll = await emu.wait_for_message(chat.id, lambda m: m.kind == "poll", after=0)
        emu.vote(rut, poll, [0])
        [survey] = await survey_store.surveys_of(bot.services.db, officer.id, 1)
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, "/enkater" if lang == "sv" else "/surveys")
        listing = await emu.wait_for_message(officer.id, lambda m: m.reply_markup, after=n)
        for _ in range(50):  # the poll update is handled apart from the officer's chat
            n = len(emu.sent_messages(officer.id))
            await emu.press_button(
                officer, listing, data=SurveyPress(Action.VIEW, survey.id).pack()
            )
            result = await emu.wait_for_message(officer.id, lambda m: m.kind == "text", after=n)
            if "Område 0: 0" not in result.content:
                break
        assert group_line in result.content
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("lang", "weeks", "label"),
    [("sv", "v. 44–47 2026", "4 veckor"), ("en", "wk 44–47 2026", "4 weeks")],
)
async def test_the_csv_under_a_chart_has_the_charts_weeks_when_pressed_in_a_new_week(
    emu, tmp_path, lang, weeks, label
):
    """The CSV button under a lägesbild counted the weeks ending before the press: a chart
    of weeks 44–47 drawn on Sunday evening gave a CSV of weeks 45–48 when its button was
    pressed on Monday, under a text that names 44–47."""
    clock = fixed_clock("2026-11-29T19:00:00+00:00")  # Sunday 20:00 in Stockholm, week 48
    bot = BotHarness(emu, tmp_path / "g.db", clock=clock)
    await bot.start()
    try:
        kim = emu.add_user("Kim", language_code=lang)
        await role_store.grant_role(bot.services.db, kim.id, "kommun", "1083", None, clock.now())
        await emu.send_text(kim, "/lagesbild")
        ask = await emu.wait_for_message(kim.id, lambda m: m.reply_markup)
        await emu.press_button(kim, ask, text=label)
        text = await emu.wait_for_message(
            kim.id, lambda m: m.kind == "text" and m.reply_markup, after=ask, timeout=60
        )
        assert weeks in text.content
        clock.advance(hours=12)  # Monday morning, week 49: weeks 45–48 are the latest four
        await emu.press_button(kim, text, data=text.buttons()[0][1])
        csv_file = await emu.wait_for_message(kim.id, lambda m: m.kind == "document", after=text)
        assert weeks in csv_file.caption
        assert csv_file.filename == "lagesbild-2026-10-26-2026-11-22.csv"
    finally:
        await bot.stop()
