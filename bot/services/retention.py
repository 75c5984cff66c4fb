"""Retention: the daily pass that deletes what is past its keeping time (docs/privacy.md).

Closed or handled observations are deleted `OBSERVATION_RETENTION_DAYS` after their last
change (handled: after the police marked them handled), withdrawn ones after
`WITHDRAWN_RETENTION_DAYS`, with their photos, notes and notices; audit entries after
`AUDIT_RETENTION_DAYS`; people with no group, no role and no activity for
`INACTIVE_PERSON_DAYS` are pseudonymised like an erasure; the copies of the database
grannvakt made itself (before a migration or a restore, storage/backup_copies.py) are
deleted `AUTO_BACKUP_RETENTION_DAYS` after they were made. Each pass logs its counts and
writes one audit entry (`retention.run`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.services import privacy
from bot.services.people import PeopleService
from config import Settings
from storage import backup_copies
from storage import retention as store
from storage.db import Database

log = logging.getLogger(__name__)

EVERY = timedelta(days=1)


@dataclass(frozen=True)
class RetentionReport:
    """What one pass deleted (or, with `dry_run`, would delete)."""

    dry_run: bool
    observations: int
    photos: int
    audit_entries: int
    people: int
    backup_copies: int = 0  # automatic copies of the database (files next to it)

    def line(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (
            f"retention: {verb} {self.observations} observations ({self.photos} photos), "
            f"{self.audit_entries} audit entries, {self.backup_copies} automatic backup "
            f"copies; {'would pseudonymise' if self.dry_run else 'pseudonymised'} "
            f"{self.people} inactive people"
        )


def cutoffs(settings: Settings, now: datetime) -> store.Cutoffs:
    """The moments before which records are due, from the settings."""
    return store.Cutoffs(
        observations=now - timedelta(days=settings.observation_retention_days),
        withdrawn=now - timedelta(days=settings.withdrawn_retention_days),
        audit=now - timedelta(days=settings.audit_retention_days),
        inactive=now - timedelta(days=settings.inactive_person_days),
    )


def backup_cutoff(settings: Settings, now: datetime) -> datetime:
    """Automatic copies of the database made before this moment are due."""
    return now - timedelta(days=settings.auto_backup_retention_days)


async def run(
    db: Database,
    settings: Settings,
    clock: Clock,
    people: PeopleService,
    *,
    dry_run: bool = False,
) -> RetentionReport:
    """One retention pass at `clock.now()`; with `dry_run` nothing changes.

    The automatic copies are those next to `db.path`, the file actually open."""
    now = clock.now()
    limits = cutoffs(settings, now)
    copies_before = backup_cutoff(settings, now)
    inactive = await store.inactive_people(db, limits, settings.admin_user_ids)
    if dry_run:
        due = await store.due(db, limits)
        copies = await asyncio.to_thread(backup_copies.due_copies, db.path, copies_before)
        report = RetentionReport(True, len(due.observation_ids), due.photos, due.audit_entries,
                                 len(inactive), len(copies))  # fmt: skip
        log.info("%s", report.line())
        return report
    for user_id in inactive:
        await privacy.erase(db, clock, people, user_id, audit=False)
    # Before the audit entry, which then holds how many copies went too.
    deleted = await asyncio.to_thread(backup_copies.delete_due_copies, db.path, copies_before)
    done = await store.delete_due(
        db, limits, now, {"people": len(inactive), "backup_copies": len(deleted)}
    )
    report = RetentionReport(
        False,
        len(done.observation_ids),
        done.photos,
        done.audit_entries,
        len(inactive),
        len(deleted),
    )
    log.info("%s", report.line())
    return report


async def last_run(db: Database) -> datetime | None:
    """When the last (real) pass ran, from its audit entry."""
    return await store.last_run(db)
