"""Who belongs to which watch group, learned from what the bot sees and from deep links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage import groups as group_store
from storage.db import Database
from storage.groups import GroupRecord


class MembershipTracker:
    """Records memberships, skipping database writes for pairs it has recorded already.

    The cache only remembers "already a member"; any leave, kick or migration clears the
    affected entries, so the database stays the source of truth.
    """

    def __init__(self, db: Database, max_cached: int = 50_000) -> None:
        self._db = db
        self._known: set[tuple[int, int]] = set()  # (chat id, user id) recorded as member
        self._max_cached = max_cached

    async def seen(
        self, now: datetime, chat_id: int, title: str, user_id: int, source: str
    ) -> bool:
        """A person was seen in a group chat; True if this made them a (new) member."""
        if (chat_id, user_id) in self._known:
            return False
        group = await group_store.get_group_by_chat(self._db, chat_id)
        if group is None:
            group = await group_store.ensure_group(self._db, chat_id, title, now)
        added = await group_store.add_member(self._db, group.id, user_id, source, now)
        if len(self._known) >= self._max_cached:
            self._known.clear()
        self._known.add((chat_id, user_id))
        return added

    async def left(self, now: datetime, chat_id: int, user_id: int) -> None:
        """A person left or was removed from a group chat."""
        self._known.discard((chat_id, user_id))
        group = await group_store.get_group_by_chat(self._db, chat_id)
        if group is not None:
            await group_store.remove_member(self._db, group.id, user_id, now)

    def forget_chat(self, chat_id: int) -> None:
        """Drop cached entries of a chat (after a migration)."""
        self._known = {pair for pair in self._known if pair[0] != chat_id}


@dataclass(frozen=True)
class DeepLinkJoin:
    group: GroupRecord
    new: bool


async def join_by_deep_link(
    db: Database, now: datetime, group_id: int, user_id: int
) -> DeepLinkJoin | None:
    """A person opened a group's link; None when the group is not (or no longer) active."""
    group = await group_store.get_group(db, group_id)
    if group is None or not group.is_active:
        return None
    new = await group_store.add_member(db, group.id, user_id, "deep_link", now)
    return DeepLinkJoin(group, new)


async def groups_of(db: Database, user_id: int) -> list[GroupRecord]:
    """Active (registered, bot present) groups a person belongs to."""
    return [g for g in await group_store.groups_of_member(db, user_id) if g.bot_present]
