"""The buttons of /group (/grupp) and /unregister: the coordinators' screen, the way back to
the overview, and unregistering's ask / confirm / keep.

Declared apart from their handlers (handlers/groups_manage.py, handlers/groups_coordinators.py)
because both of those modules make and read them, and tests build their data with the same
classes.
"""

from __future__ import annotations

import enum

from bot.callbacks import CallbackData


class CoordinatorList(CallbackData, prefix="gcoords"):
    """/group: show the group's admins as co-coordinator toggles."""

    group_id: int


class GroupOverview(CallbackData, prefix="gview"):
    """Back to /group's overview from one of its screens (the coordinators' list)."""

    group_id: int


class CoordinatorToggle(CallbackData, prefix="gcoord"):
    """Add an admin of the group as co-coordinator, or remove one."""

    group_id: int
    user_id: int


class UnregisterStep(enum.StrEnum):
    ASK = "ask"
    YES = "yes"
    NO = "no"


class Unregister(CallbackData, prefix="gunreg"):
    """/group and /unregister: ask, then confirm or keep."""

    group_id: int
    step: UnregisterStep
