"""What people change from /tips, each change checked against the person's roles first.

Coordinators (and admins) set their group's language and send a tip by hand; admins and
police officers browse the tip library, enable or disable tips and edit their texts.
Every writing function takes who asks (an :class:`Actor`: the person's Access read from
storage for this update, or a system actor) and raises `Refused` (writing nothing) when
the rule does not allow the change; a group's coordinator is confirmed with Telegram again.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.i18n import LANGUAGES
from bot.services import tips as tip_service
from bot.services.roles import (
    Actor,
    ChatAdminCheck,
    actor_id,
    require,
    require_group_manager,
    system,
)
from storage import tips as store
from storage.db import Database
from storage.groups import GroupRecord

MANUAL_PAUSE = dt.timedelta(minutes=10)
"""The least time between two tips a group's coordinators send by hand."""


# -- the group's tips panel (coordinators) -------------------------------------------


class HandSendOutcome(StrEnum):
    """What became of a request to send a group its next tip now."""

    SENT = "sent"
    INACTIVE = "inactive"  # the group is unregistered or the bot has left it
    TOO_SOON = "too_soon"  # a tip was sent by hand less than MANUAL_PAUSE ago
    NOTHING = "nothing"  # no tip is eligible now


async def send_by_hand(
    db: Database,
    tz: ZoneInfo,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group: GroupRecord,
    now: dt.datetime,
) -> HandSendOutcome:
    """Enqueue the group's next tip now, if the pause has passed. Refused unless the actor
    manages the group's tips (as :func:`set_group_language`)."""
    await require_group_manager(db, is_chat_admin, actor, group.id, admins=True)
    if not group.is_active:
        return HandSendOutcome.INACTIVE
    last = await store.last_send_at(db, group.id, "manual")
    if last is not None and now - last < MANUAL_PAUSE:
        return HandSendOutcome.TOO_SOON
    tip = await tip_service.send_now(db, tz, system("tip_admin"), group.id, group.language, now)
    return HandSendOutcome.NOTHING if tip is None else HandSendOutcome.SENT


# -- the tip library (admins and police) ---------------------------------------------


async def library(db: Database) -> list[store.TipRecord]:
    """Every tip, enabled or not, by focus area and key."""
    return await store.list_tips(db)


async def tip_by_id(db: Database, tip_id: int) -> store.TipRecord | None:
    """One tip of the library, None if there is no such tip."""
    return await store.get_tip(db, tip_id)


async def set_tip_enabled(
    db: Database, actor: Actor, tip_id: int, enabled: bool, now: dt.datetime
) -> bool:
    """Enable or disable a tip (audited); False when there is no such tip. Refused unless
    the actor may edit the library (admins, police officers, the CLI)."""
    require(tip_service.may_edit_library(actor))
    return await store.set_tip_enabled(db, tip_id, enabled, actor_id(actor), now)


async def edit_tip_text(
    db: Database, actor: Actor, tip_id: int, lang: str, text: str, now: dt.datetime
) -> bool:
    """Replace a tip's text in one language (audited); False when the language or the text
    is not acceptable (validation: the dialogue asks again), or there is no such tip.
    Refused unless the actor may edit the library."""
    require(tip_service.may_edit_library(actor))
    if lang not in LANGUAGES or tip_service.tip_text_problem(text) is not None:
        return False
    return await store.update_tip_text(db, tip_id, lang, text.strip(), actor_id(actor), now)
