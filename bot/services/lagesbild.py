"""The shared lägesbild (issue #17): aggregates of a scope over a period, as numbers.

Who sees which scope (read from storage at the moment of asking, see :func:`scope_for`):

* the kommun role and the police: their kommuner (all observations reported in them);
* a coordinator (with neither): the groups they coordinate that Telegram still says
  they administer.

A :class:`Lagesbild` holds counts only (per week and category), never a name, a
description, a place text or a photo, so it is safe for the kommun role; the chart, the
text and the CSV are all drawn from it (bot/charts.py, bot/services/lagesbild_render.py).
The map's counts per grid cell are in bot/services/lagesbild_map.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.services.dialog_figures import figures_by_kommun
from bot.services.kommuner import find_kommun_by_code
from bot.services.refusals import Refused
from bot.services.roles import Access, ChatAdminCheck, access_following_telegram
from config import Settings
from storage import digests as digest_store
from storage import lagesbild as store
from storage.db import Database
from storage.digests import AlertCounts
from storage.lagesbild import ScopeFilter

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


class PeriodKind(StrEnum):
    WEEKS4 = "w4"
    QUARTER = "q"
    YEAR = "y"


WEEKS = {PeriodKind.WEEKS4: 4, PeriodKind.QUARTER: 13, PeriodKind.YEAR: 52}


@dataclass(frozen=True)
class Period:
    """[start, end), aware datetimes; `previous` is the same length right before it."""

    kind: PeriodKind | None  # None: chosen by dates (the command line)
    start: datetime
    end: datetime

    @property
    def weeks(self) -> int:
        """Whole weeks from start; a last partial week counts as one."""
        return max(1, math.ceil((self.end - self.start) / timedelta(weeks=1)))

    @property
    def previous(self) -> Period:
        return Period(self.kind, self.start - (self.end - self.start), self.start)

    def week_start(self, index: int) -> datetime:
        return self.start + timedelta(weeks=index)


def period_ending(kind: PeriodKind, end: datetime) -> Period:
    """The period of `kind` that ends at `end` (aware datetime)."""
    return Period(kind, end - timedelta(weeks=WEEKS[kind]), end)


@dataclass(frozen=True)
class Scope:
    """What one person's lägesbild covers: kommun codes, or else group ids."""

    kommun_codes: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()

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
    """The aggregates of one scope and period. Series are lists with one count per week."""

    period: Period
    kommun_codes: tuple[str, ...]
    group_count: int
    observations: dict[str, list[int]]  # category → per week (only categories seen)
    feed: dict[str, list[int]]  # feed category → per week
    previous: dict[str, int]  # category → total in the previous period
    alerts: AlertCounts
    # Medborgardialog and närvaro (bot/services/dialog_figures.py) in the scope's kommuner:
    # surveys that reached them, everyone who answered, presences announced there.
    surveys: int = 0
    survey_voters: int = 0
    presences: int = 0

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

    def rises(self, count: int = 3) -> list[tuple[str, int]]:
        """The categories that rose most against the previous period: [(category, +n)],
        largest rise first, only rises > 0, at most `count`."""
        changes = [
            (cat, self.total(cat) - self.previous.get(cat, 0))
            for cat in set(self.observations) | set(self.previous)
        ]
        rising = sorted((c for c in changes if c[1] > 0), key=lambda c: (-c[1], c[0]))
        return rising[:count]

    def focus(self, area: str) -> tuple[list[int], list[int]]:
        """(observations per week, feed events per week) of a medborgarlöfte focus area."""
        obs_cats, feed_cats = FOCUS_AREAS[area]
        weeks = self.period.weeks
        obs = [
            sum(self.observations.get(c, [0] * weeks)[w] for c in obs_cats) for w in range(weeks)
        ]
        feed = [sum(self.feed.get(c, [0] * weeks)[w] for c in feed_cats) for w in range(weeks)]
        return obs, feed


def _series(counts: dict[tuple[int, str], int], weeks: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for (week, name), n in counts.items():
        if 0 <= week < weeks:
            out.setdefault(name, [0] * weeks)[week] += n
    return out


async def collect(db: Database, scope: Scope, period: Period) -> Lagesbild:
    """Read the aggregates of `scope` over `period` (a handful of grouped queries)."""
    filt = scope.filter
    feed_codes = (
        list(scope.kommun_codes)
        if scope.kommun_codes
        else await store.kommun_scope_codes(db, scope.group_ids)
    )
    obs = await store.observations_by_week(db, filt, period.start, period.end)
    previous = await store.category_totals(db, filt, period.previous.start, period.start)
    feed = await store.feed_events_by_week(db, feed_codes, period.start, period.end)
    if scope.kommun_codes:
        by_kommun = await digest_store.kommun_alert_counts(
            db, scope.kommun_codes, period.start, period.end
        )
    else:
        by_kommun = {
            str(k): v
            for k, v in (
                await digest_store.group_alert_counts(db, scope.group_ids, period.start, period.end)
            ).items()
        }
    alerts = AlertCounts(
        sum(a.alerts for a in by_kommun.values()),
        sum(a.targeted for a in by_kommun.values()),
        sum(a.delivered for a in by_kommun.values()),
        sum(a.seen for a in by_kommun.values()),
    )
    dialog = (
        await figures_by_kommun(db, period.start, period.end, list(feed_codes))
        if feed_codes
        else {}
    )
    return Lagesbild(
        period,
        tuple(feed_codes),
        len(scope.group_ids),
        _series(obs, period.weeks),
        _series(feed, period.weeks),
        previous,
        alerts,
        surveys=sum(f.surveys for f in dialog.values()),
        survey_voters=sum(f.voters for f in dialog.values()),
        presences=sum(f.presences for f in dialog.values()),
    )


async def scope_of(
    db: Database, settings: Settings, is_chat_admin: ChatAdminCheck, user_id: int
) -> Scope:
    """The scope `user_id` may see now, read from storage (and Telegram for coordinated
    groups); Refused("lagesbild.not_allowed") without a kommun, police or coordinator role."""
    return scope_for(await access_following_telegram(db, settings, is_chat_admin, user_id))
