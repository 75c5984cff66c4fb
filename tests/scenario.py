"""A test's world built straight in storage, the way the bot's own flows would leave it:
registered groups with their coordinators and residents, police for a kommun, people who
have talked to the bot, a sent alert. Works on a bare Database (unit tests) and on a
BotHarness (end-to-end tests; `Scenario.of(harness)`).

    world = Scenario(db, NOW)
    group = await world.group(-100, "Björkhagen", "0180", coordinators=[cora], residents=[rut])
    await world.police(pia, "0180")
    alert_id = await world.alert(person(pia.id, polices=["0180"]), "Inbrott på Storgatan")

People are user ids or anything with an `.id` (the emulator's `User`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.services import alerts as alert_service
from bot.services.roles import Access
from storage import groups as group_store
from storage import roles as role_store
from storage import users as user_store
from storage.db import Database
from tests.harness import BotHarness


class HasId(Protocol):
    @property
    def id(self) -> int: ...


Person = int | HasId
STOCKHOLM = ZoneInfo("Europe/Stockholm")  # the bot's default time zone


def user_id(who: Person) -> int:
    return who if isinstance(who, int) else who.id


@dataclass
class Scenario:
    """Writes through the storage modules at the fixed time `now`."""

    db: Database
    now: datetime

    @classmethod
    def of(cls, harness: BotHarness) -> Scenario:
        """The running bot's database, at its clock's time."""
        return cls(harness.services.db, harness.services.clock.now())

    async def group(
        self,
        chat_id: int,
        area: str = "Området",
        kommun: str = "0180",
        *,
        title: str | None = None,
        coordinators: Iterable[Person] = (),
        residents: Iterable[Person] = (),
        language: str = "sv",
        present: bool = True,
    ) -> int:
        """A group registered for `area` in `kommun` (chat title `title`, default the area);
        its coordinators get the role, its residents join by the group's link. Returns the
        group id."""
        db, now = self.db, self.now
        group = await group_store.ensure_group(db, chat_id, title or area, now)
        await group_store.register_group(db, group.id, area, kommun, now)
        if language != "sv":
            await group_store.set_group_language(db, group.id, language, now)
        if not present:
            await group_store.set_bot_present(db, group.id, False, now)
        for who in coordinators:
            await self.coordinator(who, group.id)
        await self.residents(group.id, *residents)
        return group.id

    async def coordinator(self, who: Person, group_id: int) -> None:
        await role_store.grant_role(
            self.db, user_id(who), "coordinator", str(group_id), None, self.now
        )

    async def residents(self, group_id: int, *people: Person, source: str = "deep_link") -> None:
        for who in people:
            await group_store.add_member(self.db, group_id, user_id(who), source, self.now)

    async def police(self, who: Person, *kommuner: str) -> None:
        """The police role for each kommun (default 0180)."""
        for code in kommuner or ("0180",):
            await role_store.grant_role(self.db, user_id(who), "police", code, None, self.now)

    async def person(
        self, who: Person, first_name: str = "Test", language: str | None = "sv"
    ) -> None:
        """Someone who has talked to the bot (their Telegram language known)."""
        await user_store.upsert_user(
            self.db,
            user_id(who),
            first_name=first_name,
            last_name=None,
            username=None,
            telegram_language_code=language,
            now=self.now,
        )

    async def alert(
        self,
        sender: Access,
        body: str = "Inbrott på Storgatan",
        *,
        category: str = "burglary",
        group_ids: Iterable[int] | None = None,
        kommun: str | None = None,
        language: str = "sv",
    ) -> int:
        """An alert created as /larm does (its outbox rows enqueued, not yet delivered) to
        every group the sender may reach, or the given groups, or one kommun's groups."""
        if group_ids is not None:
            draft = alert_service.Draft(target_kind="groups", group_ids=list(group_ids))
        elif kommun is not None:
            draft = alert_service.Draft(target_kind="kommun", kommun=kommun)
        else:
            draft = alert_service.Draft(target_kind="all")
        draft.category, draft.body = category, body
        created = await alert_service.create_alert(
            self.db, FixedClock(self.now), STOCKHOLM, sender, draft, language
        )
        return created.alert_id
