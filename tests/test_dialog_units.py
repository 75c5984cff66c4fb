"""Units of surveys and announced presence: parsing, the .ics file, the lägesbild figures,
the digest line, and who may do what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.services import dialog_targets as targets
from bot.services import presence, presence_time, surveys
from bot.services.dialog_figures import figures_by_kommun
from bot.services.dialog_targets import Feature, Target
from bot.services.digest_content import KommunSummary
from bot.services.digest_text import _kommun_block
from bot.services.presence import PresenceDraft
from bot.services.refusals import Refused
from bot.services.roles import Access
from storage import surveys as survey_store
from storage.db import Database
from storage.presence import PresenceRecord
from tests.scenario import Scenario

TZ = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 13:00 in Stockholm


def access(**kw) -> Access:
    values = {
        "user_id": 1,
        "is_admin": False,
        "coordinator_of": frozenset(),
        "police_kommuner": frozenset(),
    }
    values.update(kw)
    return Access(**values)


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "t.db")
    await database.open()
    yield database
    await database.close()


async def make_group(db: Database, chat_id: int, kommun: str) -> int:
    return await Scenario(db, NOW).group(
        chat_id, f"Area {chat_id}", kommun, title=f"Chat {chat_id}"
    )


# -- parsing -------------------------------------------------------------------------------


def test_question_and_answers_are_parsed_and_checked():
    assert surveys.parse_question("Trygg?\n- Ja\n• Nej\n\n") == ("Trygg?", ["Ja", "Nej"])
    for bad in ("Bara fråga", "Fråga\nEtt svar", "F\n" + "\n".join(str(i) for i in range(11)),
                "F\nJa\nJa"):  # fmt: skip
        with pytest.raises(Refused) as refused:
            surveys.parse_question(bad)
        assert refused.value.key == "dialog.survey.bad_format"
    with pytest.raises(Refused) as refused:
        surveys.parse_question("F\nJa\n" + "x" * 101)
    assert refused.value.key == "dialog.survey.answer_too_long"
    assert refused.value.params == {"number": 2, "length": 101, "max": 100}
    with pytest.raises(Refused) as refused:
        surveys.parse_question("🚓" * 151 + "\nJa\nNej")  # Telegram counts 🚓 twice
    assert refused.value.key == "dialog.survey.too_long"
    assert refused.value.params == {"length": 302, "max": 300}


def test_closing_time_must_be_ahead_but_within_30_days():
    surveys.check_closing(NOW + timedelta(days=1), NOW)
    for when in (NOW + timedelta(minutes=5), NOW - timedelta(days=1), NOW + timedelta(days=31)):
        with pytest.raises(Refused):
            surveys.check_closing(when, NOW)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-12-03 14:00-16:00", "2026-12-03T13:00", "2026-12-03T15:00"),
        ("3/12 14.00 – 16.30", "2026-12-03T13:00", "2026-12-03T15:30"),
        ("26/11 kl 22:00 till 01:00", "2026-11-26T21:00", "2026-11-27T00:00"),  # past midnight
        ("1/1 10:00-11:00", "2027-01-01T09:00", "2027-01-01T10:00"),  # the next 1 January
        ("2027-06-01 10:00-11:00", "2027-06-01T08:00", "2027-06-01T09:00"),  # summer time
    ],
)
def test_period_forms(text, start, end):
    got = presence_time.parse_period(text, NOW, TZ)
    assert got == (
        datetime.fromisoformat(start).replace(tzinfo=UTC),
        datetime.fromisoformat(end).replace(tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("i morgon", "dialog.presence.bad_period"),
        ("2026-13-01 10:00-11:00", "dialog.presence.bad_period"),
        ("2026-11-25 12:00-14:00", "dialog.presence.past"),  # 12:00 local is before 13:00
        ("31/2 10:00-11:00", "dialog.presence.bad_period"),
    ],
)
def test_bad_periods_are_refused(text, key):
    with pytest.raises(Refused) as refused:
        presence_time.parse_period(text, NOW, TZ)
    assert refused.value.key == key


def test_ics_escapes_text_and_uses_utc():
    start = NOW + timedelta(days=1)
    p = PresenceRecord(7, 1, "sv", "Kaffe, bullar; prat", "Torget\\Nord", 56.0, 14.5,
                       start, start + timedelta(hours=2), "active")  # fmt: skip
    body = presence_time.ics(p, "Polisen på plats: Torget")
    assert "DESCRIPTION:Kaffe\\, bullar\\; prat\r\n" in body
    assert "LOCATION:Torget\\\\Nord\r\n" in body
    assert "DTSTART:20261126T120000Z" in body and "GEO:56.000000;14.500000" in body
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")


def test_ics_folds_long_lines_and_keeps_line_breaks_escaped():
    """RFC 5545: content lines longer than 75 octets are folded (CRLF + space); a typed
    line break or carriage return never starts a new line of the file."""
    start = NOW + timedelta(days=1)
    what = "Kaffe med polisen vid biblioteket på torget, " * 4 + "välkomna!\r\nRad två"
    p = PresenceRecord(7, 1, "sv", what, "Torget", None, None,
                       start, start + timedelta(hours=2), "active")  # fmt: skip
    body = presence_time.ics(p, "Polisen på plats: Torget")
    lines = body.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert all(line.split(":", 1)[0].isupper() or line.startswith(" ") for line in lines if line)
    assert "\r" not in body.replace("\r\n", "")
    unfolded = body.replace("\r\n ", "")
    assert "Rad två" in unfolded and "välkomna!" in unfolded


# -- permissions ---------------------------------------------------------------------------


def test_who_may_use_what():
    resident, coordinator = access(), access(coordinator_of=frozenset({3}))
    police, admin = access(police_kommuner=frozenset({"0180"})), access(is_admin=True)
    assert [targets.may_run_surveys(a) for a in (resident, coordinator, police, admin)] == [
        False, True, True, True,
    ]  # fmt: skip
    assert [targets.may_announce_presence(a) for a in (resident, coordinator, police, admin)] == [
        False, False, True, True,
    ]  # fmt: skip


async def test_targets_follow_the_roles(db):
    a = await make_group(db, -1, "0180")
    b = await make_group(db, -2, "1083")
    coordinator = access(coordinator_of=frozenset({b}))
    police = access(police_kommuner=frozenset({"0180"}))
    groups = await targets.target_groups(db, Feature.SURVEY, coordinator, Target("all"))
    assert [g.id for g in groups] == [b]
    with pytest.raises(Refused):  # a coordinator announces no presence
        await targets.target_groups(db, Feature.PRESENCE, coordinator, Target("all"))
    with pytest.raises(Refused):  # another kommun's group
        await targets.target_groups(db, Feature.SURVEY, police, Target("groups", group_ids=[b]))
    with pytest.raises(Refused):
        await targets.target_groups(db, Feature.SURVEY, police, Target("kommun", kommun="1083"))
    both = access(police_kommuner=frozenset({"0180"}), coordinator_of=frozenset({b}))
    groups = await targets.target_groups(db, Feature.SURVEY, both, Target("all"))
    assert sorted(g.id for g in groups) == sorted([a, b])


async def test_only_the_creator_sees_and_closes_a_survey(db):
    await make_group(db, -1, "0180")
    clock = FixedClock(NOW)
    police = access(police_kommuner=frozenset({"0180"}))
    created = await surveys.create_survey(
        db, clock, police, "F?", ["A", "B"], NOW + timedelta(days=1), Target("all"), "sv"
    )
    other = access(user_id=2, police_kommuner=frozenset({"0180"}))
    for call in (
        surveys.results(db, other, created.id),
        surveys.close_survey(db, clock, created.id, other),
    ):
        with pytest.raises(Refused):
            await call
    assert await surveys.close_survey(db, clock, created.id, police)
    assert not await surveys.close_survey(db, clock, created.id, police)  # once


# -- figures -------------------------------------------------------------------------------


async def test_figures_per_kommun_and_the_digest_line(db):
    a1, a2 = await make_group(db, -1, "0180"), await make_group(db, -2, "0180")
    b = await make_group(db, -3, "1083")
    clock = FixedClock(NOW)
    admin = access(is_admin=True)
    s1 = await surveys.create_survey(
        db, clock, admin, "F?", ["A", "B"], NOW + timedelta(days=1), Target("all"), "sv"
    )
    await surveys.create_survey(
        db, clock, admin, "G?", ["A", "B"], NOW + timedelta(days=1),
        Target("groups", group_ids=[a1]), "sv",
    )  # fmt: skip
    for n, (group_id, voters) in enumerate([(a1, 4), (a2, 2), (b, 1)]):
        await survey_store.record_poll(db, s1.id, group_id, -1 - n, 10, f"p{n}")
        await survey_store.record_results(db, f"p{n}", [voters, 0], voters, False)
    draft = PresenceDraft("Prat", "Torget", None, None, NOW + timedelta(days=1),
                          NOW + timedelta(days=1, hours=1))  # fmt: skip
    await presence.announce(db, clock, TZ, admin, draft, Target("kommun", kommun="1083"), "sv")
    figures = await figures_by_kommun(db, NOW - timedelta(days=1), NOW + timedelta(seconds=1))
    sthlm, solv = figures["0180"], figures["1083"]
    # the second survey's poll was never sent: it reached no one yet
    assert (sthlm.surveys, sthlm.polls, sthlm.voters, sthlm.presences) == (1, 2, 6, 0)
    assert (solv.surveys, solv.polls, solv.voters, solv.presences) == (1, 1, 1, 1)
    assert [p.total_voters for p in sthlm.participation] == [4, 2]
    assert await figures_by_kommun(db, NOW + timedelta(days=1), NOW + timedelta(days=2)) == {}
    only = await figures_by_kommun(db, NOW - timedelta(days=1), NOW + timedelta(1), ["1083"])
    assert list(only) == ["1083"]
    block = _kommun_block("sv", KommunSummary("1083", "Sölvesborg", None, {}, None, None, solv))
    assert "enkäter: 1, svar: 1. Närvaro – besök: 1." in block


async def test_no_voter_is_stored(db):
    """Anonymous polls: the tables hold totals only (no column could hold a voter)."""
    for table in ("survey_polls", "surveys"):
        columns = {r[1] for r in await db.fetch_all(f"PRAGMA table_info({table})")}
        assert not columns & {"user_id", "voter_id", "voters", "option_ids"}, columns


async def test_only_the_announcing_officer_cancels_or_moves(db):
    await make_group(db, -1, "0180")
    clock = FixedClock(NOW)
    olle = access(police_kommuner=frozenset({"0180"}))
    other = access(user_id=2, police_kommuner=frozenset({"0180"}))
    draft = PresenceDraft("Prat", "Torget", None, None, NOW + timedelta(days=1),
                          NOW + timedelta(days=1, hours=1))  # fmt: skip

    async def language_of(user_id: int) -> str:
        return "sv"

    done = await presence.announce(db, clock, TZ, olle, draft, Target("all"), "sv")
    with pytest.raises(Refused) as refused:
        await presence.cancel(db, clock, TZ, other, done.id, language_of)
    assert refused.value.key == "core.not_allowed"
    with pytest.raises(Refused):
        await presence.move(db, clock, TZ, other, done.id, "2026-12-01 10:00-11:00", language_of)
    with pytest.raises(Refused):  # a resident never announces
        await presence.announce(db, clock, TZ, access(), draft, Target("all"), "sv")
    assert await presence.cancel(db, clock, TZ, olle, done.id, language_of) == 0  # none sent
    with pytest.raises(Refused) as refused:
        await presence.cancel(db, clock, TZ, olle, done.id, language_of)
    assert refused.value.key == "dialog.presence.already_cancelled"


async def test_the_lagesbild_counts_surveys_answers_and_presences(db):
    """#18: the lägesbild's text and CSV carry the kommun's dialogue and presence figures."""
    from bot.services import lagesbild, lagesbild_render

    a = await make_group(db, -1, "1083")
    await make_group(db, -2, "0180")  # another kommun: not counted for Sölvesborg
    clock = FixedClock(NOW)
    admin = access(is_admin=True)
    s1 = await surveys.create_survey(
        db, clock, admin, "F?", ["A", "B"], NOW + timedelta(days=1), Target("all"), "sv"
    )
    await survey_store.record_poll(db, s1.id, a, -1, 10, "p1")
    await survey_store.record_results(db, "p1", [3, 2], 5, False)
    draft = PresenceDraft("Prat", "Torget", None, None, NOW + timedelta(days=1),
                          NOW + timedelta(days=1, hours=1))  # fmt: skip
    await presence.announce(db, clock, TZ, admin, draft, Target("kommun", kommun="1083"), "sv")
    scope = lagesbild.Scope(kommun_codes=("1083",))
    # Weeks end with the last complete one: the period holding NOW ends the Monday after.
    period = lagesbild.weeks_covering(NOW.date() - timedelta(weeks=3), NOW.date(), TZ)
    picture = await lagesbild.collect(db, scope, period)
    assert (picture.surveys, picture.survey_voters, picture.presences) == (1, 5, 1)
    text = lagesbild_render.summary(picture, "sv", scope)
    assert "Medborgardialog: 1 enkät med 5 svar. Närvaro: 1 aviserat polisbesök." in text
    english = lagesbild_render.summary(picture, "en", scope)
    assert "Citizen dialogue: 1 survey with 5 answers. Presence: 1 announced police visit." in (
        english
    )
    csv_text = lagesbild_render.to_csv(picture, "sv").decode("utf-8-sig")
    assert "dialogue,,,surveys,surveys,1" in csv_text
    assert "dialogue,,,survey_answers,survey_answers,5" in csv_text
    assert "dialogue,,,presences,presences,1" in csv_text


async def test_the_kommun_role_may_ask_its_kommuns_groups(db):
    """#18: the kommun role creates surveys for the groups of its kommuner, not others."""
    mine = await make_group(db, -1, "1083")
    other = await make_group(db, -2, "0180")
    clock = FixedClock(NOW)
    kommun = access(kommun_kommuner=frozenset({"1083"}))
    assert targets.may_run_surveys(kommun) and not targets.may_announce_presence(kommun)
    groups = await targets.target_groups(db, Feature.SURVEY, kommun, Target("all"))
    assert [g.id for g in groups] == [mine]
    one = await targets.target_groups(db, Feature.SURVEY, kommun, Target("kommun", "1083"))
    assert [g.id for g in one] == [mine]
    with pytest.raises(Refused):
        await targets.check_group(db, Feature.SURVEY, kommun, other)
    created = await surveys.create_survey(
        db, clock, kommun, "F?", ["A", "B"], NOW + timedelta(days=1), Target("all"), "sv"
    )
    assert created.group_count == 1
