"""Stored roles (coordinator per group, police per kommun), invitations and the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Database
from storage.timeutil import from_db_required, to_db


@dataclass(frozen=True)
class RoleGrant:
    user_id: int
    role: str
    scope: str
    granted_by: int | None
    granted_at: datetime


@dataclass(frozen=True)
class Invitation:
    id: int
    role: str
    scopes: tuple[str, ...]
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    used_by: int | None
    used_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    subject: str
    details: dict[str, Any]


def _grant(row: aiosqlite.Row) -> RoleGrant:
    return RoleGrant(
        row["user_id"],
        row["role"],
        row["scope"],
        row["granted_by"],
        from_db_required(row["granted_at"]),
    )


async def write_audit(
    conn: aiosqlite.Connection,
    now: datetime,
    actor_id: int | None,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Append to the audit log inside the caller's transaction."""
    await conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, subject, details) VALUES (?, ?, ?, ?, ?)",
        (to_db(now), actor_id, action, subject, json.dumps(details or {}, ensure_ascii=False)),
    )


async def grant_role(
    db: Database, user_id: int, role: str, scope: str, granted_by: int | None, now: datetime
) -> bool:
    """Grant a role (idempotent) and audit it; returns True if it was new."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO roles (user_id, role, scope, granted_by, granted_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (user_id, role, scope, granted_by, to_db(now)),
        )
        if cursor.rowcount:
            await write_audit(
                conn, now, granted_by, "role.grant", str(user_id), {"role": role, "scope": scope}
            )
        return cursor.rowcount > 0


async def revoke_roles(
    db: Database,
    user_id: int,
    role: str | None,
    scope: str | None,
    revoked_by: int | None,
    now: datetime,
) -> int:
    """Revoke a person's roles (all, one role, or one role in one scope); audited."""
    sql = "DELETE FROM roles WHERE user_id = ?"
    params: list[object] = [user_id]
    if role is not None:
        sql += " AND role = ?"
        params.append(role)
    if scope is not None:
        sql += " AND scope = ?"
        params.append(scope)
    async with db.transaction() as conn:
        cursor = await conn.execute(sql, params)
        if cursor.rowcount:
            await write_audit(
                conn,
                now,
                revoked_by,
                "role.revoke",
                str(user_id),
                {"role": role or "*", "scope": scope or "*", "count": cursor.rowcount},
            )
        return cursor.rowcount


ROLES_OF_USER = "SELECT * FROM roles WHERE user_id = ? ORDER BY role, scope"


def grants_of(rows: list[aiosqlite.Row]) -> list[RoleGrant]:
    """RoleGrants of rows read with ROLES_OF_USER (storage/users.py::standing_of)."""
    return [_grant(row) for row in rows]


async def roles_for_user(db: Database, user_id: int) -> list[RoleGrant]:
    return grants_of(await db.point_read(ROLES_OF_USER, (user_id,)))


async def holders(db: Database, role: str, scope: str) -> list[int]:
    """User ids holding `role` in `scope` (e.g. the coordinators of a group)."""
    rows = await db.fetch_all(
        "SELECT user_id FROM roles WHERE role = ? AND scope = ? ORDER BY granted_at", (role, scope)
    )
    return [row[0] for row in rows]


async def all_roles(db: Database) -> list[RoleGrant]:
    rows = await db.fetch_all("SELECT * FROM roles ORDER BY role, scope, user_id")
    return [_grant(row) for row in rows]


async def create_invitation(
    db: Database,
    code_hash: str,
    role: str,
    scopes: list[str],
    created_by: int | None,
    now: datetime,
    expires_at: datetime,
) -> int:
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO invitations (code_hash, role, scopes, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (code_hash, role, json.dumps(scopes), created_by, to_db(now), to_db(expires_at)),
        )
        await write_audit(
            conn,
            now,
            created_by,
            "invitation.create",
            role,
            {"scopes": scopes, "expires_at": to_db(expires_at)},
        )
        return cursor.lastrowid or 0


async def redeem_invitation(
    db: Database, code_hash: str, user_id: int, now: datetime
) -> Invitation | str:
    """Use an invitation once and grant its role; else say why not (unknown/used/expired)."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT * FROM invitations WHERE code_hash = ?", (code_hash,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return "unknown"
        if row["used_by"] is not None:
            return "used"
        if row["expires_at"] <= to_db(now):
            return "expired"
        scopes = json.loads(row["scopes"])
        await conn.execute(
            "UPDATE invitations SET used_by = ?, used_at = ? WHERE id = ? AND used_by IS NULL",
            (user_id, to_db(now), row["id"]),
        )
        for scope in scopes:
            await conn.execute(
                "INSERT OR IGNORE INTO roles (user_id, role, scope, granted_by, granted_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (user_id, row["role"], scope, row["created_by"], to_db(now)),
            )
        await write_audit(
            conn,
            now,
            user_id,
            "invitation.redeem",
            str(user_id),
            {"invitation": row["id"], "role": row["role"], "scopes": scopes},
        )
    return Invitation(
        id=row["id"],
        role=row["role"],
        scopes=tuple(scopes),
        created_by=row["created_by"],
        created_at=from_db_required(row["created_at"]),
        expires_at=from_db_required(row["expires_at"]),
        used_by=user_id,
        used_at=now,
    )


async def audit(
    db: Database,
    now: datetime,
    actor_id: int | None,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one audit entry in its own transaction."""
    async with db.transaction() as conn:
        await write_audit(conn, now, actor_id, action, subject, details)


async def audit_entries(db: Database, limit: int = 100) -> list[AuditEntry]:
    rows = await db.fetch_all("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
    return [
        AuditEntry(
            row["id"],
            from_db_required(row["at"]),
            row["actor_id"],
            row["action"],
            row["subject"],
            json.loads(row["details"]),
        )
        for row in rows
    ]
