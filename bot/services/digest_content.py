"""What a weekly digest is about: the round's week and each recipient's figures.

`collect` reads the figures of a batch of recipients with one query per aggregate; the
text is bot/services/digest_text.py, the charts bot/services/digest_charts.py, the
sending bot/services/digests.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from bot.i18n.dates import format_when
from bot.services.dialog_figures import DialogFigures, figures_by_kommun
from bot.services.kommuner import find_kommun_by_code
from storage import digests as store
from storage import feed as feed_store
from storage.db import Database
from storage.digests import AlertCounts, ForwardCounts, Recipient
from storage.name_order import name_key

KIND = "digest"  # the outbox kind of every digest message (text and chart)
WEEK = "week"  # key in a digest message's `meta`: the ISO week it is about (digest_reach)
SEND_AT = time(8, 0)  # Monday, local time


@dataclass(frozen=True)
class DigestWeek:
    """One digest round: the ISO week key and the period [start, end) in UTC."""

    key: str
    start: datetime
    end: datetime
    tz: tzinfo

    def label(self, lang: str, moment: datetime) -> str:
        return format_when(lang, moment, self.tz)


def digest_week(now: datetime, tz: tzinfo) -> DigestWeek | None:
    """The round due at `now`: this ISO week's Monday 08:00 local has passed (else None).
    The period is the seven days before that Monday 08:00."""
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    send_at = datetime.combine(monday, SEND_AT, tzinfo=tz)
    if local < send_at:
        return None
    start = datetime.combine(monday - timedelta(days=7), SEND_AT, tzinfo=tz)
    year, week, _ = monday.isocalendar()
    # In UTC: differences of aware datetimes sharing one tzinfo ignore DST changes.
    return DigestWeek(f"{year}-W{week:02d}", start.astimezone(UTC), send_at.astimezone(UTC), tz)


@dataclass(frozen=True)
class FeedCounts:
    """The police's events feed in a kommun: events per type, and its län's län-level ones."""

    by_type: dict[str, int]
    lan_level: int

    @property
    def total(self) -> int:
        return sum(self.by_type.values()) + self.lan_level


async def _feed_counts(
    db: Database, codes: Sequence[str], start: datetime, end: datetime
) -> dict[str, FeedCounts]:
    codes = sorted(set(codes))
    by_kommun = await feed_store.kommun_type_counts(db, codes, start, end)
    lans = await feed_store.lan_event_counts(db, sorted({c[:2] for c in codes}), start, end)
    counts = {c: FeedCounts(by_kommun.get(c, {}), lans.get(c[:2], 0)) for c in codes}
    return {c: f for c, f in counts.items() if f.total}


@dataclass(frozen=True)
class GroupSummary:
    group_id: int
    area: str
    categories: dict[str, int]
    statuses: dict[str, int]
    unreviewed: int
    alerts: AlertCounts | None
    feed: FeedCounts | None = None

    @property
    def observations(self) -> int:
        return sum(self.categories.values())

    @property
    def activity(self) -> int:
        return (
            self.observations
            + (self.alerts.alerts if self.alerts else 0)
            + (self.feed.total if self.feed else 0)
        )


@dataclass(frozen=True)
class GroupFigures:
    """One group of a kommun, named in the police's digest with its week."""

    area: str
    observations: int
    alerts: int


@dataclass(frozen=True)
class KommunSummary:
    code: str
    name: str
    forwards: ForwardCounts | None
    categories: dict[str, int]
    alerts: AlertCounts | None
    feed: FeedCounts | None = None
    dialog: DialogFigures | None = None  # surveys and announced presence
    groups: tuple[GroupFigures, ...] = ()

    @property
    def observations(self) -> int:
        return sum(self.categories.values())

    @property
    def activity(self) -> int:
        return (
            self.observations
            + (self.forwards.forwarded if self.forwards else 0)
            + (self.alerts.alerts if self.alerts else 0)
            + (self.feed.total if self.feed else 0)
            + (self.dialog.activity if self.dialog else 0)
        )


@dataclass(frozen=True)
class Digest:
    """What one person's digest is about; `has_content` False means nothing is sent."""

    user_id: int
    groups: list[GroupSummary] = field(default_factory=list)
    kommuner: list[KommunSummary] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return any(g.activity for g in self.groups) or any(k.activity for k in self.kommuner)


async def collect(
    db: Database, recipients: Sequence[Recipient], start: datetime, end: datetime
) -> list[Digest]:
    """The digests of a batch of recipients, with one query per aggregate for the batch."""
    group_ids = sorted({g for r in recipients for g in r.group_ids})
    codes = sorted({k for r in recipients for k in r.kommun_codes})
    groups = await store.registered_groups(db, group_ids)
    of_kommuner = await store.kommun_groups(db, codes)
    active = sorted(groups)
    counted = sorted(set(active) | set(of_kommuner))
    obs = await store.group_observation_counts(db, counted, start, end)
    unreviewed = await store.unreviewed_counts(db, active)
    group_alerts = await store.group_alert_counts(db, counted, start, end)
    forwards = await store.forward_counts(db, codes, start, end)
    kommun_obs = await store.kommun_observation_counts(db, codes, start, end)
    kommun_alerts = await store.kommun_alert_counts(db, codes, start, end)
    group_kommuner = [g.kommun_code for g in groups.values() if g.kommun_code]
    feed = await _feed_counts(db, [*codes, *group_kommuner], start, end)
    dialog = await figures_by_kommun(db, start, end, codes) if codes else {}

    def group_summary(gid: int) -> GroupSummary:
        counts = obs.get(gid, {})
        categories: dict[str, int] = {}
        statuses: dict[str, int] = {}
        for (category, status), n in counts.items():
            categories[category] = categories.get(category, 0) + n
            statuses[status] = statuses.get(status, 0) + n
        return GroupSummary(
            gid,
            groups[gid].area_name,
            categories,
            statuses,
            unreviewed.get(gid, 0),
            group_alerts.get(gid),
            feed.get(groups[gid].kommun_code or ""),
        )

    def figures(info: store.GroupInfo) -> GroupFigures:
        alerts = group_alerts.get(info.id)
        observations = sum(obs.get(info.id, {}).values())
        return GroupFigures(info.area_name, observations, alerts.alerts if alerts else 0)

    def kommun_summary(code: str) -> KommunSummary:
        kommun = find_kommun_by_code(code)
        named = [figures(g) for g in of_kommuner.values() if g.kommun_code == code]
        return KommunSummary(
            code,
            kommun.name if kommun else code,
            forwards.get(code),
            kommun_obs.get(code, {}),
            kommun_alerts.get(code),
            feed.get(code),
            dialog.get(code),
            tuple(
                sorted(
                    (g for g in named if g.observations or g.alerts),
                    key=lambda g: (-(g.observations + g.alerts), name_key(g.area)),
                )
            ),
        )

    return [
        Digest(
            r.user_id,
            [group_summary(g) for g in r.group_ids if g in groups],
            [kommun_summary(k) for k in r.kommun_codes],
        )
        for r in recipients
    ]
