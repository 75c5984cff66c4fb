"""Listings of observations: the coordinator list and its filter, the police inbox and a
resident's own reports, one page at a time. Re-exported by bot.services.observations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.services.roles import ChatAdminCheck, access_following_telegram, access_of
from config import Settings
from storage import groups as group_store
from storage import observation_lists
from storage.db import Database

STATUSES = ("new", "reviewed", "forwarded", "closed")
STATUS_CODES = {"n": "new", "r": "reviewed", "f": "forwarded", "c": "closed"}
STATUS_CODE_OF = {name: code for code, name in STATUS_CODES.items()}
PERIODS = (7, 30, 365, 0)  # days; 0 = everything
PAGE_SIZE = 5


@dataclass(frozen=True)
class ListFilter:
    """The coordinator listing's filter (its button: handlers.observations_buttons.ObsListing)."""

    status: str | None = None  # one of STATUSES, None = all
    category: str | None = None  # one of CATEGORIES, None = all
    period: int = 30  # days, 0 = all
    page: int = 0


@dataclass(frozen=True)
class Page:
    items: list[observation_lists.ListItem]
    has_next: bool
    areas: dict[int, str]


async def coordinator_page(
    db: Database,
    settings: Settings,
    clock: Clock,
    user_id: int,
    flt: ListFilter,
    is_chat_admin: ChatAdminCheck,
) -> Page | None:
    """A page of the person's groups' observations, or None if they coordinate no group
    (stored roles, kept only for chats `is_chat_admin` says they still administer)."""
    access = await access_following_telegram(db, settings, is_chat_admin, user_id)
    if not access.coordinator_of:
        return None
    since = clock.now() - timedelta(days=flt.period) if flt.period else None
    rows = await observation_lists.list_for_groups(
        db,
        access.coordinator_of,
        status=flt.status,
        category=flt.category,
        since=since,
        limit=PAGE_SIZE + 1,
        offset=flt.page * PAGE_SIZE,
    )
    return Page(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, await _areas(db, rows))


async def inbox_page(db: Database, settings: Settings, user_id: int, page: int) -> Page | None:
    """A page of the police inbox, or None if the person is no police officer."""
    access = await access_of(db, settings, user_id)
    if not access.police_kommuner:
        return None
    rows = await observation_lists.inbox(
        db, access.police_kommuner, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE
    )
    return Page(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, await _areas(db, rows))


async def own_reports(db: Database, user_id: int, limit: int = 10) -> Page:
    """The resident's own latest reports."""
    rows = await observation_lists.list_for_reporter(db, user_id, limit)
    return Page(rows, False, await _areas(db, rows))


async def _areas(db: Database, rows: list[observation_lists.ListItem]) -> dict[int, str]:
    areas: dict[int, str] = {}
    for group_id in {row.group_id for row in rows}:
        group = await group_store.get_group(db, group_id)
        areas[group_id] = (group.area_name or group.title) if group else "?"
    return areas
