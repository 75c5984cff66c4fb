"""Who may send a police alert to which groups: police officers to the active groups of
their kommuner, admins to every active group; the kommun buttons of the /larm target step
and the re-check of a draft's target (Refused when roles changed or a button was forged).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.kommuner import find_kommun_by_code
from bot.services.refusals import Refused
from bot.services.roles import Access
from storage import groups as group_store
from storage.db import Database
from storage.groups import GroupRecord
from storage.name_order import name_key

if TYPE_CHECKING:
    from bot.services.alerts import Draft


def may_send_alerts(access: Access) -> bool:
    """Police officers (for their kommuner) and admins (everywhere) send alerts."""
    return access.is_admin or bool(access.police_kommuner)


def scope_of(access: Access) -> list[str] | None:
    """Kommun codes the person may target, or None for every group (admins)."""
    return None if access.is_admin else sorted(access.police_kommuner)


def may_target(access: Access, group: GroupRecord) -> bool:
    return group.is_active and (access.is_admin or access.polices(group.kommun_code))


async def reachable_groups(db: Database, access: Access) -> list[GroupRecord]:
    """Every active group the person may send an alert to."""
    return await group_store.active_groups(db, scope_of(access))


# An inline keyboard holds at most 100 buttons, and a phone shows far fewer: admins (who
# may target every kommun) see the kommuner with the most groups first, up to this many.
KOMMUN_BUTTONS = 40


async def kommun_choices(
    db: Database, access: Access, limit: int = KOMMUN_BUTTONS
) -> tuple[list[tuple[str, str, int]], int]:
    """(code, name, number of active groups) for the kommuner the person may target, by
    name, at most `limit` (those with the most groups), and how many were left out."""
    counts: dict[str, int] = {}
    for group in await reachable_groups(db, access):
        if group.kommun_code:
            counts[group.kommun_code] = counts.get(group.kommun_code, 0) + 1
    codes = set(counts) | (set() if access.is_admin else set(access.police_kommuner))
    choices = [(code, kommun_name(code), counts.get(code, 0)) for code in codes]
    shown = sorted(choices, key=lambda c: (-c[2], name_key(c[1]), c[0]))[:limit]
    return sorted(shown, key=lambda c: (name_key(c[1]), c[0])), len(choices) - len(shown)


def kommun_name(code: str | None) -> str:
    kommun = find_kommun_by_code(code) if code else None
    return kommun.name if kommun else (code or "?")


async def target_groups(db: Database, access: Access, draft: Draft) -> list[GroupRecord]:
    """The groups a draft targets, re-checked against the person's current roles."""
    if draft.target_kind == "all":
        return await reachable_groups(db, access)
    if draft.target_kind == "kommun":
        if draft.kommun is None or not (access.is_admin or access.polices(draft.kommun)):
            raise Refused("core.not_allowed")
        return await group_store.active_groups(db, [draft.kommun])
    if draft.target_kind in ("groups", "place"):
        chosen: list[GroupRecord] = []
        for group_id in draft.group_ids:
            group = await group_store.get_group(db, group_id)
            if group is None or not may_target(access, group):
                raise Refused("core.not_allowed")
            chosen.append(group)
        return chosen
    raise Refused("core.stale_button")


async def check_group_choice(db: Database, access: Access, group_id: int) -> GroupRecord:
    """A group picked with a button: it must exist, be active and be in the person's scope."""
    group = await group_store.get_group(db, group_id)
    if group is None or not may_target(access, group):
        raise Refused("core.not_allowed")
    return group
