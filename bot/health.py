"""Is the bot healthy? One report for `grannvakt status` (text) and `GET /healthz` (JSON).

Unhealthy when the database cannot be read, when a due outbox message has waited more
than `OUTBOX_STUCK` (the delivery worker is stuck or Telegram refuses us), or when the
police feed (if enabled) has failed for more than `FEED_FAILING` without a good answer.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.version import app_version
from config import Settings
from storage.db import Database, latest_schema_version
from storage.health import HealthFigures, read_figures

log = logging.getLogger(__name__)

OUTBOX_STUCK = timedelta(minutes=10)
FEED_FAILING = timedelta(hours=1)


@dataclass
class HealthReport:
    """The state at `checked_at`; `problems` is empty when healthy (one line each)."""

    checked_at: datetime
    database_path: str
    database_size: int | None  # bytes, the -wal file included; None if it is missing
    feed_enabled: bool
    figures: HealthFigures | None  # None when the database could not be read
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of /healthz (times in UTC ISO 8601, ages in seconds)."""
        f = self.figures
        body: dict[str, Any] = {
            "status": "ok" if self.healthy else "unhealthy",
            "problems": self.problems,
            "version": app_version(),
            "checked_at": _iso(self.checked_at),
            "database": {
                "ok": f is not None,
                "size_bytes": self.database_size,
                "schema_version": f.schema_version if f else None,
                "schema_expected": latest_schema_version(),
            },
        }
        if f is None:
            return body
        body["outbox"] = {
            "pending": f.outbox_pending,
            "oldest_pending_since": _iso(f.outbox_oldest_due),
            "oldest_pending_age_seconds": _age(self.checked_at, f.outbox_oldest_due),
            "failed_last_24h": f.outbox_failed_24h,
        }
        body["tips"] = {"last_pass": _iso(f.last_tip_pass)}
        body["digests"] = {"last_sent": _iso(f.last_digest)}
        body["feed"] = {
            "enabled": self.feed_enabled,
            "last_poll": _iso(f.last_feed_call),
            "last_result": f.last_feed_outcome,
            "failing_since": _iso(f.feed_failing_since),
        }
        body["counts"] = {
            "active_groups": f.active_groups,
            "people": f.people,
            "open_observations": f.open_observations,
        }
        return body

    def lines(self, zone: Any) -> list[str]:
        """The report for a person: one `name: value` line each, times in `zone`."""

        def when(moment: datetime | None) -> str:
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if moment else "never"

        size = "missing" if self.database_size is None else _size(self.database_size)
        out = [f"status: {'ok' if self.healthy else 'UNHEALTHY'}"]
        out += [f"problem: {p}" for p in self.problems]
        out.append(f"version: {app_version()}")
        out.append(f"database: {self.database_path} ({size})")
        f = self.figures
        if f is None:
            return out
        out += [
            f"schema version: {f.schema_version} (this grannvakt: {latest_schema_version()})",
            f"outbox pending: {f.outbox_pending}",
            f"outbox oldest due pending: {when(f.outbox_oldest_due).replace('never', 'none')}",
            f"outbox failures in the last 24 h: {f.outbox_failed_24h}",
            f"last tip pass: {when(f.last_tip_pass)}",
            f"last digest: {when(f.last_digest)}",
        ]
        if self.feed_enabled:
            result = f" ({f.last_feed_outcome})" if f.last_feed_outcome else ""
            out.append(f"last feed poll: {when(f.last_feed_call)}{result}")
        else:
            out.append("last feed poll: feed disabled (POLICE_FEED_ENABLED=false)")
        out += [
            f"active groups: {f.active_groups}",
            f"people: {f.people}",
            f"open observations: {f.open_observations}",
        ]
        return out


async def check_health(db: Database, clock: Clock, settings: Settings) -> HealthReport:
    """Read the figures from `db` (open) and judge them; never raises for a bad database."""
    now = clock.now()
    report = HealthReport(
        checked_at=now,
        database_path=db.path,
        database_size=database_size(db.path),
        feed_enabled=settings.police_feed_enabled,
        figures=None,
    )
    try:
        report.figures = await read_figures(db, now)
    except Exception as exc:  # any way the file can fail is one problem to report
        log.debug("health check cannot read the database", exc_info=True)
        report.problems.append(f"database unreadable: {type(exc).__name__}: {exc}")
        if await _schema_is_older(db):
            report.problems.append(
                "its schema is older than this grannvakt's: the bot migrates it when it "
                "starts (grannvakt run)"
            )
        return report
    report.problems += judge(report.figures, now, settings.police_feed_enabled)
    return report


async def _schema_is_older(db: Database) -> bool:
    try:
        return int(await db.fetch_value("PRAGMA user_version")) < latest_schema_version()
    except Exception:
        return False


def judge(f: HealthFigures, now: datetime, feed_enabled: bool) -> list[str]:
    """The problems these figures show (empty: healthy)."""
    problems = []
    if f.outbox_oldest_due is not None and now - f.outbox_oldest_due > OUTBOX_STUCK:
        minutes = (now - f.outbox_oldest_due).total_seconds() / 60
        problems.append(
            f"outbox stuck: {f.outbox_pending} messages pending, the oldest due for "
            f"{minutes:.0f} minutes (more than {OUTBOX_STUCK.total_seconds() / 60:.0f})"
        )
    if feed_enabled and f.feed_failing_since is not None:
        failing = now - f.feed_failing_since
        if failing > FEED_FAILING:
            problems.append(
                f"police feed failing for {failing.total_seconds() / 3600:.1f} h "
                f"(last result: {f.last_feed_outcome})"
            )
    return problems


def unreadable_report(path: str, clock: Clock, settings: Settings, reason: str) -> HealthReport:
    """The report for a database that cannot even be opened."""
    return HealthReport(
        checked_at=clock.now(),
        database_path=path,
        database_size=database_size(path),
        feed_enabled=settings.police_feed_enabled,
        figures=None,
        problems=[f"database unreadable: {reason}"],
    )


def database_size(path: str) -> int | None:
    """Bytes of the database file plus its -wal file; None when the file is missing."""
    if path == ":memory:" or not os.path.isfile(path):
        return None
    wal = path + "-wal"
    return os.path.getsize(path) + (os.path.getsize(wal) if os.path.isfile(wal) else 0)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _age(now: datetime, moment: datetime | None) -> float | None:
    return round((now - moment).total_seconds(), 1) if moment else None


def _size(n: int) -> str:
    """Bytes for a person: 512 bytes, 1.5 KiB, 3.2 MiB, 1.1 GiB."""
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            break
    return f"{value:.1f} {unit}"
