"""Who may do what. Roles are always read from storage (or settings), never from input."""

from __future__ import annotations

from enum import StrEnum

from config import Settings
from storage.db import Database


class Role(StrEnum):
    RESIDENT = "resident"
    COORDINATOR = "coordinator"
    POLICE = "police"
    ADMIN = "admin"


async def roles_of(db: Database, settings: Settings, user_id: int) -> frozenset[Role]:
    """Every role a person holds. Everyone is a resident; admins come from ADMIN_USER_IDS."""
    roles = {Role.RESIDENT}
    if user_id in settings.admin_user_ids:
        roles.add(Role.ADMIN)
    return frozenset(roles)
