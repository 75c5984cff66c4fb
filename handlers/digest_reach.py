"""The weekly digest of a staff member who could not be written to privately is delivered
on their next private message (bot/services/digest_reach.py): a result handler holds the
refused digest, a hook in its own handler group releases it."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, TypeHandler

from bot.context import SERVICES_KEY, BotContext
from bot.delivery import FAILED, DeliveryOutcome
from bot.runtime import Services
from bot.services import digest_reach
from bot.services.digests import KIND

log = logging.getLogger(__name__)

# After the observation notices' hook (2): every private update passes here too.
CONTACT_GROUP = 3
_CHECKED_KEY = "digest_reach_checked"  # bot_data: user ids with nothing waiting


async def on_private_contact(update: Update, context: BotContext) -> None:
    """Any private update: enqueue the digest that waited for the person, if any."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type != ChatType.PRIVATE or user is None or user.is_bot:
        return
    checked: set[int] = context.bot_data.setdefault(_CHECKED_KEY, set())
    if user.id in checked:
        return
    services = context.services
    if await digest_reach.on_private_contact(services.db, services.clock, user.id):
        log.info("delivering the held weekly digest to %s", user.id)
        services.delivery.wake()
    checked.add(user.id)


def register(application: Application) -> None:
    """The digest's result handler and the private-contact hook."""
    services: Services = application.bot_data[SERVICES_KEY]

    async def on_result(row_id: int, _ref: int | None, outcome: DeliveryOutcome) -> None:
        if outcome.status != FAILED:
            return
        held = await digest_reach.on_failed(services.db, services.clock, row_id, outcome.error)
        if held is not None:
            log.info("weekly digest for %s held: %s", held, outcome.error)
            application.bot_data.get(_CHECKED_KEY, set()).discard(held)

    services.delivery.register_result_handler(KIND, on_result)
    application.add_handler(TypeHandler(Update, on_private_contact), group=CONTACT_GROUP)
