"""Surveys (medborgardialog) and their per-group polls: the only SQL about them.

A survey is one question with 2–10 answers; each target group gets one anonymous
Telegram poll (`survey_polls`), whose totals follow Telegram's `poll` updates. No voter
is ever stored: Telegram tells a bot only the totals of an anonymous poll.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.name_order import by_name
from storage.timeutil import from_db, from_db_required, to_db


@dataclass(frozen=True)
class SurveyRecord:
    id: int
    creator_id: int
    creator_language: str
    question: str
    options: list[str]
    created_at: datetime
    closes_at: datetime
    closed_at: datetime | None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class PollResult:
    """One group's poll: voter counts per answer (same order as the survey's options)."""

    group_id: int
    group_name: str
    kommun_code: str | None
    counts: list[int]
    total_voters: int
    is_sent: bool
    is_closed: bool
    chat_id: int | None
    message_id: int | None


def _survey(row: sqlite3.Row) -> SurveyRecord:
    return SurveyRecord(
        id=row["id"],
        creator_id=row["creator_id"],
        creator_language=row["creator_language"],
        question=row["question"],
        options=json.loads(row["options"]),
        created_at=from_db_required(row["created_at"]),
        closes_at=from_db_required(row["closes_at"]),
        closed_at=from_db(row["closed_at"]),
    )


async def insert_survey(
    conn: aiosqlite.Connection,
    creator_id: int,
    language: str,
    question: str,
    options: list[str],
    closes_at: datetime,
    group_ids: list[int],
    now: datetime,
) -> int:
    """Store a survey and one (not yet sent) poll row per group, in the caller's transaction."""
    cursor = await conn.execute(
        "INSERT INTO surveys (creator_id, creator_language, question, options, created_at,"
        " closes_at) VALUES (?, ?, ?, ?, ?, ?)",
        (
            creator_id,
            language,
            question,
            json.dumps(options, ensure_ascii=False),
            to_db(now),
            to_db(closes_at),
        ),
    )
    survey_id = int(cursor.lastrowid or 0)
    zeros = json.dumps([0] * len(options))
    await conn.executemany(
        "INSERT INTO survey_polls (survey_id, group_id, counts) VALUES (?, ?, ?)",
        [(survey_id, g, zeros) for g in group_ids],
    )
    return survey_id


async def get_survey(db: Database, survey_id: int) -> SurveyRecord | None:
    row = await db.fetch_one("SELECT * FROM surveys WHERE id = ?", (survey_id,))
    return None if row is None else _survey(row)


async def surveys_of(db: Database, creator_id: int, limit: int) -> list[SurveyRecord]:
    """A creator's latest surveys, newest first."""
    rows = await db.fetch_all(
        "SELECT * FROM surveys WHERE creator_id = ? ORDER BY id DESC LIMIT ?", (creator_id, limit)
    )
    return [_survey(r) for r in rows]


async def due_surveys(db: Database, now: datetime) -> list[int]:
    """Open surveys whose closing time has come."""
    rows = await db.fetch_all(
        "SELECT id FROM surveys WHERE closed_at IS NULL AND closes_at <= ? ORDER BY id",
        (to_db(now),),
    )
    return [r[0] for r in rows]


async def mark_closed(conn: aiosqlite.Connection, survey_id: int, now: datetime) -> bool:
    """Start closing (once): False when it was already closed."""
    cursor = await conn.execute(
        "UPDATE surveys SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
        (to_db(now), survey_id),
    )
    return cursor.rowcount == 1


async def sent_polls(conn: aiosqlite.Connection, survey_id: int) -> list[tuple[int, int]]:
    """(group id, message id) of the polls of a survey that were sent."""
    cursor = await conn.execute(
        "SELECT group_id, message_id FROM survey_polls"
        " WHERE survey_id = ? AND message_id IS NOT NULL ORDER BY group_id",
        (survey_id,),
    )
    return [(r[0], r[1]) for r in await cursor.fetchall()]


async def record_poll(
    db: Database, survey_id: int, group_id: int, chat_id: int, message_id: int, poll_id: str
) -> bool:
    """Remember a sent poll; returns True when its survey was closed meanwhile."""

    def work(conn: sqlite3.Connection) -> bool:
        conn.execute(
            "UPDATE survey_polls SET poll_id = ?, chat_id = ?, message_id = ?"
            " WHERE survey_id = ? AND group_id = ?",
            (poll_id, chat_id, message_id, survey_id, group_id),
        )
        row = conn.execute("SELECT closed_at FROM surveys WHERE id = ?", (survey_id,)).fetchone()
        return row is not None and row[0] is not None

    return await db.run_transaction(work)


async def record_results(
    db: Database, poll_id: str, counts: list[int], total_voters: int, is_closed: bool
) -> bool:
    """Store a poll's totals as Telegram reports them; False for a poll not of a survey.

    A closed poll's totals are final: a late update of the open poll does not undo them."""

    def work(conn: sqlite3.Connection) -> bool:
        cursor = conn.execute(
            "UPDATE survey_polls SET counts = ?, total_voters = ?, is_closed = ?"
            " WHERE poll_id = ? AND (is_closed = 0 OR ? = 1)",
            (json.dumps(counts), total_voters, int(is_closed), poll_id, int(is_closed)),
        )
        return cursor.rowcount == 1

    return await db.run_transaction(work)


async def poll_results(db: Database, survey_id: int) -> list[PollResult]:
    """Every group's poll of a survey, by group name (`name_order`), then group id."""
    rows = await db.fetch_all(
        "SELECT p.*, COALESCE(g.area_name, g.title) AS name, g.kommun_code"
        " FROM survey_polls p JOIN groups g ON g.id = p.group_id"
        " WHERE p.survey_id = ?",
        (survey_id,),
    )
    results = [
        PollResult(
            group_id=r["group_id"],
            group_name=r["name"],
            kommun_code=r["kommun_code"],
            counts=json.loads(r["counts"]),
            total_voters=r["total_voters"],
            is_sent=r["message_id"] is not None,
            is_closed=bool(r["is_closed"]),
            chat_id=r["chat_id"],
            message_id=r["message_id"],
        )
        for r in rows
    ]
    return by_name(results, lambda r: r.group_name, lambda r: r.group_id)


@dataclass(frozen=True)
class PollParticipation:
    """How many answered one survey's poll in one group."""

    survey_id: int
    group_id: int
    kommun_code: str | None
    total_voters: int


async def participation(
    db: Database, start: datetime, end: datetime, kommun_codes: list[str] | None = None
) -> list[PollParticipation]:
    """Every sent poll of the surveys created in [start, end), with its voters."""
    sql = (
        "SELECT p.survey_id, p.group_id, g.kommun_code, p.total_voters"
        " FROM surveys s JOIN survey_polls p ON p.survey_id = s.id"
        " JOIN groups g ON g.id = p.group_id"
        " WHERE s.created_at >= ? AND s.created_at < ? AND p.message_id IS NOT NULL"
    )
    params: list[object] = [to_db(start), to_db(end)]
    if kommun_codes is not None:
        sql += f" AND g.kommun_code IN ({','.join('?' * len(kommun_codes))})"
        params.extend(kommun_codes)
    rows = await db.fetch_all(sql + " ORDER BY p.survey_id, p.group_id", params)
    return [PollParticipation(r[0], r[1], r[2], r[3]) for r in rows]
