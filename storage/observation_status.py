"""Changes to a stored observation: its status (reviewed, closed, withdrawn), a
coordinator's note, the forward to the police and its "handled" mark; each in one
transaction with the notices it causes (outbox) and the ones held for later."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from storage import observation_reach as reach
from storage import outbox
from storage.db import Database
from storage.outbox import OutgoingMessage
from storage.timeutil import to_db


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" * len(list(values)))


async def set_status(
    db: Database,
    obs_id: int,
    allowed_from: Iterable[str],
    status: str,
    now: datetime,
    notices: Iterable[OutgoingMessage] = (),
    held: Iterable[tuple[int, str]] = (),
) -> bool:
    """Change the status if it currently is one of `allowed_from`; True if changed. With
    the change (only then, in its transaction) `notices` are enqueued and `held`
    ((user id, viewer) pairs) are held for the person's next private message."""
    sources = list(allowed_from)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            f"UPDATE observations SET status = ?, updated_at = ? "
            f"WHERE id = ? AND status IN ({_marks(sources)})",
            [status, to_db(now), obs_id, *sources],
        )
        if cursor.rowcount == 0:
            return False
        await _announce(conn, obs_id, notices, held, now)
        return True


async def _announce(
    conn: aiosqlite.Connection,
    obs_id: int,
    notices: Iterable[OutgoingMessage],
    held: Iterable[tuple[int, str]],
    now: datetime,
) -> None:
    await outbox.enqueue_many(conn, list(notices), now)
    for user_id, viewer in held:
        await reach.hold_in(conn, [user_id], obs_id, viewer, now)


async def withdraw(
    db: Database,
    obs_id: int,
    reporter_id: int,
    now: datetime,
    notice_kind: str | None = None,
    edits: Iterable[OutgoingMessage] = (),
) -> bool:
    """The resident takes back their own observation while it is still new; its unsent
    outbox rows of `notice_kind` (announcements to coordinators) are skipped with it, and
    `edits` (of the announcements already delivered) are enqueued with it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE observations SET status = 'withdrawn', updated_at = ? "
            "WHERE id = ? AND reporter_id = ? AND status = 'new'",
            (to_db(now), obs_id, reporter_id),
        )
        if cursor.rowcount == 0:
            return False
        if notice_kind is not None:
            await outbox.skip_pending(conn, notice_kind, obs_id, "withdrawn", now)
        await outbox.enqueue_many(conn, list(edits), now)
        return True


async def add_note(db: Database, obs_id: int, author_id: int, text: str, now: datetime) -> None:
    """Append a coordinator's note."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO observation_notes (observation_id, author_id, text, created_at) "
            "VALUES (?, ?, ?, ?)",
            (obs_id, author_id, text, to_db(now)),
        )
        await conn.execute(
            "UPDATE observations SET updated_at = ? WHERE id = ?", (to_db(now), obs_id)
        )


async def forward(
    db: Database,
    obs_id: int,
    kommun_code: str,
    by: int,
    now: datetime,
    notices: Iterable[OutgoingMessage] = (),
    hold_for: Iterable[int] = (),
    held: Iterable[tuple[int, str]] = (),
) -> bool:
    """Mark forwarded, record the forward, enqueue `notices` (to the police, and the
    reporter's) and hold the notification for `hold_for` (police known to be unreachable
    privately) and `held` (see set_status) in one transaction; False (nothing written) if
    not forwardable."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE observations SET status = 'forwarded', updated_at = ? "
            "WHERE id = ? AND status IN ('new', 'reviewed')",
            (to_db(now), obs_id),
        )
        if cursor.rowcount == 0:
            return False
        await conn.execute(
            "INSERT INTO observation_forwards (observation_id, kommun_code, forwarded_by,"
            " forwarded_at) VALUES (?, ?, ?, ?)",
            (obs_id, kommun_code, by, to_db(now)),
        )
        await reach.hold_in(conn, hold_for, obs_id, "police", now)
        await _announce(conn, obs_id, notices, held, now)
        return True


async def mark_handled(
    db: Database,
    obs_id: int,
    by: int,
    now: datetime,
    notices: Iterable[OutgoingMessage] = (),
    held: Iterable[tuple[int, str]] = (),
) -> bool:
    """A police officer marks a forwarded observation handled; False if already handled.
    `notices` and `held` as in set_status."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE observation_forwards SET handled_by = ?, handled_at = ? "
            "WHERE observation_id = ? AND handled_at IS NULL",
            (by, to_db(now), obs_id),
        )
        if cursor.rowcount == 0:
            return False
        await _announce(conn, obs_id, notices, held, now)
        return True
