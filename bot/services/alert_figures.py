"""An alert's figures per target group (issue #14): where each copy stands, members known
and how many marked it as read there; as message lines and as a CSV file.

Who may see them: the officer who sent the alert (while still police) and admins. Police
of another kommun, or another officer, are refused (`Refused("core.not_allowed")`).
"""

from __future__ import annotations

import csv
import io
from datetime import tzinfo

from bot.i18n import t, t_plain
from bot.i18n.dates import format_when
from bot.services.group_topics import is_topic_error
from bot.services.kommuner import find_kommun_by_code
from bot.services.observation_export import neutralise
from bot.services.refusals import Refused
from bot.services.roles import Access
from bot.textlen import utf16_len
from storage import alert_figures as alert_figures_store
from storage import alerts as alert_store
from storage.alert_figures import GroupFigures
from storage.alerts import AlertRecord
from storage.db import Database
from storage.name_order import name_key

#: The message's lines stop short of Telegram's 4096 (the CSV always has every group).
MESSAGE_BUDGET = 3600
FAILED = frozenset({"failed", "skipped"})
#: The error of a copy never sent because the alert was withdrawn first.
WITHDRAWN_BEFORE_DELIVERY = "withdrawn"
CSV_COLUMNS = ("group", "kommun", "status", "delivered", "members", "seen", "reason")


async def figures(
    db: Database, access: Access, alert_id: int
) -> tuple[AlertRecord, list[GroupFigures]]:
    """The alert and one `GroupFigures` per target group, ordered by kommun name, then
    group name (storage/name_order.py), then group id.
    Raises Refused("core.stale_button") for an unknown alert, Refused("core.not_allowed")
    unless the person sent it (and is still police) or is an admin."""
    alert = await alert_store.get_alert(db, alert_id)
    if alert is None:
        raise Refused("core.stale_button")
    own = alert.sender_id == access.user_id and bool(access.police_kommuner)
    if not (access.is_admin or own):
        raise Refused("core.not_allowed")
    groups = await alert_figures_store.group_figures(db, alert_id)
    return alert, sorted(
        groups,
        key=lambda g: (name_key(kommun_name(g.kommun_code)), name_key(group_name(g)), g.group_id),
    )


def group_name(group: GroupFigures) -> str:
    """The group as people know it: its area name, else the Telegram title."""
    return group.area_name or group.title


def kommun_name(code: str | None) -> str:
    kommun = find_kommun_by_code(code) if code else None
    return kommun.name if kommun else (code or "–")


def reason(lang: str, error: str | None) -> str:
    """Why a copy was not delivered, in `lang` (plain text): the delivery worker's error
    ("forbidden: …", "group inactive", "withdrawn", "Chat not found") explained, any other
    error quoted as Telegram's answer."""
    if not error:
        return "?"
    if error.startswith("forbidden: "):
        detail = error.removeprefix("forbidden: ")
        return t_plain(lang, "police.figures.reason.forbidden", detail=detail)
    if error == "group inactive":
        return t_plain(lang, "police.figures.reason.inactive")
    if error == WITHDRAWN_BEFORE_DELIVERY:
        return t_plain(lang, "police.figures.reason.withdrawn")
    if is_topic_error(error):  # the group's alerts topic was closed or deleted
        return t_plain(lang, "police.figures.reason.topic", detail=error)
    if "chat not found" in error.lower():  # the group was deleted (or its id is stale)
        return t_plain(lang, "police.figures.reason.not_found", detail=error)
    return t_plain(lang, "police.figures.reason.other", detail=error)


def render(lang: str, tz: tzinfo, alert: AlertRecord, groups: list[GroupFigures]) -> str:
    """The per-group message (HTML): one line per group, failed ones with their reason;
    lines past `MESSAGE_BUDGET` are summed up in one "and N more" line."""
    head = str(t(lang, "police.figures.title", id=alert.id, count=len(groups)))
    if not groups:
        return head + "\n" + str(t(lang, "police.figures.empty"))
    lines: list[str] = []
    used = utf16_len(head)
    for n, group in enumerate(groups):
        line = render_line(lang, tz, group)
        if used + utf16_len(line) > MESSAGE_BUDGET:
            lines.append(str(t(lang, "police.figures.more", count=len(groups) - n)))
            break
        lines.append(line)
        used += utf16_len(line) + 1
    return head + "\n\n" + "\n".join(lines)


def render_line(lang: str, tz: tzinfo, group: GroupFigures) -> str:
    """One group's line (HTML; names and reasons escaped)."""
    name, kommun = group_name(group), kommun_name(group.kommun_code)
    if group.status in FAILED:
        why = reason(lang, group.error)
        return str(t(lang, "police.figures.failed", group=name, kommun=kommun, reason=why))
    if group.delivered_at is None:
        return str(t(lang, "police.figures.pending", group=name, kommun=kommun))
    return str(
        t(
            lang,
            "police.figures.line",
            group=name,
            kommun=kommun,
            when=format_when(lang, group.delivered_at, tz),
            members=t(lang, "police.figures.members", count=group.members),
            seen=t(lang, "police.figures.seen", count=group.seen),
        )
    )


def to_csv(lang: str, tz: tzinfo, groups: list[GroupFigures]) -> bytes:
    """The same figures as a CSV file: UTF-8 with BOM (spreadsheet programs then read å, ä,
    ö), headers in `lang`, one row per group; `delivered` in local time `tz`, empty when
    the copy was not delivered. Text cells that a spreadsheet would read as a formula
    start with an apostrophe (`observation_export.neutralise`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([t_plain(lang, f"police.figures.csv.{column}") for column in CSV_COLUMNS])
    for group in groups:
        delivered = group.delivered_at
        writer.writerow(
            (
                # Area names are a coordinator's text: "=…" must stay text in a spreadsheet.
                neutralise(group_name(group)),
                neutralise(kommun_name(group.kommun_code)),
                t_plain(lang, f"police.figures.status.{group.status}"),
                delivered.astimezone(tz).strftime("%Y-%m-%d %H:%M") if delivered else "",
                group.members,
                group.seen,
                neutralise(reason(lang, group.error)) if group.status in FAILED else "",
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_lines(lang: str, failed: list[GroupFigures], limit: int = 10) -> list[str]:
    """The delivery report's lines naming the groups that were not reached and why."""
    if not failed:
        return []
    lines = [str(t(lang, "police.report.failed_title"))]
    for group in failed[:limit]:
        lines.append(
            str(
                t(
                    lang,
                    "police.report.failed_group",
                    group=group_name(group),
                    kommun=kommun_name(group.kommun_code),
                    reason=reason(lang, group.error),
                )
            )
        )
    if len(failed) > limit:
        lines.append(str(t(lang, "police.figures.more", count=len(failed) - limit)))
    return lines
