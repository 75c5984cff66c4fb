"""Group places, police display titles and alerts' optional details (migration 0025)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Database
from storage.roles import write_audit
from storage.timeutil import to_db


@dataclass(frozen=True)
class GroupPlace:
    """A group's centre (degrees, already rounded) and the radius it covers (metres)."""

    group_id: int
    latitude: float
    longitude: float
    radius_m: int


@dataclass(frozen=True)
class AlertDetails:
    """What an alert shows beyond its text; each part is optional."""

    sender_title: str | None = None
    link: str | None = None
    event_number: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.sender_title or self.link or self.event_number)


def _place(row: aiosqlite.Row) -> GroupPlace:
    return GroupPlace(row["group_id"], row["latitude"], row["longitude"], row["radius_m"])


async def set_place(
    db: Database, group_id: int, place: GroupPlace, actor_id: int | None, now: datetime
) -> None:
    """Store (or replace) a group's place, audited."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO group_places (group_id, latitude, longitude, radius_m, set_by, set_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET"
            " latitude = excluded.latitude, longitude = excluded.longitude,"
            " radius_m = excluded.radius_m, set_by = excluded.set_by, set_at = excluded.set_at",
            (group_id, place.latitude, place.longitude, place.radius_m, actor_id, to_db(now)),
        )
        await write_audit(conn, now, actor_id, "group.place", str(group_id), {})


async def remove_place(db: Database, group_id: int, actor_id: int | None, now: datetime) -> bool:
    """Forget a group's place (audited); False if it had none."""
    async with db.transaction() as conn:
        cursor = await conn.execute("DELETE FROM group_places WHERE group_id = ?", (group_id,))
        if not cursor.rowcount:
            return False
        await write_audit(conn, now, actor_id, "group.place_removed", str(group_id), {})
    return True


async def get_place(db: Database, group_id: int) -> GroupPlace | None:
    row = await db.fetch_one("SELECT * FROM group_places WHERE group_id = ?", (group_id,))
    return None if row is None else _place(row)


async def places_of(db: Database, group_ids: list[int]) -> dict[int, GroupPlace]:
    """The places of these groups (those that have one), by group id."""
    if not group_ids:
        return {}
    marks = ",".join("?" * len(group_ids))
    rows = await db.fetch_all(
        f"SELECT * FROM group_places WHERE group_id IN ({marks})", tuple(group_ids)
    )
    return {row["group_id"]: _place(row) for row in rows}


async def member_counts(db: Database, group_ids: list[int]) -> dict[int, int]:
    """How many current members the bot knows of, per group (0 when none)."""
    if not group_ids:
        return {}
    marks = ",".join("?" * len(group_ids))
    rows = await db.fetch_all(
        f"SELECT group_id, COUNT(*) AS n FROM memberships WHERE left_at IS NULL"
        f" AND group_id IN ({marks}) GROUP BY group_id",
        tuple(group_ids),
    )
    counts = dict.fromkeys(group_ids, 0)
    counts.update({row["group_id"]: row["n"] for row in rows})
    return counts


# -- police display titles ------------------------------------------------------------------


async def display_title(db: Database, user_id: int) -> str | None:
    value = await db.fetch_value(
        "SELECT display_title FROM police_profiles WHERE user_id = ?", (user_id,)
    )
    return None if value is None else str(value)


async def set_display_title(db: Database, user_id: int, title: str, now: datetime) -> None:
    """Store an officer's display title, audited."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO police_profiles (user_id, display_title, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET display_title = excluded.display_title,"
            " updated_at = excluded.updated_at",
            (user_id, title, to_db(now)),
        )
        await write_audit(conn, now, user_id, "police.profile", str(user_id), {})


# -- alert details --------------------------------------------------------------------------


async def insert_alert_details(
    conn: aiosqlite.Connection, alert_id: int, details: AlertDetails
) -> None:
    """Inside the caller's transaction (the one that stores the alert)."""
    if details.empty:
        return
    await conn.execute(
        "INSERT INTO alert_details (alert_id, sender_title, link, event_number)"
        " VALUES (?, ?, ?, ?)",
        (alert_id, details.sender_title, details.link, details.event_number),
    )


async def alert_details(db: Database, alert_id: int) -> AlertDetails:
    """An alert's details (all None for an alert without any)."""
    row = await db.fetch_one("SELECT * FROM alert_details WHERE alert_id = ?", (alert_id,))
    if row is None:
        return AlertDetails()
    return AlertDetails(row["sender_title"], row["link"], row["event_number"])
