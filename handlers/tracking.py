"""Runs first for every update (handler group -1): remember the person and their language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.context import BotContext
from bot.services.people import Profile

TRACKING_GROUP = -1


async def track_user(update: Update, context: BotContext) -> None:
    """Upsert the sender and cache their language in user_data for this update's handlers."""
    user = update.effective_user
    if user is None or user.is_bot or context.user_data is None:
        return
    profile = Profile(
        user_id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
    )
    context.user_data["lang"] = await context.services.people.seen(profile)


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, track_user), group=TRACKING_GROUP)
