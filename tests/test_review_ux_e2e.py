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


@pytest.mark.parametrize(
    ("lang", "command", "said"),
    [
        ("sv", "/narvaro", "Texten är 501 tecken lång, men högst 500 får plats."),
        ("en", "/presence", "The text is 501 characters long, but at most 500 fit."),
    ],
)
async def test_a_too_long_visit_text_is_told_its_length(clocked, lang, command, said):
    """/narvaro said only 'Det får vara högst 500 tecken', not how long the text was (the
    report's description step says both); the dialogue goes on at the same step."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code=lang)
    await register_groups(bot, [emu.add_group("G", bot_is_member=True)], language=lang)
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, command)
    await emu.wait_for_message(officer.id)
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "x" * 500 + "🚓")  # Telegram counts 🚓 as two
    answer = await emu.wait_for_message(officer.id, after=n)
    assert said.replace("501", "502") in answer.content
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "Kaffe")
    assert "?" in (await emu.wait_for_message(officer.id, after=n)).content  # the next step


@pytest.mark.parametrize(
    ("lang", "command", "question", "answer"),
    [
        ("sv", "/enkat", "Frågan är 301 tecken lång", "Svar 2 är 101 tecken långt"),
        ("en", "/survey", "The question is 301 characters long", "Answer 2 is 101 characters"),
    ],
)
async def test_a_too_long_survey_question_or_answer_is_told_its_length(
    clocked, lang, command, question, answer
):
    """/enkat said 'at most 300 characters and each answer at most 100' for either."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code=lang)
    await register_groups(bot, [emu.add_group("G", bot_is_member=True)], language=lang)
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, command)
    await emu.wait_for_message(officer.id)
    for typed, said in (("q" * 301 + "\nJa\nNej", question), ("F?\nJa\n" + "n" * 101, answer)):
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, typed)
        refusal = await emu.wait_for_message(officer.id, after=n)
        assert said in refusal.content and ("300" if "301" in said else "100") in refusal.content


@pytest.mark.parametrize(
    ("lang", "command", "said"),
    [
        ("sv", "/profil", "Avsändarnamnet är 65 tecken långt, men ska vara 3–64 tecken."),
        ("en", "/profile", "The sender name is 65 characters long, but must be 3–64."),
    ],
)
async def test_a_too_long_sender_name_is_told_its_length(clocked, lang, command, said):
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code=lang)
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, f"{command} {'P' * 65}")
    assert said in (await emu.wait_for_message(officer.id)).content
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, f"{command} Po")
    short = (await emu.wait_for_message(officer.id, after=n)).content
    assert ("är 2 tecken långt" if lang == "sv" else "is 2 characters long") in short


def test_every_length_refusal_says_the_length_typed():
    """Every catalog text that refuses a text for its length says the typed length
    ({length}, or {count} where the noun needs a plural) as well as the limit."""
    from bot.i18n import catalogs

    # not a refusal of typed text: the link and event number are left out of a caption
    not_typed = {"police.detail.too_long_for_photo"}
    for lang, catalog in catalogs().items():
        for key, text in catalog.items():
            if key in not_typed:
                continue
            if any(word in key for word in ("too_long", "text_long", "bad_length", "bad_area")):
                body = str(text) if isinstance(text, str) else text.one + text.other
                assert "{max}" in body and ("{length}" in body or "{count}" in body), (lang, key)


def test_an_event_number_of_the_wrong_length_is_told_its_length():
    """'högst 40 tecken' was said for a wrong character and a wrong length alike."""
    from bot.i18n import t
    from bot.services import alert_format
    from bot.services.refusals import Refused

    for typed, count in (("1" * 41, 41), ("1", 1)):
        with pytest.raises(Refused) as refused:
            alert_format.clean_event_number(typed)
        assert refused.value.key == "police.event.bad_length"
        assert refused.value.params["count"] == count
    limits = {"min": 2, "max": 40}
    assert "är 41 tecken långt, men ska vara 2–40" in t("sv", refused.value.key, count=41, **limits)
    assert "is 1 character long" in t("en", "police.event.bad_length", **refused.value.params)


def test_the_readme_documents_every_typed_closing_form():
    """The README gave only `2026-12-24 18:00` for a survey's typed closing time, though
    /enkat takes the /narvaro day forms too: each form it lists parses, and every form
    the parser takes (year-month-day, day/month, day/month/year, "kl." and a dotted time)
    is listed."""
    import re
    from datetime import UTC, datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from bot.services.presence_time import parse_moment

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    step = readme.split("2. **Closing time**", 1)[1].split("\n3. ", 1)[0]
    forms = re.findall(r"`([^`]*\d[^`]*)`", step)
    now, tz = datetime(2026, 11, 30, 12, tzinfo=UTC), ZoneInfo("Europe/Stockholm")
    for form in forms:
        assert parse_moment(form, now, tz) is not None, form
    shapes = {
        "iso": r"^\d{4}-\d{2}-\d{2} ",
        "day/month": r"^\d{1,2}/\d{1,2} ",
        "day/month/year": r"^\d{1,2}/\d{1,2}/\d{2,4} ",
        "kl. and a dotted time": r"kl\. \d{2}\.\d{2}$",
    }
    for shape, pattern in shapes.items():
        assert any(re.search(pattern, form) for form in forms), shape


@pytest.mark.parametrize(
    ("lang", "command", "typed", "said"),
    [
        ("sv", "/grupp plats 55.7, 13.2", "2,5 km", "radie 2,5 km"),
        ("en", "/group place 55.7, 13.2", "2.5 km", "radius 2.5 km"),
    ],
)
async def test_a_group_radius_reads_in_kilometres_with_the_languages_decimal_mark(
    bot, lang, command, typed, said
):
    """/grupp plats with 2,5 km answered 'radie 2500 m' (and the alert's near-groups
    list said '1500 m'): distances read as people write them, in both languages."""
    from tests.test_police_places_e2e import _coordinated_group

    emu = bot.emu
    anna, _, grp, _ = await _coordinated_group(bot, lang)
    n = len(emu.sent_messages(grp.id))
    await emu.send_text(anna, f"{command} {typed}", chat=grp)
    done = await emu.wait_for_message(grp.id, after=n)
    assert said in done.text and "2500 m" not in done.text


def test_distances_are_formatted_once_per_language():
    from bot.i18n.units import format_distance

    cases = [
        (0, "0 m", "0 m"),
        (999, "999 m", "999 m"),
        (999.7, "1 km", "1 km"),
        (1249, "1,2 km", "1.2 km"),
        (2500, "2,5 km", "2.5 km"),
        (20000, "20 km", "20 km"),
    ]
    for metres, sv, en in cases:
        assert (format_distance("sv", metres), format_distance("en", metres)) == (sv, en)


@pytest.mark.parametrize(
    ("lang", "start", "help_", "said", "next_step"),
    [
        ("sv", "/narvaro", "/hjalp", "Du håller på med ditt meddelande om polis på plats", "Var?"),
        ("en", "/presence", "/help", "You are in the middle of your police-on-site", "Where?"),
    ],
)
async def test_help_in_a_dialogue_says_which_is_open_and_how_it_ends(
    clocked, lang, start, help_, said, next_step
):
    """/hjalp in the middle of /narvaro listed the commands as if nothing were open; it
    says which dialogue is open and that /avbryt ends it, and the dialogue goes on."""
    bot, emu = clocked, clocked.emu
    officer = emu.add_user("Olle", language_code=lang)
    await make_police(bot, officer, "0180")
    await emu.send_text(officer, help_)
    plain = await emu.wait_for_message(officer.id)
    assert said[:10] not in plain.content  # no dialogue: no such line
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, start)
    await emu.wait_for_message(officer.id, after=n)
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, help_)
    shown = await emu.wait_for_message(officer.id, after=n)
    assert said in shown.content
    assert ("/avbryt" if lang == "sv" else "/cancel") in shown.content.split("\n")[0]
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "Kaffe")  # the answer to the open question still counts
    assert next_step in (await emu.wait_for_message(officer.id, after=n)).content


@pytest.mark.parametrize(
    ("lang", "command", "only", "shared"),
    [
        ("sv", "/minagrupper", "Du är det enda kontaktombudet", "Du är kontaktombud för"),
        ("en", "/mygroups", "You are the only coordinator", "You are a coordinator of"),
    ],
)
async def test_a_coordinator_asked_to_leave_is_told_the_reports_still_reach_them(
    bot, lang, command, only, shared
):
    """/minagrupper offered a kontaktombud 'Lämna' with the resident's question only.
    Leaving ends the membership, never the role: the question says the group's reports
    still reach them (and only them, when they are its only kontaktombud) and where to
    hand the task over; a resident's question says nothing of it."""
    from handlers.my_groups import MyGroupLeave
    from storage import groups as group_store
    from tests.test_my_groups_e2e import _join

    emu, db = bot.emu, bot.services.db
    anna = emu.add_user("Anna", language_code=lang)
    cia = emu.add_user("Cia", language_code=lang)
    grp = emu.add_group("G", members=[cia], admins=[anna], bot_is_member=True)
    anna.started = True
    await emu.send_text(anna, "/registrera Torget, Lund", chat=grp)
    await emu.wait_for_message(grp.id, lambda m: m.buttons())
    group = await group_store.get_group_by_chat(db, grp.id)
    await _join(bot, anna, group.id, "message")
    await _join(bot, cia, group.id, "deep_link")

    async def ask_to_leave(user):
        n = len(emu.sent_messages(user.id))
        await emu.send_text(user, command)
        page = await emu.wait_for_message(user.id, lambda m: m.reply_markup, after=n)
        await emu.press_button(user, page, data=MyGroupLeave(group.id, False, 0).pack())
        yes = MyGroupLeave(group.id, True, 0).pack()
        await emu.wait_until(lambda: any(d == yes for _, d in page.buttons()), what="asked")
        return page

    asked = await ask_to_leave(anna)
    assert only in asked.content and "/gr" in asked.content
    await role_store.grant_role(
        db, cia.id, "coordinator", str(group.id), None, bot.services.clock.now()
    )
    asked = await ask_to_leave(anna)
    assert shared in asked.content and only not in asked.content
    await emu.press_button(anna, asked, data=MyGroupLeave(group.id, True, 0).pack())
    await emu.wait_until(lambda: shared not in asked.content, what="left")
    holders = await role_store.holders(db, "coordinator", str(group.id))
    assert anna.id in holders  # what the question said: the role, and the reports, stay
    await role_store.revoke_roles(db, cia.id, "coordinator", None, None, bot.services.clock.now())
    asked = await ask_to_leave(cia)  # a resident: the plain question
    assert shared not in asked.content and only not in asked.content
