"""Retention (bot/services/retention.py): exactly what is due is deleted, with an injected
clock; the dry run changes nothing; each pass writes one audit entry; the daily pass and
the CLI (`grannvakt retention run [--dry-run]`)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from bot.clock import FixedClock
from bot.retention_scheduler import RetentionPass
from bot.runtime import Services
from bot.services import retention
from bot.services.people import PeopleService
from config import Settings
from storage.db import Database
from storage.timeutil import to_db

NOW = datetime(2027, 12, 1, 12, 0, tzinfo=UTC)
ADMIN = 99


def _settings(path) -> Settings:
    return Settings(_env_file=None, database_path=str(path), admin_user_ids="99")  # type: ignore[call-arg]


def _ago(days: float, now: datetime = NOW) -> str:
    return to_db(now - timedelta(days=days))


async def _seed(db: Database, now: datetime = NOW) -> dict[str, int]:
    """Observations, audit entries and people on both sides of every limit; returns ids
    by name."""
    ids: dict[str, int] = {}
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO groups (id, chat_id, title, area_name, kommun_code, registered_at,"
            " created_at, updated_at) VALUES (1, -100, 'G', 'Området', '0180', ?, ?, ?)",
            (_ago(2000, now), _ago(2000, now), _ago(2000, now)),
        )
        cases = [
            ("closed_old", "closed", 366, None),
            ("closed_recent", "closed", 364, None),
            ("handled_old", "forwarded", 900, 400),
            ("handled_recent", "forwarded", 900, 300),
            ("forwarded_unhandled", "forwarded", 900, None),
            ("withdrawn_old", "withdrawn", 31, None),
            ("withdrawn_recent", "withdrawn", 28, None),
            ("new_old", "new", 900, None),
            ("reviewed_old", "reviewed", 900, None),
        ]
        for number, (name, status, changed_days, handled_days) in enumerate(cases, start=1):
            cursor = await conn.execute(
                "INSERT INTO observations (ref_year, ref_number, group_id, kommun_code,"
                " reporter_id, category, observed_at, description, status, created_at,"
                " updated_at) VALUES (2025, ?, 1, '0180', 5000, 'theft', ?, ?, ?, ?, ?)",
                (number, _ago(1000, now), f"text {name}", status, _ago(1000, now),
                 _ago(changed_days, now)),
            )  # fmt: skip
            obs_id = cursor.lastrowid
            assert obs_id is not None
            ids[name] = obs_id
            await conn.execute(
                "INSERT INTO observation_photos (observation_id, position, file_id,"
                " file_unique_id) VALUES (?, 0, ?, ?)",
                (obs_id, f"file-{name}", f"u-{name}"),
            )
            await conn.execute(
                "INSERT INTO outbox (priority, kind, ref_id, chat_id, payload, status,"
                " created_at, updated_at) VALUES (1, 'obs_coordinator', ?, 7000, ?, 'sent', ?, ?)",
                (obs_id, json.dumps({"text": f"text {name}"}), _ago(1000, now), _ago(1000, now)),
            )
            if status == "forwarded":
                await conn.execute(
                    "INSERT INTO observation_forwards (observation_id, kommun_code,"
                    " forwarded_by, forwarded_at, handled_by, handled_at)"
                    " VALUES (?, '0180', 7000, ?, ?, ?)",
                    (obs_id, _ago(900, now), 8000 if handled_days else None,
                     None if handled_days is None else _ago(handled_days, now)),
                )  # fmt: skip
        for name, days in (("audit_old", 731), ("audit_recent", 729)):
            cursor = await conn.execute(
                "INSERT INTO audit_log (at, actor_id, action, subject) VALUES (?, 7000, ?, 'x')",
                (_ago(days, now), f"test.{name}"),
            )
            ids[name] = cursor.lastrowid or 0
        people = {
            "idle": 6001,  # nothing for three years: pseudonymised
            "member": 6002,  # still in a group
            "reporter": 6003,  # reported within two years
            "officer": 6004,  # holds a role
            "recent": 6005,  # profile changed a year ago
            "admin": ADMIN,  # ADMIN_USER_IDS are never pseudonymised
        }
        for name, user_id in people.items():
            seen = 365 if name == "recent" else 1100
            await conn.execute(
                "INSERT INTO users (telegram_id, first_name, username, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (user_id, f"Name{name}", f"user_{name}", _ago(1100, now), _ago(seen, now)),
            )
            ids[name] = user_id
        await conn.execute(
            "INSERT INTO memberships (group_id, user_id, source, joined_at)"
            " VALUES (1, 6002, 'deep_link', ?)",
            (_ago(1100, now),),
        )
        await conn.execute(
            "INSERT INTO observations (ref_year, ref_number, group_id, reporter_id, category,"
            " observed_at, description, status, created_at, updated_at)"
            " VALUES (2026, 1, 1, 6003, 'other', ?, 'recent report', 'closed', ?, ?)",
            (_ago(300, now), _ago(300, now), _ago(300, now)),
        )
        await conn.execute(
            "INSERT INTO roles (user_id, role, scope, granted_at)"
            " VALUES (6004, 'police', '0180', ?)",
            (_ago(1100, now),),
        )
    return ids


async def _open(tmp_path) -> Database:
    db = Database(tmp_path / "r.db")
    await db.open()
    return db


async def _observations(db: Database) -> set[int]:
    return {r[0] for r in await db.fetch_all("SELECT id FROM observations")}


async def test_dry_run_counts_and_changes_nothing_then_the_pass_deletes_exactly_what_is_due(
    tmp_path,
):
    db = await _open(tmp_path)
    try:
        ids = await _seed(db)
        settings = _settings(tmp_path / "r.db")
        clock = FixedClock(NOW)
        people = PeopleService(db, clock, "sv")
        before = await _observations(db)
        preview = await retention.run(db, settings, clock, people, dry_run=True)
        assert (preview.observations, preview.photos, preview.audit_entries, preview.people) == (
            3, 3, 1, 1,
        )  # fmt: skip
        assert await _observations(db) == before
        assert await db.fetch_value("SELECT COUNT(*) FROM audit_log") == 2

        report = await retention.run(db, settings, clock, people)
        assert not report.dry_run and report.observations == 3 and report.people == 1
        due = {ids["closed_old"], ids["handled_old"], ids["withdrawn_old"]}
        assert await _observations(db) == before - due
        photos = {r[0] for r in await db.fetch_all("SELECT file_id FROM observation_photos")}
        assert not photos & {"file-closed_old", "file-handled_old", "file-withdrawn_old"}
        assert len(photos) == 6
        refs = {r[0] for r in await db.fetch_all("SELECT ref_id FROM outbox")}
        assert not refs & due and len(refs) == 6
        actions = [r[0] for r in await db.fetch_all("SELECT action FROM audit_log ORDER BY id")]
        assert actions == ["test.audit_recent", "retention.run"]  # one entry for the pass
        details = json.loads(
            await db.fetch_value("SELECT details FROM audit_log WHERE action = 'retention.run'")
        )
        assert details == {
            "people": 1,
            "backup_copies": 0,
            "observations": 3,
            "photos": 3,
            "audit_entries": 1,
        }
        users = {r[0] for r in await db.fetch_all("SELECT telegram_id FROM users")}
        assert 6001 not in users and {6002, 6003, 6004, 6005, ADMIN} <= users
        assert await db.fetch_value("SELECT COUNT(*) FROM users WHERE username = 'user_idle'") == 0

        again = await retention.run(db, settings, clock, people)  # nothing more is due
        assert (again.observations, again.audit_entries, again.people) == (0, 0, 0)
    finally:
        await db.close()


async def test_daily_pass_runs_once_a_day_across_restarts(tmp_path):
    db = await _open(tmp_path)
    try:
        await _seed(db)
        clock = FixedClock(NOW)
        settings = _settings(tmp_path / "r.db")
        services = Services(settings, db, clock, PeopleService(db, clock, "sv"))
        first = await RetentionPass(services).tick()
        assert first is not None and first.observations == 3
        clock.advance(hours=23)
        assert await RetentionPass(services).tick() is None  # a "restart": state is in the db
        clock.advance(hours=1)
        later = await RetentionPass(services).tick()
        assert later is not None and later.observations == 0
        runs = await db.fetch_value("SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run'")
        assert runs == 2
    finally:
        await db.close()


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "grannvakt.db"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("ADMIN_USER_IDS", "99")

    async def seed() -> None:
        db = Database(path)
        await db.open()
        try:
            await _seed(db, datetime.now(UTC))
        finally:
            await db.close()

    asyncio.run(seed())
    return path


def test_cli_retention_dry_run_then_run(cli_db, capsys):
    assert main(["retention", "run", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would delete 3 observations (3 photos), 1 audit entries" in out
    assert "would pseudonymise 1 inactive people" in out
    assert main(["retention", "run"]) == 0
    assert "deleted 3 observations (3 photos)" in capsys.readouterr().out
    assert main(["retention", "run", "--dry-run"]) == 0
    assert "would delete 0 observations" in capsys.readouterr().out
