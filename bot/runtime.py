"""The objects one running bot shares: settings, database, clock and services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from bot.clock import Clock
from bot.commands import CommandSpec
from bot.delivery import DeliveryWorker
from bot.services.people import PeopleService
from config import Settings
from storage.db import Database

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Services:
    """Shared objects, reachable from handlers as `context.services`."""

    settings: Settings
    db: Database
    clock: Clock
    people: PeopleService
    commands: list[CommandSpec] = field(default_factory=list)
    # Async callables (application) -> None, run after storage opened / before it closes;
    # features use them to start and stop their workers and jobs.
    startup_hooks: list[Callable[[AnyApplication], Awaitable[None]]] = field(default_factory=list)
    shutdown_hooks: list[Callable[[AnyApplication], Awaitable[None]]] = field(default_factory=list)
    # The outbox worker; set by build_application right after the bot it sends with exists.
    delivery: DeliveryWorker = field(init=False, repr=False)
