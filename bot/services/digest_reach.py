"""A weekly digest for a staff member Telegram refused (they never opened the private chat
with the bot, or blocked it) waits for their next private message, like the observation
notices held by bot/services/observation_notices.py.

The digest's outbox row carries its ISO week in its message's `meta` (`week`); when it finally fails
with such a refusal it is held (the newest week per person) and enqueued again, once, when
the person writes to the bot privately. No Telegram types here.
"""

from __future__ import annotations

import json
from typing import Any

from bot.clock import Clock
from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services.digests import KIND, WEEK
from bot.services.observation_held import unreachable_error
from storage import digest_reach as store
from storage import outbox
from storage import roles as role_store
from storage.db import Database
from storage.outbox import OutgoingMessage, SendText, decode


async def on_failed(db: Database, clock: Clock, row_id: int, error: str | None) -> int | None:
    """A digest row finally failed: hold it when Telegram refuses the person privately.
    Returns the person's user id when held, else None (another failure: not retried)."""
    row = await outbox.get_row(db, row_id)
    if row is None or row.chat_id is None or row.kind != KIND or not unreachable_error(error):
        return None
    message = row.message
    if not isinstance(message, SendText):  # the chart photo: the text digest is what waits
        return None
    payload = json.loads(row.payload)
    await store.hold(db, row.chat_id, str(message.meta.get(WEEK, "")), payload, clock.now())
    return row.chat_id


async def on_private_contact(db: Database, clock: Clock, user_id: int) -> bool:
    """The person wrote to the bot privately: enqueue the digest that waited, if any, when
    they still hold a staff role (coordinator, police, kommun) — a digest held before the
    role was revoked is dropped, not delivered."""
    if not await role_store.roles_for_user(db, user_id):
        if await store.waiting(db, user_id) is not None:
            await store.discard(db, user_id)
        return False

    def make(_week: str, payload: dict[str, Any]) -> OutgoingMessage:
        return OutgoingMessage(PRIORITY_SCHEDULED, KIND, decode(payload), chat_id=user_id)

    return await store.release(db, user_id, make, clock.now())
