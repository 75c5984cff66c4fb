"""Who may start a survey or announce presence, and which groups they reach.

Targeting is the alerts' (bot/services/alerts.py: all my groups, one kommun, chosen
groups), reused, not copied; surveys add the groups a person coordinates, and the groups
of the kommun role's kommuner (`Role.KOMMUN` may ask residents, not announce presence: see
`may_run_surveys` and `may_announce_presence`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.services import alert_targets, alerts
from bot.services.refusals import Refused
from bot.services.roles import Access
from storage import groups as group_store
from storage.db import Database
from storage.groups import GroupRecord


class Feature(StrEnum):
    SURVEY = "s"
    PRESENCE = "p"


def may_run_surveys(access: Access) -> bool:
    """Police and the kommun role (their kommuner), coordinators (their groups) and admins
    create surveys."""
    return (
        access.is_admin
        or bool(access.police_kommuner)
        or bool(access.kommun_kommuner)
        or bool(access.coordinator_of)
    )


def may_announce_presence(access: Access) -> bool:
    """Police officers (their kommuner) and admins announce presence."""
    return access.is_admin or bool(access.police_kommuner)


def may_use(feature: Feature, access: Access) -> bool:
    """The one permission rule per feature (services and handlers ask this)."""
    if feature is Feature.SURVEY:
        return may_run_surveys(access)
    return may_announce_presence(access)


def check(feature: Feature, access: Access) -> None:
    """Raise Refused("core.not_allowed") unless the person may use the feature."""
    if not may_use(feature, access):
        raise Refused("core.not_allowed")


@dataclass
class Target:
    """Where a draft goes: kind all | kommun | groups (as an alert draft)."""

    kind: str | None = None
    kommun: str | None = None
    group_ids: list[int] = field(default_factory=list)


def _coordinated(feature: Feature, access: Access) -> frozenset[int]:
    return access.coordinator_of if feature is Feature.SURVEY else frozenset()


async def reachable_groups(db: Database, feature: Feature, access: Access) -> list[GroupRecord]:
    """Every active group the person may reach with the feature, by name
    (storage.groups.sorted_by_name)."""
    groups = (
        await alert_targets.reachable_groups(db, access)
        if access.police_kommuner or access.is_admin
        else []
    )
    if feature is Feature.SURVEY and access.kommun_kommuner:  # the kommun role's kommuner
        seen = {g.id for g in groups}
        kommun_groups = await group_store.active_groups(db, sorted(access.kommun_kommuner))
        groups += [g for g in kommun_groups if g.id not in seen]
    known = {g.id for g in groups}
    for group_id in sorted(_coordinated(feature, access) - known):
        group = await group_store.get_group(db, group_id)
        if group is not None and group.is_active:
            groups.append(group)
    return group_store.sorted_by_name(groups)


async def kommun_choices(db: Database, access: Access) -> tuple[list[tuple[str, str, int]], int]:
    """The alerts' kommun buttons (police and admins only)."""
    return await alert_targets.kommun_choices(db, access)


async def check_group(db: Database, feature: Feature, access: Access, group_id: int) -> GroupRecord:
    """A group picked with a button: active and within the person's reach, else Refused."""
    group = await group_store.get_group(db, group_id)
    if group is not None and group.is_active and group.id in _coordinated(feature, access):
        return group
    if (
        feature is Feature.SURVEY
        and group is not None
        and group.is_active
        and group.kommun_code in access.kommun_kommuner
    ):
        return group
    try:
        return await alert_targets.check_group_choice(db, access, group_id)
    except Refused:
        raise Refused("core.not_allowed") from None


async def target_groups(
    db: Database, feature: Feature, access: Access, target: Target
) -> list[GroupRecord]:
    """The groups of a target, re-checked against the person's current roles (Refused)."""
    check(feature, access)
    if target.kind == "all":
        groups = await reachable_groups(db, feature, access)
    elif target.kind == "groups":
        groups = [await check_group(db, feature, access, g) for g in target.group_ids]
    elif feature is Feature.SURVEY and target.kommun in access.kommun_kommuner:
        groups = await group_store.active_groups(db, [target.kommun])
    else:
        draft = alerts.Draft(target_kind=target.kind, kommun=target.kommun)
        groups = await alert_targets.target_groups(db, access, draft)
    if not groups:
        raise Refused("alerts.no_groups")
    return groups
