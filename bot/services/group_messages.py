"""Messages the bot posts into a group on its own account, through the durable outbox.

The delivery worker resolves the group to its current chat and forum topic at send time,
follows a supergroup migration, marks the group inactive on 403 and retries network
errors: handlers do not repeat that error handling around a direct send_message.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.ratelimit import PRIORITY_ALERT
from storage import outbox
from storage.db import Database
from storage.outbox import Markup, OutgoingMessage, SendText

KIND_EXPLANATION = "group_explanation"  # ref_id = group id: what the bot does, after /register


async def post_explanation(
    db: Database, clock: Clock, group_id: int, text: str, reply_markup: Markup | None
) -> None:
    """Enqueue the explanation posted after a registration (the caller wakes the worker)."""
    message = OutgoingMessage(
        PRIORITY_ALERT,
        KIND_EXPLANATION,
        SendText(text, reply_markup),
        group_id=group_id,
        ref_id=group_id,
    )
    async with db.transaction() as conn:
        await outbox.enqueue_many(conn, [message], clock.now())
