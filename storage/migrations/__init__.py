"""A small migration runner: numbered `NNNN_name.sql` files, tracked by `PRAGMA user_version`."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import aiosqlite

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def discover_migrations() -> list[Migration]:
    """All migration files shipped in this package, sorted by number; numbers must be unique."""
    found: dict[int, Migration] = {}
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise RuntimeError(f"two migrations share number {version}: {entry.name}")
        found[version] = Migration(version, entry.name, entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


async def apply_migrations(conn: aiosqlite.Connection) -> list[int]:
    """Apply every migration newer than `PRAGMA user_version`, each in its own transaction.

    Returns the versions applied (empty when the database is up to date).
    """
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    current = int(row[0]) if row else 0
    applied: list[int] = []
    for migration in discover_migrations():
        if migration.version <= current:
            continue
        log.info("applying migration %s", migration.name)
        # One script per migration: BEGIN, the file, the new user_version, COMMIT. If any
        # statement fails, the transaction is still open and is rolled back, so a failed
        # migration leaves both the schema and PRAGMA user_version untouched.
        script = (
            f"BEGIN IMMEDIATE;\n{migration.sql}\n;"
            f"PRAGMA user_version = {migration.version:d};\nCOMMIT;"
        )
        try:
            await conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
