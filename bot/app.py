"""Builds the one `Application`: defaults, rate limiter, storage lifecycle, handlers."""

from __future__ import annotations

import logging
import os
from types import ModuleType

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

import handlers.alerts
import handlers.core
import handlers.digest_reach
import handlers.errors
import handlers.feed
import handlers.groups
import handlers.groups_manage
import handlers.guard
import handlers.invitations
import handlers.membership
import handlers.my_groups
import handlers.observations_report
import handlers.observations_triage
import handlers.privacy
import handlers.tips
import handlers.tracking
from bot.clock import Clock, SystemClock
from bot.commands import CommandSpec
from bot.context import SERVICES_KEY, BotContext
from bot.delivery import DeliveryWorker
from bot.digest_scheduler import install_digest_scheduler
from bot.feed.poller import install_police_feed
from bot.intake import install_update_intake
from bot.menus import set_command_menus
from bot.persistence import SqlitePersistence
from bot.ratelimit import PriorityRateLimiter
from bot.runtime import Services
from bot.services.people import PeopleService
from bot.tip_scheduler import install_tip_scheduler
from bot.updates import OrderedUpdateProcessor
from bot.user_data import UserData
from config import Settings
from storage.db import Database

log = logging.getLogger(__name__)

# Feature handler modules, in registration order. Order matters: conversations and
# specific commands first; `handlers.core.register_fallbacks` runs after all of them.
FEATURE_MODULES: list[ModuleType] = [
    handlers.alerts,
    handlers.groups,
    handlers.groups_manage,
    handlers.membership,
    handlers.invitations,
    handlers.tips,
    handlers.feed,
    handlers.observations_report,
    handlers.observations_triage,
    handlers.privacy,
    handlers.digest_reach,
    handlers.my_groups,
    handlers.core,
]


def build_application(settings: Settings, *, clock: Clock | None = None) -> Application:
    """Create the Application for these settings; storage opens in post_init."""
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
    services.delivery = DeliveryWorker(db, application.bot, clock)
    services.startup_hooks.append(lambda _app: services.delivery.start())
    services.shutdown_hooks.append(lambda _app: services.delivery.stop())
    install_tip_scheduler(application, services)
    install_digest_scheduler(application, services)
    install_police_feed(application, services)

    handlers.tracking.register(application)
    handlers.guard.register(application)  # forged presses and anonymous admins stop here
    for module in FEATURE_MODULES:
        module.register(application)
    handlers.core.register_fallbacks(application)
    application.add_error_handler(handlers.errors.on_error)
    persistence.attach(application)
    return application


def services_of(application: Application) -> Services:
    """The Services object of a built application."""
    return application.bot_data[SERVICES_KEY]


def _absolute(path: str) -> str:
    return os.path.abspath(path)  # where a relative DATABASE_PATH really is


async def _post_init(application: Application) -> None:
    services = services_of(application)
    if not services.db.is_open:  # the persistence opens it when it loads (initialize)
        await services.db.open()
    if services.db.created:
        log.info("created a new database at %s", _absolute(services.db.path))
    for hook in services.startup_hooks:
        await hook(application)
    await set_command_menus(application.bot, services.commands, services.settings.default_language)
    log.info(
        "grannvakt started as @%s; database %s",
        application.bot.username,
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
