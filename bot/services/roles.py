"""Who may do what. Roles are always read from storage (or settings), never from input."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from config import Settings
from storage import roles as role_store
from storage.db import Database


class Role(StrEnum):
    RESIDENT = "resident"
    COORDINATOR = "coordinator"
    POLICE = "police"
    ADMIN = "admin"


@dataclass(frozen=True)
class Access:
    """Everything one person may do, as read from storage at the moment of asking."""

    user_id: int
    is_admin: bool
    coordinator_of: frozenset[int]  # group ids
    police_kommuner: frozenset[str]  # kommun codes

    @property
    def roles(self) -> frozenset[Role]:
        roles = {Role.RESIDENT}
        if self.is_admin:
            roles.add(Role.ADMIN)
        if self.coordinator_of:
            roles.add(Role.COORDINATOR)
        if self.police_kommuner:
            roles.add(Role.POLICE)
        return frozenset(roles)

    def coordinates(self, group_id: int) -> bool:
        return group_id in self.coordinator_of

    def polices(self, kommun_code: str | None) -> bool:
        return kommun_code is not None and kommun_code in self.police_kommuner


async def access_of(db: Database, settings: Settings, user_id: int) -> Access:
    """Read a person's roles from storage; admins come from ADMIN_USER_IDS."""
    grants = await role_store.roles_for_user(db, user_id)
    return Access(
        user_id=user_id,
        is_admin=user_id in settings.admin_user_ids,
        coordinator_of=frozenset(int(g.scope) for g in grants if g.role == Role.COORDINATOR),
        police_kommuner=frozenset(g.scope for g in grants if g.role == Role.POLICE),
    )


async def roles_of(db: Database, settings: Settings, user_id: int) -> frozenset[Role]:
    """Every role a person holds (everyone is a resident)."""
    return (await access_of(db, settings, user_id)).roles
