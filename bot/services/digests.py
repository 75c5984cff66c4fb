"""The weekly lägesbild digest: who gets what, and how it reads.

Every Monday from 08:00 local time (the configured TIMEZONE) each coordinator and each
police officer gets one private message about the week before (Monday 08:00 to Monday
08:00):

* per group they coordinate: observations by category and by status, how many of the
  group's observations still wait for review, and the alerts sent to the group with how
  many people marked them seen;
* per kommun they serve as police: observations forwarded to the police (handled vs
  waiting), the kommun's observations by category, and the alerts sent to its groups
  (groups targeted, delivered, seen).

A person with both roles gets one message with both parts. Police officers and the kommun
role also get the lägesbild chart of their kommuner (the 4 weeks up to the digest) as a
photo (:class:`DigestCharts`); the kommun role gets only the chart (aggregates).

**Nothing is sent when a person has nothing to report**: no registered groups or
kommuner, or no observation, no forward and no alert in the period in any of them (and,
for the chart, nothing in the 4 weeks); such a person is only recorded as done for the
week. Quiet groups/kommuner of an active person are summed up in one line.

The message always fits Telegram's 4096 characters: each part shows at most
:data:`MAX_BLOCKS` groups or kommuner (the most active first) and stops earlier when its
share of the length is used up, then says "…and N more".

Sending is exactly once per person and ISO week (``digest_sends``, written in the same
transaction as the outbox row); see bot/digest_scheduler.py for the clock.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from bot.i18n import Html, catalogs, t, t_plain
from bot.i18n.dates import format_when
from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services import lagesbild, lagesbild_render
from bot.services.dialog_figures import DialogFigures, figures_by_kommun
from bot.services.kommuner import find_kommun_by_code
from bot.services.roles import Actor, SystemActor, require
from bot.textlen import utf16_len
from storage import digests as store
from storage import feed as feed_store
from storage.db import Database
from storage.digests import AlertCounts, ForwardCounts, Recipient
from storage.outbox import OutgoingMessage, SendOp, SendText

KIND = "digest"
WEEK = "week"  # key in a digest message's `meta`: the ISO week it is about (digest_reach)
SEND_AT = time(8, 0)  # Monday, local time
MAX_BLOCKS = 15
GROUP_LINES = 5  # groups named with their figures in a kommun's block
MAX_LENGTH = 4000  # below Telegram's 4096, see _size
BATCH_SIZE = 200
STATUS_ORDER = ("new", "reviewed", "forwarded", "closed")


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
                    key=lambda g: (-(g.observations + g.alerts), g.area),
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


# -- rendering ---------------------------------------------------------------------------


def _label(lang: str, key: str, fallback: str) -> str:
    table = catalogs().get(lang) or catalogs()["sv"]
    return t_plain(lang, key) if key in table else fallback


def _items(lang: str, counts: dict[str, int], prefix: str, order: Sequence[str] = ()) -> Html:
    """'Stöld 2, Annat 1': most frequent first, or in `order` when given."""
    rank = {name: n for n, name in enumerate(order)}
    if order:  # statuses: in the order of the status flow
        ordered = sorted(counts.items(), key=lambda kv: (rank.get(kv[0], 99), kv[0]))
    else:
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return Html(
        ", ".join(
            t(lang, "digest.item", label=_label(lang, f"{prefix}{name}", name), count=n)
            for name, n in ordered
        )
    )


def _group_block(lang: str, g: GroupSummary) -> str:
    lines: list[str] = [t(lang, "digest.group.title", area=g.area)]
    if g.observations:
        lines.append(
            t(
                lang,
                "fb.digest.observations",
                count=g.observations,
                categories=_items(lang, g.categories, "obs.cat."),
            )
        )
        lines.append(
            t(
                lang,
                "digest.group.statuses",
                statuses=_items(lang, g.statuses, "obs.status.", STATUS_ORDER),
            )
        )
    else:
        lines.append(t(lang, "fb.digest.no_observations"))
    if g.unreviewed:
        lines.append(t(lang, "digest.group.unreviewed", count=g.unreviewed))
    if g.alerts:
        lines.append(
            t(lang, "fb.digest.group.alerts", count=g.alerts.alerts, seen=_seen(lang, g.alerts))
            + _withdrawn(lang, g.alerts)
        )
    lines.extend(_feed_lines(lang, g.feed))
    return "\n".join(lines)


def _feed_lines(lang: str, feed: FeedCounts | None) -> list[str]:
    """The police's events feed: per type in the kommun, and the län-level count."""
    if feed is None:
        return []
    lines: list[str] = []
    if feed.by_type:
        lines.append(t(lang, "feed.digest.kommun", items=_items(lang, feed.by_type, "feed.type.")))
    if feed.lan_level:
        lines.append(t(lang, "feed.digest.lan", count=feed.lan_level))
    return lines


def _kommun_block(lang: str, k: KommunSummary) -> str:
    lines: list[str] = [t(lang, "digest.kommun.title", kommun=k.name)]
    if k.forwards:
        f = k.forwards
        lines.append(
            t(
                lang,
                "digest.kommun.forwards",
                count=f.forwarded,
                handled=f.handled,
                waiting=f.waiting,
            )
        )
    if k.observations:
        lines.append(
            t(
                lang,
                "fb.digest.kommun.observations",
                count=k.observations,
                categories=_items(lang, k.categories, "obs.cat."),
            )
        )
    if k.alerts:
        a = k.alerts
        lines.append(
            t(
                lang,
                "fb.digest.kommun.alerts",
                count=a.alerts,
                groups=t(lang, "fb.digest.groups", count=a.targeted),
                delivered=a.delivered,
                seen=_seen(lang, a),
            )
            + _withdrawn(lang, a)
        )
    for g in k.groups[:GROUP_LINES]:
        lines.append(
            t(
                lang,
                "fb.digest.kommun.group",
                area=g.area,
                observations=t(lang, "fb.digest.n_observations", count=g.observations),
                alerts=t(lang, "fb.digest.n_alerts", count=g.alerts),
            )
        )
    if len(k.groups) > GROUP_LINES:
        lines.append(t(lang, "digest.more", count=len(k.groups) - GROUP_LINES))
    lines.extend(_feed_lines(lang, k.feed))
    if k.dialog:
        d = k.dialog
        lines.append(
            t(lang, "dialog.digest.line", surveys=d.surveys, voters=d.voters, presences=d.presences)
        )
    return "\n".join(lines)


def _seen(lang: str, a: AlertCounts) -> Html:
    return t(lang, "fb.digest.people", count=a.seen)


def _withdrawn(lang: str, a: AlertCounts) -> Html:
    """' (1 withdrawn)' when alerts of the period were withdrawn since, else ''."""
    return t(lang, "fb.digest.withdrawn", count=a.withdrawn) if a.withdrawn else Html("")


def _size(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), measured on the HTML, which is
    never shorter than the text Telegram sees (tags and entities only add)."""
    return utf16_len(text)


def _section(
    lang: str,
    heading: str,
    blocks: list[str],
    quiet: int,
    quiet_key: str,
    footer: str,
    budget: int,
) -> str:
    """Heading, as many blocks as fit (at most MAX_BLOCKS), '…and N more', quiet, footer."""
    tail_reserve = 200  # the "…and N more", quiet and footer lines
    parts: list[str] = [t(lang, heading)]
    used = _size(parts[0]) + tail_reserve
    shown = 0
    for block in blocks[:MAX_BLOCKS]:
        if used + _size(block) + 2 > budget:
            break
        parts.append(block)
        used += _size(block) + 2
        shown += 1
    tail = []
    if shown < len(blocks):
        tail.append(t(lang, "digest.more", count=len(blocks) - shown))
    if quiet:
        tail.append(t(lang, quiet_key, count=quiet))
    tail.append(t(lang, footer))
    return "\n\n".join(parts) + "\n\n" + "\n".join(tail)


def render(digest: Digest, week: DigestWeek, lang: str) -> str:
    """The digest message (HTML, at most MAX_LENGTH characters)."""
    title = t(
        lang, "digest.title", start=week.label(lang, week.start), end=week.label(lang, week.end)
    )
    groups = sorted(
        (g for g in digest.groups if g.activity), key=lambda g: (-g.activity, g.area, g.group_id)
    )
    kommuner = sorted(
        (k for k in digest.kommuner if k.activity), key=lambda k: (-k.activity, k.name)
    )
    sections_wanted = (1 if groups else 0) + (1 if kommuner else 0)
    budget = (MAX_LENGTH - _size(title) - 4) // max(sections_wanted, 1)
    sections: list[str] = [title]
    if groups:
        sections.append(
            _section(
                lang,
                "digest.coordinator.heading",
                [_group_block(lang, g) for g in groups],
                len(digest.groups) - len(groups),
                "digest.quiet",
                "digest.coordinator.footer",
                budget,
            )
        )
    if kommuner:
        sections.append(
            _section(
                lang,
                "digest.police.heading",
                [_kommun_block(lang, k) for k in kommuner],
                len(digest.kommuner) - len(kommuner),
                "digest.quiet_kommuner",
                "digest.police.footer",
                budget,
            )
        )
    return "\n\n".join(sections)


# -- sending -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    week: str | None
    enqueued: int = 0
    empty: int = 0


async def send_due(
    db: Database,
    actor: Actor,
    tz: tzinfo,
    now: datetime,
    language_of: Callable[[int], Awaitable[str]],
    batch_size: int = BATCH_SIZE,
) -> SendResult:
    """Enqueue this week's digests for everyone not yet recorded for the week (nothing
    before Monday 08:00 local). Batches of `batch_size` people: aggregates read once per
    batch, then one transaction records and enqueues the batch. A system actor (the digest
    job) only: a person is refused."""
    require(isinstance(actor, SystemActor))
    week = digest_week(now, tz)
    if week is None:
        return SendResult(None)
    recipients = await store.pending_recipients(db, week.key)
    charts = DigestCharts(db, week, tz)
    enqueued = empty = 0
    for offset in range(0, len(recipients), batch_size):
        batch = recipients[offset : offset + batch_size]
        rows: list[tuple[int, list[OutgoingMessage]]] = []
        for recipient, digest in zip(
            batch, await collect(db, batch, week.start, week.end), strict=True
        ):
            lang = await language_of(digest.user_id)
            messages: list[OutgoingMessage] = []
            if digest.has_content:
                messages.append(
                    OutgoingMessage(
                        priority=PRIORITY_SCHEDULED,
                        kind=KIND,
                        message=SendText(render(digest, week, lang), meta={WEEK: week.key}),
                        chat_id=digest.user_id,
                    )
                )
            chart = await charts.message_for(recipient, lang)
            if chart is not None:
                messages.append(chart)
            rows.append((digest.user_id, messages))
            empty += not messages
        enqueued += await store.record_sends(db, week.key, rows, now)
    return SendResult(week.key, enqueued, empty)


class DigestCharts:
    """The lägesbild chart (the 4 weeks up to the digest's end) for police and the kommun
    role: one PNG per (kommuner, language) in a round, shared by everyone with that scope.
    Sent only when the 4 weeks hold an observation or a police event."""

    def __init__(self, db: Database, week: DigestWeek, tz: tzinfo) -> None:
        self._db = db
        self._tz = tz
        self._period = lagesbild.period_ending(lagesbild.PeriodKind.WEEKS4, week.end)
        self._made: dict[tuple[tuple[str, ...], str], dict[str, str] | None] = {}

    async def payload(self, codes: tuple[str, ...], lang: str) -> dict[str, str] | None:
        """{"photo_png": base64, "text": caption} for these kommuner, None when quiet."""
        key = (codes, lang)
        if key not in self._made:
            scope = lagesbild.Scope(kommun_codes=codes)
            picture = await lagesbild.collect(self._db, scope, self._period)
            if picture.observation_total + picture.feed_total == 0:
                self._made[key] = None
            else:
                png = await lagesbild_render.chart_png(picture, lang, scope, self._tz)
                caption = t(
                    lang,
                    "lagesbild.digest.caption",
                    scope=lagesbild_render.scope_title(lang, scope),
                )
                self._made[key] = {"photo_png": base64.b64encode(png).decode(), "text": caption}
        return self._made[key]

    async def message_for(self, recipient: Recipient, lang: str) -> OutgoingMessage | None:
        """The chart message for a police officer or kommun-role holder, else None."""
        codes = tuple(sorted(set(recipient.kommun_codes) | set(recipient.kommun_role_codes)))
        if not codes:
            return None
        payload = await self.payload(codes, lang)
        if payload is None:
            return None
        return OutgoingMessage(
            priority=PRIORITY_SCHEDULED,
            kind=KIND,
            message=SendOp("photo_png", payload),
            chat_id=recipient.user_id,
        )
