"""Private notifications to staff about an observation: new ones to the group's
coordinators, forwarded ones to the kommun's police. Failures are only logged."""

from __future__ import annotations

import logging
from typing import Protocol

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import t
from bot.services import observations as svc
from handlers.observations_render import coordinator_keyboard, detail_text, police_keyboard
from storage.observations import Observation

log = logging.getLogger(__name__)


class _Keyboard(Protocol):
    """coordinator_keyboard or police_keyboard."""

    def __call__(
        self, lang: str, obs: Observation, details: bool
    ) -> InlineKeyboardMarkup | None: ...


async def notify_coordinators(context: BotContext, obs_id: int, user_ids: tuple[int, ...]) -> None:
    """Send a new observation to each coordinator privately; failures are only logged
    (the observation is stored and stays visible in /observations)."""
    obs = await svc.get_observation(context.services.db, obs_id)
    if obs is None:
        return
    await _notify(
        context,
        obs,
        user_ids,
        "obs.notify.coordinator",
        svc.Viewer.COORDINATOR,
        coordinator_keyboard,
    )


async def notify_police(context: BotContext, obs: Observation, user_ids: tuple[int, ...]) -> None:
    """Send a forwarded observation to the kommun's police; failures are only logged
    (the forward is stored and stays in /inbox)."""
    await _notify(context, obs, user_ids, "obs.notify.police", svc.Viewer.POLICE, police_keyboard)


async def _notify(
    context: BotContext,
    obs: Observation,
    user_ids: tuple[int, ...],
    header_key: str,
    viewer: svc.Viewer,
    keyboard: _Keyboard,
) -> None:
    """Send each person, in their language, a header plus the observation as `viewer` sees
    it, with the viewer's buttons; a failed send is logged and the rest still go out."""
    services = context.services
    for user_id in user_ids:
        lang = await services.people.language_of(user_id)
        text = (
            t(lang, header_key, area=obs.group_area)
            + "\n\n"
            + detail_text(lang, obs, viewer, services.settings.tzinfo)
        )
        try:
            await context.bot.send_message(
                user_id, text, reply_markup=keyboard(lang, obs, details=True)
            )
        except TelegramError as exc:
            log.warning(
                "could not notify %s %s of %s: %s", viewer.value, user_id, obs.reference, exc
            )
