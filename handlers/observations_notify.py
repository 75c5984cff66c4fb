"""Private notifications to staff about observations (bot/services/observation_notices.py).

This module renders them (`Renderer`), handles their delivery results (a refused
notification is held) and delivers what waited for a person on their next private
message (`on_private_contact`, in its own handler group so it sees every update).
Nothing here is awaited by the handler that caused a notification.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, TypeHandler
from telegram.helpers import create_deep_linked_url

from bot.api_request import without_result
from bot.context import SERVICES_KEY, BotContext
from bot.delivery import FAILED, DeliveryOutcome
from bot.i18n import Html, t, t_plain
from bot.runtime import Services
from bot.services import observation_held
from bot.services import observation_notices as notices
from bot.services import observations as svc
from handlers.guard import fresh_chat_admin_check
from handlers.observations_render import coordinator_keyboard, detail_text, police_keyboard
from storage.observations import Observation
from storage.outbox import SendText

log = logging.getLogger(__name__)

# After the features (0) and membership (1): the person's own answer goes first, and the
# tracker (-1) has stored their language.
CONTACT_GROUP = 2
_KNOWN_OPEN_KEY = "obs_private_open"  # bot_data: user ids already seen privately


class Renderer:
    """Outbox messages for observation notifications (see notices.NoticeRenderer)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def notice(self, lang: str, obs: Observation, viewer: str) -> SendText:
        as_viewer = svc.Viewer(viewer)
        header = "obs.notify.coordinator" if viewer == "coordinator" else "obs.notify.police"
        keyboard = coordinator_keyboard if viewer == "coordinator" else police_keyboard
        text = (
            t(lang, header, area=obs.group_area)
            + "\n\n"
            + detail_text(lang, obs, as_viewer, self.tz)
        )
        markup = keyboard(lang, obs, details=True)
        return SendText(text, markup.to_dict() if markup is not None else None)

    def summary(self, lang: str, observations: list[Observation]) -> SendText:
        lines = "\n".join(
            t(lang, "obs.waited.line", reference=o.reference, area=o.group_area)
            for o in observations
        )
        return SendText(t(lang, "obs.waited.summary", count=len(observations), lines=Html(lines)))

    def unreached(self, lang: str, reference: str) -> SendText:
        return SendText(t(lang, "obs.unreached.later", reference=reference))

    def withdrawn(self, lang: str, reference: str) -> SendText:
        return SendText(t(lang, "obs.withdrawn.notice", reference=reference))


async def open_chat_request(context: BotContext, user_id: int, name: str, lang: str) -> str | None:
    """A line asking a new coordinator to open the private chat with the bot, or None if
    they already did: Telegram lets no bot write first, and residents' reports reach
    coordinators only there. (The group's explanation carries the button that opens it.)"""
    if await notices.private_chat_open(context.services.db, user_id):
        return None
    return t(lang, "obs.staff.open_chat", name=name)


async def ask_to_open_private_chat(
    context: BotContext, message: Message, user_id: int, name: str
) -> None:
    """In a group, ask a coordinator just added to open the private chat with the bot,
    with a button, unless they already did. The report itself is never posted in a group."""
    lang = context.lang  # of whoever acted in the group, who reads the reply
    text = await open_chat_request(context, user_id, name, lang)
    if text is None:
        return
    private_chat = create_deep_linked_url(context.bot.username)
    button = InlineKeyboardButton(t_plain(lang, "obs.staff.open_chat.button"), url=private_chat)
    try:
        await without_result(
            message.reply_text(text, reply_markup=InlineKeyboardMarkup([[button]]))
        )
    except TelegramError as exc:  # the role is granted; the notices wait for them anyway
        log.warning("could not ask %s to open the private chat: %s", user_id, exc)


def notifier(services: Services) -> svc.Notifier:
    """The Notifier the observation services need, for this bot."""
    return svc.Notifier(services.people, Renderer(services.settings.tzinfo))


async def on_private_contact(update: Update, context: BotContext) -> None:
    """Any private update: the person can be written to; deliver what waited for them."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type != ChatType.PRIVATE or user is None or user.is_bot:
        return
    known: set[int] = context.bot_data.setdefault(_KNOWN_OPEN_KEY, set())
    if user.id in known:
        return
    services = context.services
    released = await observation_held.on_private_contact(
        services.db,
        services.settings,
        services.clock,
        services.people,
        Renderer(services.settings.tzinfo),
        user.id,
        fresh_chat_admin_check(context),
    )
    known.add(user.id)
    if released:
        log.info("delivering %d held observation notice(s) to %s", released, user.id)
        services.delivery.wake()


def register(application: Application) -> None:
    """Register the result handlers of the notice kinds and the private-contact hook."""
    services: Services = application.bot_data[SERVICES_KEY]

    async def on_result(row_id: int, _ref: int | None, outcome: DeliveryOutcome) -> None:
        if outcome.status != FAILED:
            return
        held = await observation_held.on_delivery_failed(
            services.db,
            services.clock,
            services.people,
            Renderer(services.settings.tzinfo),
            row_id,
            outcome.error,
        )
        if held.user_id is not None:
            log.info("observation notice for %s held: %s", held.user_id, outcome.error)
            # Watch for their next private message again (they may have blocked the bot).
            application.bot_data.get(_KNOWN_OPEN_KEY, set()).discard(held.user_id)
        if held.resident_told:
            services.delivery.wake()

    for kind in (
        notices.KIND_COORDINATOR,
        notices.KIND_POLICE,
        notices.KIND_SUMMARY,
        notices.KIND_RESIDENT,
    ):
        services.delivery.register_result_handler(kind, on_result)
    application.add_handler(TypeHandler(Update, on_private_contact), group=CONTACT_GROUP)
