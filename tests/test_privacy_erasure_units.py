"""Units: erasure on storage (bot/services/privacy.erase) for the cases the end-to-end test
does not reach: a pending notice of a kept report loses the name but keeps the report, a
withdrawn report is deleted, the person as author of others' records becomes the
pseudonym, and a second erasure finds nothing more."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.clock import FixedClock
from bot.services import privacy
from bot.services.people import PeopleService
from storage.db import Database
from storage.timeutil import to_db
from tests.privacy_helpers import traces

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PERSON = 812345671
OTHER = 812345672


async def _seed(db: Database) -> None:
    stamp = to_db(NOW)
    async with db.transaction() as conn:
        for user_id, first, last, username in (
            (PERSON, "Henrietta", "Wåhlström", "henri_w"),
            (OTHER, "Olof", None, None),
        ):
            await conn.execute(
                "INSERT INTO users (telegram_id, first_name, last_name, username, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, first, last, username, stamp, stamp),
            )
        await conn.execute(
            "INSERT INTO groups (id, chat_id, title, area_name, kommun_code, registered_at,"
            " created_at, updated_at) VALUES (1, -100, 'G', 'Området', '0180', ?, ?, ?)",
            (stamp, stamp, stamp),
        )
        for number, status, text in (
            (1, "forwarded", "kept text"),
            (2, "withdrawn", "withdrawn text"),
            (3, "new", "other person's report"),
        ):
            reporter = OTHER if number == 3 else PERSON
            await conn.execute(
                "INSERT INTO observations (id, ref_year, ref_number, group_id, reporter_id,"
                " show_identity, category, observed_at, description, status, created_at,"
                " updated_at) VALUES (?, 2026, ?, 1, ?, 1, 'theft', ?, ?, ?, ?, ?)",
                (number, number, reporter, stamp, text, status, stamp, stamp),
            )
        await conn.execute(
            "INSERT INTO observation_forwards (observation_id, kommun_code, forwarded_by,"
            " forwarded_at) VALUES (1, '0180', ?, ?)",
            (OTHER, stamp),
        )
        # The person, as a coordinator, wrote a note on someone else's report.
        await conn.execute(
            "INSERT INTO observation_notes (observation_id, author_id, text, created_at)"
            " VALUES (3, ?, 'checked', ?)",
            (PERSON, stamp),
        )
        notice = {"text": "Rapportör: Henrietta Wåhlström – kept text"}
        for status, chat_id in (("pending", 7001), ("sent", 7002), ("pending", PERSON)):
            await conn.execute(
                "INSERT INTO outbox (priority, kind, ref_id, chat_id, payload, status,"
                " created_at, updated_at) VALUES (1, 'obs_police', 1, ?, ?, ?, ?, ?)",
                (chat_id, json.dumps(notice, ensure_ascii=False), status, stamp, stamp),
            )
        await conn.execute(
            "INSERT INTO audit_log (at, actor_id, action, subject, details)"
            " VALUES (?, NULL, 'role.grant', ?, ?)",
            (stamp, str(PERSON), json.dumps({"granted_to": PERSON})),
        )


async def test_erase_keeps_handled_reports_without_the_person_and_is_idempotent(tmp_path):
    db = Database(tmp_path / "e.db")
    await db.open()
    try:
        await _seed(db)
        clock = FixedClock(NOW)
        people = PeopleService(db, clock, "sv")
        erasure = await privacy.erase(db, clock, people, PERSON)
        counts = erasure.counts
        assert (counts.reports_deleted, counts.reports_kept) == (1, 1)
        assert counts.references_kept == ["O-2026-0001"]
        assert counts.messages_cancelled == 1  # the pending message to the person

        assert await traces(db, PERSON, ["Henrietta", "Wåhlström", "henri_w"]) == []
        payloads = {r[0]: r[1] for r in await db.fetch_all("SELECT status, payload FROM outbox")}
        assert payloads["sent"] == "{}"
        assert json.loads(payloads["pending"])["text"] == "Rapportör: — – kept text"
        kept = await db.fetch_one("SELECT reporter_id, show_identity, description FROM "
                                  "observations WHERE id = 1")  # fmt: skip
        assert tuple(kept) == (0, 0, "kept text")
        assert await db.fetch_value("SELECT COUNT(*) FROM observations WHERE id = 2") == 0
        pseudonym = await db.fetch_value("SELECT telegram_id FROM users WHERE first_name = ''")
        assert pseudonym < 0
        assert await db.fetch_value("SELECT author_id FROM observation_notes") == pseudonym
        grant = await db.fetch_one("SELECT subject, details FROM audit_log WHERE action = ?",
                                   ("role.grant",))  # fmt: skip
        assert grant["subject"] == str(pseudonym)
        assert json.loads(grant["details"]) == {"granted_to": pseudonym}
        # Another person's report and their own data are untouched.
        assert await db.fetch_value("SELECT reporter_id FROM observations WHERE id = 3") == OTHER
        assert (
            await db.fetch_value("SELECT first_name FROM users WHERE telegram_id = ?", (OTHER,))
            == "Olof"
        )

        again = await privacy.erase(db, clock, people, PERSON)
        assert (again.counts.reports_deleted, again.counts.reports_kept) == (0, 0)
        assert (
            await db.fetch_value("SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.erase'")
            == 2
        )
    finally:
        await db.close()
