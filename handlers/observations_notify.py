"""Private notifications to staff about an observation: new ones to the group's
coordinators, forwarded ones to the kommun's police. Failures are only logged."""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import t
from bot.services import observations as svc
from handlers.observations_render import coordinator_keyboard, detail_text, police_keyboard
from storage.observations import Observation, get_observation

log = logging.getLogger(__name__)


async def notify_coordinators(context: BotContext, obs_id: int, user_ids: tuple[int, ...]) -> None:
    """Send a new observation to each coordinator privately; failures are only logged
    (the observation is stored and stays visible in /observations)."""
    services = context.services
    obs = await get_observation(services.db, obs_id)
    if obs is None:
        return
    for user_id in user_ids:
        lang = await services.people.language_of(user_id)
        text = (
            t(lang, "obs.notify.coordinator", area=obs.group_area)
            + "\n\n"
            + detail_text(lang, obs, svc.Viewer.COORDINATOR, services.settings.tzinfo)
        )
        try:
            await context.bot.send_message(
                user_id, text, reply_markup=coordinator_keyboard(lang, obs, details=True)
            )
        except TelegramError as exc:
            log.warning("could not notify coordinator %s of %s: %s", user_id, obs.reference, exc)


async def notify_police(context: BotContext, obs: Observation, user_ids: tuple[int, ...]) -> None:
    """Send a forwarded observation to the kommun's police; failures are only logged
    (the forward is stored and stays in /inbox)."""
    services = context.services
    for user_id in user_ids:
        lang = await services.people.language_of(user_id)
        text = (
            t(lang, "obs.notify.police", area=obs.group_area)
            + "\n\n"
            + detail_text(lang, obs, svc.Viewer.POLICE, services.settings.tzinfo)
        )
        try:
            await context.bot.send_message(
                user_id, text, reply_markup=police_keyboard(lang, obs, details=True)
            )
        except TelegramError as exc:
            log.warning("could not notify police %s of %s: %s", user_id, obs.reference, exc)
