"""Runs first for every update (handler group -2): remember the person and their language.

It also turns away callback data no button of ours can carry (non-ASCII, or a number too
large for storage): such a press gets the short "expired" answer and goes no further, so
no feature handler ever sees it (a forged "ack:²" would otherwise crash int() or SQLite).
Edited messages stop here too: the bot answers new messages, not edits of old ones.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.context import BotContext
from bot.i18n import t_plain
from bot.services.people import Profile

TRACKING_GROUP = -2  # handlers.guard runs next, in -1
# Our callback data holds ASCII words and ids; ids fit SQLite's 64-bit integers (≤ 18 digits).
_TOO_LONG_NUMBER = re.compile(r"[0-9]{19,}")


def malformed_callback_data(data: str | None) -> bool:
    """True for callback data that none of the bot's buttons can have produced."""
    if data is None:
        return False
    return not data.isascii() or _TOO_LONG_NUMBER.search(data) is not None


async def track_user(update: Update, context: BotContext) -> None:
    """Upsert the sender and cache their language in user_data for this update's handlers."""
    user = update.effective_user
    if user is not None and not user.is_bot and context.user_data is not None:
        profile = Profile(
            user_id=user.id,
            first_name=user.first_name,
            last_name=user.last_name,
            username=user.username,
            language_code=user.language_code,
        )
        context.user_data.lang = await context.services.people.seen(profile)
    if update.edited_message is not None or update.edited_channel_post is not None:
        # An edit is not a new request: re-running an edited /register or answering an
        # edited dialogue step twice would surprise people. Membership needs no edits.
        raise ApplicationHandlerStop
    query = update.callback_query
    if query is not None and malformed_callback_data(query.data):
        await query.answer(t_plain(context.lang, "core.stale_button"), show_alert=True)
        raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, track_user), group=TRACKING_GROUP)
