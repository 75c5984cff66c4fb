"""Surveys (medborgardialog): one question with 2–10 answers, sent as an anonymous Telegram
poll to each chosen group through the outbox (tip priority), followed by `poll` updates,
closed early by the creator or at the closing time by bot/dialog_scheduler.py.

Nobody can see who answered what: only anonymous polls are sent, and Telegram tells a bot
only an anonymous poll's totals. No Telegram types here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from bot.clock import Clock
from bot.i18n import Html, t
from bot.i18n.dates import format_when
from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services.dialog_targets import Feature, Target, check, may_use, target_groups
from bot.services.presence_time import parse_moment, typed_examples
from bot.services.refusals import Refused
from bot.services.roles import Access, access_of
from bot.textlen import utf16_len
from config import Settings
from storage import outbox
from storage import surveys as store
from storage.db import Database
from storage.outbox import OutgoingMessage, SendOp, SendText
from storage.surveys import PollResult, SurveyRecord

KIND_POLL = "survey_poll"
KIND_STOP = "survey_stop"
KIND_CLOSED = "survey_closed"
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_QUESTION = 300  # Telegram's limits for a poll
MAX_OPTION = 100
MIN_OPEN = timedelta(minutes=10)
MAX_OPEN = timedelta(days=30)
LISTED = 10


@dataclass
class SurveyDraft:
    """A survey being composed (kept in `UserData.survey_draft`)."""

    question: str | None = None
    options: list[str] = field(default_factory=list)
    closes_at: datetime | None = None
    target: Target = field(default_factory=Target)


def parse_question(text: str) -> tuple[str, list[str]]:
    """First line the question, then one answer per line → (question, answers).

    Refused("dialog.survey.bad_format") unless there are 2–10 answers; Refused with
    "dialog.survey.too_long" (the question) or "dialog.survey.answer_too_long" (an answer,
    by its `number` from 1), saying the `length` typed and the `max`, past Telegram's limits
    (UTF-16 code units, as Telegram counts)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 1 + MIN_OPTIONS or len(lines) > 1 + MAX_OPTIONS:
        raise Refused("dialog.survey.bad_format", min=MIN_OPTIONS, max=MAX_OPTIONS)
    question, options = lines[0], [line.lstrip("-•* ").strip() for line in lines[1:]]
    if utf16_len(question) > MAX_QUESTION:
        raise Refused("dialog.survey.too_long", length=utf16_len(question), max=MAX_QUESTION)
    for number, option in enumerate(options, 1):
        if utf16_len(option) > MAX_OPTION:
            length = utf16_len(option)
            raise Refused(
                "dialog.survey.answer_too_long", number=number, length=length, max=MAX_OPTION
            )
    if any(not o for o in options) or len(set(options)) != len(options):
        raise Refused("dialog.survey.bad_format", min=MIN_OPTIONS, max=MAX_OPTIONS)
    return question, options


def parse_closing(text: str, tz: tzinfo, now: datetime) -> datetime:
    """A typed closing time, "2026-12-24 18:00" or "24/12 18:00" in local time `tz` (the
    forms /narvaro takes, `presence_time.parse_moment`), as an aware datetime in `now`'s
    zone; Refused("dialog.survey.bad_closing_form") for another form,
    ("dialog.survey.bad_closing") for a time outside 10 minutes to 30 days ahead."""
    closes_at = parse_moment(text, now, tz)
    if closes_at is None:
        raise Refused("dialog.survey.bad_closing_form", **typed_examples(now, tz))
    check_closing(closes_at, now, tz)
    return closes_at


def check_closing(closes_at: datetime, now: datetime, tz: tzinfo = UTC) -> None:
    """A closing time must be 10 minutes to 30 days ahead (Refused otherwise, its example
    a day in local time `tz`)."""
    if closes_at < now + MIN_OPEN or closes_at > now + MAX_OPEN:
        raise Refused("dialog.survey.bad_closing", **typed_examples(now, tz))


@dataclass(frozen=True)
class Created:
    id: int
    group_count: int


async def create_survey(
    db: Database,
    clock: Clock,
    access: Access,
    question: str,
    options: list[str],
    closes_at: datetime,
    target: Target,
    lang: str,
) -> Created:
    """Store the survey and enqueue one anonymous poll per target group (one transaction)."""
    check(Feature.SURVEY, access)
    now = clock.now()
    check_closing(closes_at, now)
    groups = await target_groups(db, Feature.SURVEY, access, target)
    payload = SendOp("poll", {"question": question, "options": options})
    async with db.transaction() as conn:
        survey_id = await store.insert_survey(
            conn, access.user_id, lang, question, options, closes_at, [g.id for g in groups], now
        )
        messages = [
            OutgoingMessage(PRIORITY_SCHEDULED, KIND_POLL, payload, g.id, ref_id=survey_id)
            for g in groups
        ]
        await outbox.enqueue_many(conn, messages, now)
    return Created(survey_id, len(groups))


async def _own_survey(db: Database, access: Access, survey_id: int) -> SurveyRecord:
    """The survey if the person made it and may still run surveys (a revoked officer or a
    coordinator no more may not close it or read it), or is an admin; else Refused."""
    check(Feature.SURVEY, access)
    survey = await store.get_survey(db, survey_id)
    if survey is None:
        raise Refused("dialog.survey.unknown")
    if survey.creator_id != access.user_id and not access.is_admin:
        raise Refused("core.not_allowed")
    return survey


async def close_survey(
    db: Database,
    clock: Clock,
    survey_id: int,
    access: Access | None = None,
    *,
    settings: Settings | None = None,
) -> bool:
    """Close a survey: its polls are stopped in every group (stopPoll through the outbox),
    those not yet sent never go out. `access` None: the closing time (the creator gets a
    notice; with `settings` it points to /enkater only if their roles in storage still let
    them run surveys). Refused unless the person made it and may still run surveys (or is
    an admin); False if already closed."""
    if access is not None:
        await _own_survey(db, access, survey_id)
    notice = "dialog.survey.closed_notice"
    if access is None and settings is not None:
        survey = await store.get_survey(db, survey_id)
        creator = None if survey is None else await access_of(db, settings, survey.creator_id)
        if creator is not None and not may_use(Feature.SURVEY, creator):
            notice = "dialog.survey.closed_notice_revoked"  # /enkater would refuse them
    now = clock.now()
    async with db.transaction() as conn:
        if not await store.mark_closed(conn, survey_id, now):
            return False
        await outbox.skip_pending(conn, KIND_POLL, survey_id, "survey closed", now)
        messages = [
            OutgoingMessage(
                PRIORITY_SCHEDULED,
                KIND_STOP,
                SendOp("stop_poll", {"message_id": message_id}),
                group_id,
                ref_id=survey_id,
            )
            for group_id, message_id in await store.sent_polls(conn, survey_id)
        ]
        if access is None:
            survey = await store.get_survey(db, survey_id)
            if survey is not None:
                text = t(survey.creator_language, notice, question=survey.question)
                messages.append(
                    OutgoingMessage(
                        PRIORITY_SCHEDULED,
                        KIND_CLOSED,
                        SendText(text),
                        chat_id=survey.creator_id,
                        ref_id=survey_id,
                    )
                )
        await outbox.enqueue_many(conn, messages, now)
    return True


async def close_due(db: Database, clock: Clock, settings: Settings) -> list[int]:
    """Close every survey whose closing time has come (the scheduler's pass); each creator
    gets a notice worded for the roles they hold now."""
    closed = []
    for survey_id in await store.due_surveys(db, clock.now()):
        if await close_survey(db, clock, survey_id, settings=settings):
            closed.append(survey_id)
    return closed


async def record_poll_update(
    db: Database, poll_id: str, counts: list[int], total_voters: int, is_closed: bool
) -> bool:
    """A `poll` update's totals (False: not a survey's poll, ignored)."""
    return await store.record_results(db, poll_id, counts, total_voters, is_closed)


@dataclass(frozen=True)
class Results:
    survey: SurveyRecord
    counts: list[int]  # per answer, summed over the groups
    total_voters: int
    polls: list[PollResult]


async def results(db: Database, access: Access, survey_id: int) -> Results:
    """The combined and per-group result (the creator while they may run surveys, or an
    admin; else Refused)."""
    survey = await _own_survey(db, access, survey_id)
    polls = await store.poll_results(db, survey_id)
    counts = [0] * len(survey.options)
    for poll in polls:
        for i, n in enumerate(poll.counts[: len(counts)]):
            counts[i] += n
    return Results(survey, counts, sum(p.total_voters for p in polls), polls)


async def my_surveys(db: Database, access: Access) -> list[SurveyRecord]:
    """The person's latest surveys (Refused unless they may run surveys)."""
    check(Feature.SURVEY, access)
    return await store.surveys_of(db, access.user_id, LISTED)


def _percent(n: int, total: int) -> int:
    return round(100 * n / total) if total else 0


def render_results(lang: str, res: Results, tz: tzinfo, now: datetime, per_group: int = 20) -> Html:
    """The result as text: status, combined counts, then each group's (HTML, escaped).
    The closing time names its day ("tis 1 dec kl. 18.00"; the year only when not `now`'s):
    the screen stays in the chat, where "i morgon" would be wrong the day after."""
    survey = res.survey
    status = "dialog.survey.status_closed" if survey.is_closed else "dialog.survey.status_open"
    # A survey closed early says when it was closed, not when it would have closed.
    when = format_when(lang, survey.closed_at or survey.closes_at, tz, now=now, weekday=True)
    lines = [
        t(lang, "dialog.survey.result_head", question=survey.question),
        t(lang, status, when=when),
        t(lang, "dialog.survey.voters", count=res.total_voters, groups=len(res.polls)),
        "",
    ]
    voted = sum(res.counts)
    for option, n in zip(survey.options, res.counts, strict=True):
        lines.append(
            t(lang, "dialog.survey.option_line", option=option, count=n, pct=_percent(n, voted))
        )
    lines += ["", t(lang, "dialog.survey.per_group")]
    for poll in res.polls[:per_group]:
        counts = " / ".join(str(n) for n in poll.counts)
        key = "dialog.survey.group_line" if poll.is_sent else "dialog.survey.group_unsent"
        lines.append(t(lang, key, group=poll.group_name, count=poll.total_voters, counts=counts))
    if len(res.polls) > per_group:
        lines.append(t(lang, "core.list.more", count=len(res.polls) - per_group))
    return Html("\n".join(lines))
