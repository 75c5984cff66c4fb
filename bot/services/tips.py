"""Tips for groups: which tip to send, schedules per group, and enqueueing into the outbox.

Selection (:func:`choose_tip`): the *eligible pool* is every enabled tip that is in season
on the local date (``all_year`` tips always are). Within it, only the tips sent least often
to the group are candidates, so no tip repeats until the whole pool has been sent. Among
candidates a tip tagged with a specific season that is active now (Christmas, dark season,
…) beats an all-year tip; then a tip whose focus area matches the group's recent
observation categories wins; the rest is a stable per-group shuffle.

Sending: every tip is recorded in ``tip_sends`` and its outbox row is enqueued in the
same transaction that moves the schedule on, so a crash or restart can never send a slot
twice (``UNIQUE (group_id, slot)`` guards it a second time). The outbox row's ``ref_id``
is the ``tip_sends`` id, so delivery outcomes can be written back to that send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import aiosqlite

from bot.i18n import t
from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services.roles import (
    Access,
    Actor,
    ChatAdminCheck,
    SystemActor,
    actor_id,
    require,
    require_group_manager,
)
from bot.services.schedule import (
    DEFAULT_FREQUENCY,
    DEFAULT_TIME,
    DEFAULT_WEEKDAY,
    Frequency,
    ScheduleRule,
    first_slot_after,
    parse_local_time,
    plan_due,
)
from bot.services.tip_library import (
    FORBIDDEN_CHARS,
    MAX_TEXT_LENGTH,
    TipSeed,
    load_tip_seeds,
    seasons_for,
)
from bot.textlen import is_blank, utf16_len
from storage import tips as store
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText, enqueue_many
from storage.timeutil import to_db

CATEGORY_FOCUS: dict[str, str] = {
    "burglary": "burglary",
    "break_in": "burglary",
    "suspicious_person": "burglary",
    "theft": "theft",
    "vehicle_crime": "vehicle",
    "suspicious_vehicle": "vehicle",
    "vehicle": "vehicle",
    "bicycle": "vehicle",
    "fraud": "fraud",
    "drugs": "youth",
    "youth": "youth",
    "vandalism": "neighbour",
    "traffic_danger": "traffic",
    "traffic": "traffic",
}
"""Observation category -> tip focus area (unknown categories are ignored)."""

OBSERVATION_WINDOW = dt.timedelta(days=60)
ON_TIME = dt.timedelta(minutes=10)
BATCH = 200
KIND = "tip"


@dataclass(frozen=True)
class TickResult:
    """What one scheduler pass did."""

    sent: int = 0
    skipped: int = 0
    created: int = 0


def _mix(group_id: int, tip_id: int) -> int:
    """A stable pseudo-random order per group, so groups do not all get the same tip."""
    return (tip_id * 2654435761 + group_id * 40503 + 12345) % 4294967291


def choose_tip(
    tips: Iterable[store.TipRecord],
    counts: Mapping[int, int],
    active_seasons: set[str],
    focus_weights: Mapping[str, int],
    group_id: int,
) -> store.TipRecord | None:
    """The next tip for a group (see the module docstring); None when nothing is eligible."""
    pool = [tip for tip in tips if tip.enabled and active_seasons.intersection(tip.seasons)]
    if not pool:
        return None
    least = min(counts.get(tip.id, 0) for tip in pool)
    candidates = [tip for tip in pool if counts.get(tip.id, 0) == least]
    specific = active_seasons - {"all_year"}

    def rank(tip: store.TipRecord) -> tuple[int, int, int]:
        return (
            -int(bool(specific.intersection(tip.seasons))),
            -focus_weights.get(tip.focus, 0),
            _mix(group_id, tip.id),
        )

    return min(candidates, key=rank)


def focus_weights(categories: Mapping[str, int]) -> dict[str, int]:
    """Observation category counts -> focus-area weights."""
    weights: dict[str, int] = {}
    for category, count in categories.items():
        focus = CATEGORY_FOCUS.get(category)
        if focus:
            weights[focus] = weights.get(focus, 0) + count
    return weights


def rule_of(schedule: store.ScheduleRecord, tz: ZoneInfo) -> ScheduleRule:
    """The schedule arithmetic rule for a stored schedule."""
    return ScheduleRule(
        schedule.weekday, parse_local_time(schedule.local_time), Frequency(schedule.frequency), tz
    )


def render_tip(lang: str, tip: store.TipRecord) -> str:
    """The HTML message for a tip in a language."""
    return t(lang, "tips.message", text=tip.text(lang))


async def sync_library(db: Database, actor: Actor, now: dt.datetime) -> int:
    """Bring the shipped tips into the database (missing keys inserted); returns how many.
    A system actor (start-up, the CLI) only."""
    require(isinstance(actor, SystemActor))
    return await store.sync_seeds(db, load_tip_seeds(), now)


async def ensure_schedules(db: Database, actor: Actor, tz: ZoneInfo, now: dt.datetime) -> int:
    """Give every active group without a schedule the default one; returns how many.
    A system actor (the tip job) only."""
    require(isinstance(actor, SystemActor))
    missing = await store.active_groups_without_schedule(db)
    if not missing:
        return 0
    default = ScheduleRule(DEFAULT_WEEKDAY, DEFAULT_TIME, DEFAULT_FREQUENCY, tz)
    next_run = first_slot_after(default, now)
    await store.create_schedules(
        db,
        [
            (gid, DEFAULT_WEEKDAY, DEFAULT_TIME.strftime("%H:%M"), DEFAULT_FREQUENCY, next_run)
            for gid in missing
        ],
        now,
    )
    return len(missing)


async def _pick(
    conn: aiosqlite.Connection,
    tips: list[store.TipRecord],
    group_id: int,
    tz: ZoneInfo,
    now: dt.datetime,
) -> store.TipRecord | None:
    counts = await store.send_counts(conn, group_id)
    categories = await store.recent_observation_categories(conn, group_id, now - OBSERVATION_WINDOW)
    return choose_tip(
        tips, counts, seasons_for(now.astimezone(tz).date()), focus_weights(categories), group_id
    )


async def run_due(db: Database, actor: Actor, tz: ZoneInfo, now: dt.datetime) -> TickResult:
    """Send (enqueue) or skip every due schedule of an active group; see schedule.plan_due.
    A system actor (the tip job) only."""
    require(isinstance(actor, SystemActor))
    sent = skipped = 0
    while True:
        due = await store.due_schedules(db, now, limit=BATCH)
        if not due:
            break
        async with db.transaction() as conn:
            tips = await store.enabled_tips(conn)
            messages: list[OutgoingMessage] = []
            for item in due:
                schedule = item.schedule
                assert schedule.next_run_at is not None
                plan = plan_due(rule_of(schedule, tz), schedule.next_run_at, now)
                if plan is None:
                    continue
                moved = await store.advance_schedule(
                    conn, schedule.group_id, schedule.next_run_at, plan.next_run, plan.slot, now
                )
                if not moved:
                    continue
                if not plan.send:
                    skipped += 1
                    continue
                tip = await _pick(conn, tips, schedule.group_id, tz, now)
                if tip is None:
                    continue
                trigger = "schedule" if now - plan.slot < ON_TIME else "catch_up"
                send_id = await store.record_send(
                    conn, schedule.group_id, tip.id, to_db(plan.slot), trigger, now
                )
                if send_id is None:
                    continue
                messages.append(_message(schedule.group_id, item.language, tip, send_id))
            await enqueue_many(conn, messages, now)
            sent += len(messages)
        if len(due) < BATCH:
            break
    return TickResult(sent=sent, skipped=skipped)


def _message(group_id: int, lang: str, tip: store.TipRecord, send_id: int) -> OutgoingMessage:
    return OutgoingMessage(
        priority=PRIORITY_SCHEDULED,
        kind=KIND,
        message=SendText(render_tip(lang, tip)),
        group_id=group_id,
        ref_id=send_id,
    )


async def send_now(
    db: Database, tz: ZoneInfo, actor: Actor, group_id: int, lang: str, now: dt.datetime
) -> store.TipRecord | None:
    """Enqueue the next tip for a group right away (the schedule is unchanged); None when
    no tip is eligible. A system actor only: a person asks through
    `tip_admin.send_by_hand`, which checks their role and the pause (else Refused)."""
    require(isinstance(actor, SystemActor))
    async with db.transaction() as conn:
        tips = await store.enabled_tips(conn)
        tip = await _pick(conn, tips, group_id, tz, now)
        if tip is None:
            return None
        send_id = await store.record_send(
            conn, group_id, tip.id, "manual:" + to_db(now), "manual", now
        )
        if send_id is None:
            return None
        await enqueue_many(conn, [_message(group_id, lang, tip, send_id)], now)
    return tip


async def preview_next(
    db: Database, tz: ZoneInfo, group_id: int, at: dt.datetime
) -> store.TipRecord | None:
    """The tip the group would get at ``at`` (nothing is recorded)."""
    async with db.transaction() as conn:
        tips = await store.enabled_tips(conn)
        return await _pick(conn, tips, group_id, tz, at)


async def schedule_of(
    db: Database, tz: ZoneInfo, group_id: int, now: dt.datetime
) -> store.ScheduleRecord:
    """A group's schedule, created with the default if it has none yet."""
    schedule = await store.get_schedule(db, group_id)
    if schedule is None:
        default = ScheduleRule(DEFAULT_WEEKDAY, DEFAULT_TIME, DEFAULT_FREQUENCY, tz)
        await store.create_schedules(
            db,
            [
                (
                    group_id,
                    DEFAULT_WEEKDAY,
                    DEFAULT_TIME.strftime("%H:%M"),
                    DEFAULT_FREQUENCY,
                    first_slot_after(default, now),
                )
            ],
            now,
        )
        schedule = await store.get_schedule(db, group_id)
    assert schedule is not None
    return schedule


async def change_schedule(
    db: Database,
    tz: ZoneInfo,
    now: dt.datetime,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    *,
    weekday: int | None = None,
    local_time: str | None = None,
    frequency: str | None = None,
) -> store.ScheduleRecord:
    """Change some of a group's schedule settings; the next run is recomputed from now.

    Refused unless the actor manages the group's tips (see :func:`may_schedule`, with
    Telegram asked again); ValueError for a malformed `local_time` or `frequency`."""
    await require_group_manager(db, is_chat_admin, actor, group_id, admins=True)
    current = await schedule_of(db, tz, group_id, now)
    new_weekday = current.weekday if weekday is None else weekday
    new_time = parse_local_time(local_time or current.local_time)
    new_frequency = Frequency(frequency or current.frequency)
    rule = ScheduleRule(new_weekday, new_time, new_frequency, tz)
    await store.save_schedule(
        db,
        group_id,
        new_weekday,
        new_time.strftime("%H:%M"),
        new_frequency.value,
        first_slot_after(rule, now),
        actor_id(actor),
        now,
    )
    updated = await store.get_schedule(db, group_id)
    assert updated is not None
    return updated


# -- who may do what, and validation of typed tips --------------------------------------


def may_schedule(access: Access, group_id: int) -> bool:
    """Coordinators of the group (and admins) manage its tip schedule."""
    return access.is_admin or access.coordinates(group_id)


def may_edit_library(actor: Actor) -> bool:
    """Admins and police officers (and the CLI) add, edit and disable tips."""
    return isinstance(actor, SystemActor) or actor.is_admin or bool(actor.police_kommuner)


def tip_text_problem(text: str) -> str | None:
    """Why a typed tip text is not acceptable (an i18n key), or None when it is fine."""
    cleaned = text.strip()
    if is_blank(cleaned):
        return "tips.lib.text_empty"
    if utf16_len(cleaned) > MAX_TEXT_LENGTH:
        return "tips.lib.text_long"
    if FORBIDDEN_CHARS.intersection(cleaned):
        return "tips.lib.text_chars"
    return None


async def add_manual_tip(
    db: Database, actor: Actor, focus: str, season: str, text_sv: str, text_en: str,
    now: dt.datetime,
) -> int:  # fmt: skip
    """Add a tip written in Telegram; its key is made from the focus area and the time.

    Refused unless the actor may edit the library (:func:`may_edit_library`); a text that
    is not acceptable is refused with its :func:`tip_text_problem` key."""
    require(may_edit_library(actor))
    for text in (text_sv, text_en):
        problem = tip_text_problem(text)
        require(problem is None, problem or "", length=utf16_len(text.strip()), max=MAX_TEXT_LENGTH)
    key = f"{focus}-{season.replace('_', '-')}-{int(now.timestamp())}"
    seed = TipSeed(key, focus, (season,), text_sv.strip(), text_en.strip())
    return await store.add_tip(db, seed, actor_id(actor), now)
