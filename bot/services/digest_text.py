"""How a weekly digest reads: one HTML message per person, at most MAX_LENGTH long.

Each part (the coordinator's groups, the police's kommuner) shows at most
:data:`MAX_BLOCKS` groups or kommuner (the most active first) and stops earlier when its
share of the length is used up, then says "…and N more"; quiet ones are summed up in one
line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.i18n import Html, catalogs, t, t_plain
from bot.i18n.feed_types import event_type_name
from bot.services.digest_content import (
    Digest,
    DigestWeek,
    FeedCounts,
    GroupSummary,
    KommunSummary,
)
from bot.textlen import utf16_len
from storage.digests import AlertCounts
from storage.name_order import name_key

MAX_BLOCKS = 15
GROUP_LINES = 5  # groups named with their figures in a kommun's block
MAX_LENGTH = 4000  # below Telegram's 4096, see _size
STATUS_ORDER = ("new", "reviewed", "forwarded", "closed")


def _catalog(lang: str, prefix: str) -> Callable[[str], str]:
    """Names from the catalog (`prefix` + name), the name itself when there is none."""
    table = catalogs().get(lang) or catalogs()["sv"]
    return lambda name: t_plain(lang, prefix + name) if prefix + name in table else name


def _items(
    lang: str, counts: dict[str, int], label: Callable[[str], str], order: Sequence[str] = ()
) -> Html:
    """'Stöld 2, Annat 1' (each name through `label`): most frequent first, equal counts
    by the name the reader sees (storage/name_order.py), or in `order` when given."""
    rank = {name: n for n, name in enumerate(order)}
    if order:  # statuses: in the order of the status flow
        ordered = sorted(counts.items(), key=lambda kv: (rank.get(kv[0], 99), kv[0]))
    else:
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], name_key(label(kv[0])), kv[0]))
    return Html(
        ", ".join(t(lang, "digest.item", label=label(name), count=n) for name, n in ordered)
    )


def _group_block(lang: str, g: GroupSummary) -> str:
    lines: list[str] = [t(lang, "digest.group.title", area=g.area)]
    if g.observations:
        lines.append(
            t(
                lang,
                "fb.digest.observations",
                count=g.observations,
                categories=_items(lang, g.categories, _catalog(lang, "obs.cat.")),
            )
        )
        lines.append(
            t(
                lang,
                "digest.group.statuses",
                statuses=_items(lang, g.statuses, _catalog(lang, "obs.status."), STATUS_ORDER),
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
        # The police's types, named in `lang` (the counts stay keyed by the police's names).
        names = _items(lang, feed.by_type, lambda name: event_type_name(lang, name))
        lines.append(t(lang, "feed.digest.kommun", items=names))
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
                categories=_items(lang, k.categories, _catalog(lang, "obs.cat.")),
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
        (g for g in digest.groups if g.activity),
        key=lambda g: (-g.activity, name_key(g.area), g.group_id),
    )
    kommuner = sorted(
        (k for k in digest.kommuner if k.activity), key=lambda k: (-k.activity, name_key(k.name))
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
