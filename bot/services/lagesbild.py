"""The shared lägesbild (issue #17): aggregates of a scope over a period, as numbers.

Who sees which scope (read from storage at the moment of asking, see :func:`scope_for`):

* the kommun role and the police: their kommuner (all observations reported in them);
* a coordinator (with neither): the groups they coordinate that Telegram still says
  they administer.

A :class:`Lagesbild` holds counts only (per week and category), never a name, a
description, a place text or a photo, so it is safe for the kommun role; the chart, the
text and the CSV are all drawn from it (bot/lagesbild_chart.py,
bot/services/lagesbild_render.py). The map's counts per grid cell are in
bot/services/lagesbild_map.py (drawn by bot/charts_map.py).
Periods are whole ISO calendar weeks (bot/services/lagesbild_period.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.services.dialog_figures import figures_by_kommun
from bot.services.kommuner import find_kommun_by_code
from bot.services.lagesbild_period import (
    WEEKS,
    IsoWeek,
    Period,
    PeriodKind,
    period_ending,
    weeks_covering,
)
from bot.services.refusals import Refused
from bot.services.roles import Access, ChatAdminCheck, access_following_telegram
from config import Settings
from storage import digests as digest_store
from storage import lagesbild as store
from storage.db import Database
from storage.digests import AlertCounts
from storage.lagesbild import ScopeFilter
from storage.name_order import name_key

__all__ = [  # the period's names are re-exported: callers import them from here
    "WEEKS",
    "IsoWeek",
    "Period",
    "PeriodKind",
    "period_ending",
    "weeks_covering",
]

OBS_CATEGORIES = (
    "burglary",
    "theft",
    "vehicle_crime",
    "vandalism",
    "drugs",
    "traffic",
    "suspicious_person",
    "suspicious_vehicle",
    "other",
)
FEED_CATEGORIES = ("burglary", "vandalism", "fraud", "vehicle_found", "drugs", "traffic", "other")

# The medborgarlöfte's focus areas: observation categories and feed categories of each.
FOCUS_AREAS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "theft": (frozenset({"burglary", "theft", "vehicle_crime"}), frozenset({"burglary"})),
    "drugs": (frozenset({"drugs"}), frozenset({"drugs"})),
    "traffic": (frozenset({"traffic"}), frozenset({"traffic"})),
}


@dataclass(frozen=True)
class Scope:
    """What one person's lägesbild covers: kommun codes, or else group ids."""

    kommun_codes: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    # The groups' area names, for titles only (a coordinator's picture is named after the
    # group); not part of what the scope is, so equal scopes stay equal.
    group_names: tuple[str, ...] = field(default=(), compare=False)

    @property
    def filter(self) -> ScopeFilter:
        return ScopeFilter(self.kommun_codes, self.group_ids)

    @property
    def is_empty(self) -> bool:
        return not self.kommun_codes and not self.group_ids


def scope_for(access: Access) -> Scope:
    """The person's scope: their kommuner (kommun role or police), else the groups they
    coordinate (pass an Access from `access_following_telegram`). Refused when neither."""
    kommuner = access.kommun_kommuner | access.police_kommuner
    if kommuner:
        return Scope(kommun_codes=tuple(sorted(kommuner)))
    if access.coordinator_of:
        return Scope(group_ids=tuple(sorted(access.coordinator_of)))
    raise Refused("lagesbild.not_allowed")


def kommun_names(codes: Sequence[str]) -> list[str]:
    names = []
    for code in codes:
        kommun = find_kommun_by_code(code)
        names.append(kommun.name if kommun else code)
    return names


@dataclass(frozen=True)
class Lagesbild:
    """The aggregates of one scope and period. Series are lists with one count per week
    (of `period.iso_weeks()`)."""

    period: Period
    kommun_codes: tuple[str, ...]
    group_count: int
    observations: dict[str, list[int]]  # category → per week (only categories seen)
    feed: dict[str, list[int]]  # the police's own event type ("Inbrott") → per week
    previous: dict[str, int]  # category → total in the previous period
    alerts: AlertCounts
    # Medborgardialog and närvaro (bot/services/dialog_figures.py) in the scope's kommuner:
    # surveys that reached them, everyone who answered, presences announced there.
    surveys: int = 0
    survey_voters: int = 0
    presences: int = 0
    # The feed's events by our category (bot/feed): what the focus areas count.
    feed_categories: dict[str, list[int]] = field(default_factory=dict)

    def total(self, category: str) -> int:
        return sum(self.observations.get(category, ()))

    @property
    def observation_total(self) -> int:
        return sum(sum(v) for v in self.observations.values())

    @property
    def feed_total(self) -> int:
        return sum(sum(v) for v in self.feed.values())

    @property
    def previous_total(self) -> int:
        return sum(self.previous.values())

    def rises(self, count: int = 3, label: Callable[[str], str] = str) -> list[tuple[str, int]]:
        """The categories that rose most against the previous period: [(category, +n)],
        largest rise first, equal rises by the name the reader sees (`label(category)`,
        storage/name_order.py), only rises > 0, at most `count`."""
        changes = [
            (cat, self.total(cat) - self.previous.get(cat, 0))
            for cat in set(self.observations) | set(self.previous)
        ]
        rising = sorted(
            (c for c in changes if c[1] > 0), key=lambda c: (-c[1], name_key(label(c[0])), c[0])
        )
        return rising[:count]

    def feed_types(self, label: Callable[[str], str] = str) -> list[tuple[str, int]]:
        """The police's event types of the period, most events first, equal counts by the
        name the reader sees (`label(type)`, storage/name_order.py): [(type, total)]."""
        totals = ((name, sum(weeks)) for name, weeks in self.feed.items())
        return sorted(
            (t for t in totals if t[1]), key=lambda t: (-t[1], name_key(label(t[0])), t[0])
        )

    def focus(self, area: str) -> tuple[list[int], list[int]]:
        """(observations per week, feed events per week) of a medborgarlöfte focus area."""
        obs_cats, feed_cats = FOCUS_AREAS[area]
        weeks = self.period.weeks
        zero = [0] * weeks
        obs = [sum(self.observations.get(c, zero)[w] for c in obs_cats) for w in range(weeks)]
        feed = [sum(self.feed_categories.get(c, zero)[w] for c in feed_cats) for w in range(weeks)]
        return obs, feed


Unit = str | int  # a kommun code or a group id: what storage keys the counts by


_Counts = dict[object, list[tuple[int, str, int]]]  # unit → [(week, name, count)]


def _by_unit(counts: Iterable[tuple[tuple[object, int, str], int]]) -> _Counts:
    """Items of {(unit, week, name): n} grouped by unit: each scope then reads only its
    own units (a round has 290 scopes; scanning every count for each would take seconds
    on the event loop)."""
    out: _Counts = {}
    for (unit, week, name), n in counts:
        out.setdefault(unit, []).append((week, name, n))
    return out


def _series(counts: _Counts, units: Iterable[object], weeks: int) -> dict[str, list[int]]:
    """{name: count per week} of the `units` (sorted: the series come out in one order)."""
    out: dict[str, list[int]] = {}
    for unit in sorted(units, key=str):
        for week, name, n in counts.get(unit, ()):
            if 0 <= week < weeks:
                out.setdefault(name, [0] * weeks)[week] += n
    return out


def _sum_alerts(counts: Sequence[AlertCounts]) -> AlertCounts:
    return AlertCounts(
        sum(a.alerts for a in counts),
        sum(a.targeted for a in counts),
        sum(a.delivered for a in counts),
        sum(a.seen for a in counts),
    )


async def collect(db: Database, scope: Scope, period: Period) -> Lagesbild:
    """Read the aggregates of `scope` over `period` (a handful of grouped queries)."""
    return (await collect_each(db, [scope], period))[0]


async def collect_each(db: Database, scopes: Sequence[Scope], period: Period) -> list[Lagesbild]:
    """The aggregates of every scope over `period`, in the order given, with one query per
    aggregate for all of them: the counts are read per kommun (or per group) and summed
    per scope. All scopes must be of one kind (kommuner, or groups)."""
    if not scopes:
        return []
    by_group = not scopes[0].kommun_codes
    if any(bool(s.kommun_codes) == by_group for s in scopes):
        raise ValueError("collect_each: scopes of kommuner and of groups mixed")
    if by_group:
        groups = sorted({g for s in scopes for g in s.group_ids})
        filt = ScopeFilter(group_ids=tuple(groups))
        kommun_of = await store.group_kommuner(db, groups)
        codes = sorted(set(kommun_of.values()))
    else:
        codes = sorted({k for s in scopes for k in s.kommun_codes})
        filt = ScopeFilter(kommun_codes=tuple(codes))
        kommun_of = {}
    starts = period.week_starts()
    obs = await store.observations_by_week(db, filt, starts, period.end)
    previous = await store.category_totals(db, filt, period.previous.start, period.start)
    feed = await store.feed_events_by_week(db, codes, starts, period.end)
    alerts: dict[Unit, AlertCounts] = {}
    if by_group:
        by_id = await digest_store.group_alert_counts(db, groups, period.start, period.end)
        alerts.update((group_id, counts) for group_id, counts in by_id.items())
    else:
        alerts.update(await digest_store.kommun_alert_counts(db, codes, period.start, period.end))
    dialog = await figures_by_kommun(db, period.start, period.end, codes) if codes else {}
    feed_by_category: dict[tuple[Unit, int, str], int] = {}
    for (k, w, _, category), n in feed.items():
        feed_by_category[(k, w, category)] = feed_by_category.get((k, w, category), 0) + n
    obs_of = _by_unit(obs.items())
    types_of = _by_unit(((k, w, kind), n) for (k, w, kind, _), n in feed.items())
    categories_of = _by_unit(feed_by_category.items())
    before_of = _by_unit(((unit, 0, category), n) for (unit, category), n in previous.items())

    pictures = []
    for scope in scopes:
        units: set[Unit] = set(scope.group_ids) if by_group else set(scope.kommun_codes)
        feed_codes: set[Unit] = (
            {kommun_of[g] for g in scope.group_ids if g in kommun_of}
            if by_group
            else set(scope.kommun_codes)
        )
        figures = [dialog[code] for code in sorted(feed_codes, key=str) if code in dialog]
        before = {name: weeks[0] for name, weeks in _series(before_of, units, 1).items()}
        pictures.append(
            Lagesbild(
                period,
                tuple(sorted(str(c) for c in feed_codes)),
                len(scope.group_ids),
                _series(obs_of, units, period.weeks),
                _series(types_of, feed_codes, period.weeks),
                before,
                _sum_alerts([alerts[unit] for unit in units if unit in alerts]),
                surveys=sum(f.surveys for f in figures),
                survey_voters=sum(f.voters for f in figures),
                presences=sum(f.presences for f in figures),
                feed_categories=_series(categories_of, feed_codes, period.weeks),
            )
        )
    return pictures


async def scope_of(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, user_id: int
) -> Scope:
    """The scope `user_id` may see now, read from storage (and Telegram for coordinated
    groups); Refused("lagesbild.not_allowed") without a kommun, police or coordinator role."""
    scope = scope_for(await access_following_telegram(db, settings, is_chat_admin, user_id))
    if scope.group_ids:
        registered = await digest_store.registered_groups(db, list(scope.group_ids))
        names = tuple(registered[g].area_name for g in scope.group_ids if g in registered)
        if len(names) == len(scope.group_ids):
            scope = replace(scope, group_names=names)
    return scope
