"""Builds the one `Application`: defaults, rate limiter, storage lifecycle, handlers."""

from __future__ import annotations

import logging
import os
from types import ModuleType

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

import handlers.alerts
import handlers.alerts_change
import handlers.alerts_manage
import handlers.core
import handlers.digest_reach
import handlers.errors
import handlers.fallbacks
import handlers.feed
import handlers.groups
import handlers.groups_hello
import handlers.groups_manage
import handlers.groups_settings
import handlers.guard
import handlers.invitations
import handlers.lagesbild
import handlers.membership
import handlers.my_groups
import handlers.observations_export
import handlers.observations_mine
import handlers.observations_notes
import handlers.observations_notify
import handlers.observations_report
import handlers.observations_triage
import handlers.ops
import handlers.presence
import handlers.presence_manage
import handlers.privacy
import handlers.profile
import handlers.surveys
import handlers.tips
import handlers.tracking
import handlers.witness_relay
from bot.api_request import telegram_request
from bot.clock import Clock, SystemClock
from bot.commands import CommandSpec
from bot.context import SERVICES_KEY, BotContext
from bot.delivery import DeliveryWorker
from bot.digest_scheduler import install_digest_scheduler
from bot.feed.poller import install_police_feed
from bot.intake import install_update_intake
from bot.menus import install_menu_resets, set_command_menus
from bot.outbox_retention import install_outbox_retention
from bot.persistence import SqlitePersistence
from bot.ratelimit import PriorityRateLimiter
from bot.routing import install_handler_routing
from bot.runtime import Services
from bot.services.people import PeopleService
from bot.tip_scheduler import install_tip_scheduler
from bot.updates import OrderedUpdateProcessor
from bot.user_data import UserData
from bot.version import app_version
from config import Settings
from storage.db import Database

log = logging.getLogger(__name__)

# Handler groups, in the order PTB runs them for each update (lowest first; in each group
# the first handler whose filter matches runs, and ApplicationHandlerStop ends the update):
#   -2  handlers.tracking         remember who wrote (name, language) before anything answers
#   -1  handlers.guard            forged button presses and anonymous admins stop here
#    0  FEATURE_MODULES, below    the one answer to the update; registration order decides
#    1  handlers.membership       who is in which group, learned from every update
#    2  handlers.observations_notify  a staff member's private message releases held notices
#    3  handlers.digest_reach      ... and a held weekly digest
HANDLER_GROUPS: list[tuple[int, str]] = [
    (handlers.tracking.TRACKING_GROUP, "handlers.tracking"),
    (handlers.guard.GUARD_GROUP, "handlers.guard"),
    (0, "features"),
    (handlers.membership.MEMBERSHIP_GROUP, "handlers.membership"),
    (handlers.observations_notify.CONTACT_GROUP, "handlers.observations_notify"),
    (handlers.digest_reach.CONTACT_GROUP, "handlers.digest_reach"),
]

# The feature modules of group 0, in registration order. In a group the first match wins,
# so dialogues (ConversationHandler) and specific commands/buttons come before any
# catch-all: each feature registers its own stale-button catch-all for its prefix last.
FEATURE_MODULES: list[ModuleType] = [
    handlers.groups_hello,  # first: private-chat commands sent in a group get a pointer
    handlers.alerts,  # the /larm dialogue; then handlers.alerts_manage (acks, /larmlista,
    # update/withdraw), then the stale-button catch-all of the alert prefix
    handlers.groups,  # /registrera and the "which kommun?" answers
    handlers.groups_manage,  # /grupp, /avregistrera, coordinator buttons
    handlers.membership,  # /start <group link> (before handlers.core's plain /start)
    handlers.invitations,  # /start <police invitation> (idem), /bjudin
    handlers.tips,  # the tip library dialogue before the /tips panel buttons
    handlers.feed,  # /polisen
    handlers.observations_report,  # the /rapportera dialogue; then handlers.observations_mine
    handlers.observations_triage,  # the note dialogue, /observationer, /inkorg; then
    # handlers.observations_export and handlers.observations_notify
    handlers.ops,  # /id (/whoami)
    handlers.privacy,  # /integritet, /minadata, /glommig
    handlers.digest_reach,  # a private message releases a held weekly digest
    handlers.my_groups,  # /minagrupper: leave a group in the bot
    handlers.profile,  # /profil: an officer's sender title
    handlers.witness_relay,  # Kontakta: messages relayed between an officer and a witness
    handlers.lagesbild,  # /lagesbild, /karta
    handlers.surveys,  # the /enkat dialogue, /enkater, poll updates
    handlers.presence,  # the /narvaro dialogue, /narvarolista, reminder buttons
    handlers.core,  # /start, /hjalp, /sprak: after the deep-link /start handlers above
]

# Modules that another module's register() registers, because their order relative to its
# handlers matters (named here so the whole order reads in one place; a test checks it).
NESTED_MODULES: dict[ModuleType, list[ModuleType]] = {
    handlers.groups_manage: [handlers.groups_settings],  # /grupp's language and invite link
    handlers.alerts: [handlers.alerts_manage],
    handlers.alerts_manage: [handlers.alerts_change],
    handlers.observations_report: [handlers.observations_mine],
    handlers.observations_triage: [
        handlers.observations_notes,
        handlers.observations_export,
        handlers.observations_notify,
    ],
    handlers.presence: [handlers.presence_manage],  # /narvarolista: cancel and move
    handlers.core: [handlers.fallbacks],  # via register_fallbacks, at the very end
}


def build_application(settings: Settings, *, clock: Clock | None = None) -> Application:
    """Create the Application for these settings; storage opens in post_init.

    The order below is the order things happen in; nothing is subscribed or registered
    later, except the catch-alls (handlers.fallbacks), which are added at start-up so that
    they come after every handler, also those tests add to a built application."""
    clock = clock or SystemClock()
    db = Database(settings.database_path)
    commands: list[CommandSpec] = []
    for module in FEATURE_MODULES:
        commands.extend(getattr(module, "COMMANDS", []))
    services = Services(
        settings=settings,
        db=db,
        clock=clock,
        people=PeopleService(db, clock, settings.default_language),
        commands=commands,
    )

    persistence = SqlitePersistence(db, clock)
    application = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.file_url)
        .request(telegram_request())
        .get_updates_request(telegram_request(get_updates=True))
        .defaults(Defaults(tzinfo=settings.tzinfo, parse_mode=ParseMode.HTML))
        .rate_limiter(PriorityRateLimiter())
        .context_types(ContextTypes(context=BotContext, user_data=UserData))
        .concurrent_updates(OrderedUpdateProcessor())  # in order per person/group
        .updater(None)  # updates come in through the durable intake (bot/intake.py)
        .persistence(persistence)  # dialogues outlive restarts and crashes
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    install_update_intake(application, db, clock)

    # 1. The delivery worker, built now and started in post_init (the first start-up hook).
    #    Everything that listens to its results subscribes below, at build time: the worker
    #    refuses a subscription once it runs, so no result can arrive before its listener.
    services.delivery = DeliveryWorker(db, application.bot, clock)
    services.startup_hooks.append(lambda _app: services.delivery.start())
    services.shutdown_hooks.append(lambda _app: services.delivery.stop())
    install_menu_resets(services)  # an erased person's own menu, removed on Telegram

    # 2. Periodic passes; their start-up hooks run after the worker started. The tip
    #    scheduler subscribes to tip results here (alerts and observation notices subscribe
    #    in their register(), step 3).
    install_tip_scheduler(application, services)
    install_digest_scheduler(application, services)
    install_police_feed(application, services)
    install_outbox_retention(application, services)

    # 3. Handlers, group by group (HANDLER_GROUPS), group 0 in FEATURE_MODULES order.
    handlers.tracking.register(application)
    handlers.guard.register(application)
    for module in FEATURE_MODULES:
        module.register(application)
    handlers.core.register_fallbacks(application)  # /avbryt outside a dialogue, catch-alls
    services.startup_hooks.append(_route_handlers)  # after the catch-alls' start-up hook
    application.add_error_handler(handlers.errors.on_error)  # answers Refused, logs the rest
    persistence.attach(application)
    return application


def services_of(application: Application) -> Services:
    """The Services object of a built application."""
    return application.bot_data[SERVICES_KEY]


def _absolute(path: str) -> str:
    return os.path.abspath(path)  # where a relative DATABASE_PATH really is


async def _route_handlers(application: Application) -> None:
    """Route each group's updates to the handlers that can take them (bot/routing.py)."""
    install_handler_routing(application)


async def _post_init(application: Application) -> None:
    services = services_of(application)
    if not services.db.is_open:  # the persistence opens it when it loads (initialize)
        await services.db.open()
    if services.db.created:
        log.info("created a new database at %s", _absolute(services.db.path))
    for hook in services.startup_hooks:
        await hook(application)
    await set_command_menus(application.bot, services.commands)
    settings = services.settings
    log.info(
        "grannvakt %s started as @%s (%s); database %s",
        app_version(),
        application.bot.username,
        f"webhook {settings.webhook_url}" if settings.webhook_url else "long polling",
        _absolute(services.db.path),
    )


async def _post_stop(application: Application) -> None:
    # Workers stop while the bot's HTTP client is still open, so an in-flight send can
    # finish (or be put back as pending) instead of failing against a closed connection.
    for hook in services_of(application).shutdown_hooks:
        await hook(application)


async def _post_shutdown(application: Application) -> None:
    db = services_of(application).db
    if not db.is_open:
        return  # a start that failed before the database opened: nothing ran, nothing to say
    await db.close()
    log.info("grannvakt stopped; database closed")
