"""`grannvakt status`, `backup` and `restore`: what an operator runs next to the bot.

status   the health report (bot/health.py); exit 0 healthy, 1 unhealthy
backup   a consistent copy with SQLite's online backup API, also while the bot runs
restore  put a backup in place; refused while the database is open anywhere
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli import SUBCOMMANDS
from bot.cli_common import EXIT_RUNTIME, CliError, database_error, say
from config import Settings
from storage.db import Database
from storage.db_files import DatabaseOpenError

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.health import HealthReport

EXIT_UNHEALTHY = 1


def _configure_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from bot.clock import SystemClock

    report = asyncio.run(_report(settings, SystemClock()))
    if args.json:
        import json

        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines(settings.tzinfo)))
    return 0 if report.healthy else EXIT_UNHEALTHY


async def _report(settings: Settings, clock: Clock) -> HealthReport:
    from bot.health import check_health, unreadable_report

    db = Database(settings.database_path)
    try:
        # As it is: a status check neither creates, migrates nor writes the database.
        await db.open(read_only=True)
    except DatabaseOpenError as exc:
        return unreadable_report(settings.database_path, clock, settings, exc.reason)
    try:
        if int(await db.fetch_value("PRAGMA user_version")) == 0:
            return unreadable_report(db.path, clock, settings, _not_grannvakts(db.path))
        report = await check_health(db, clock, settings)
    finally:
        await db.close()
    return report


def _schema_version(path: str) -> int | None:
    """The file's `PRAGMA user_version`, read without writing; None if SQLite cannot read
    it (the backup then says why)."""
    import contextlib
    import sqlite3

    from storage.db_files import BUSY_TIMEOUT_MS

    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    try:
        with contextlib.closing(
            sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        ) as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return None


def _not_grannvakts(path: str) -> str:
    """Why a database of schema version 0 (every grannvakt database has 1 or more) is not
    read as grannvakt's."""
    if Path(path).stat().st_size == 0:
        return "it is an empty file (0 bytes), not a grannvakt database"
    return (
        "it has no grannvakt schema (schema version 0): another program's database, "
        "or the wrong DATABASE_PATH"
    )


def _configure_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, help="the backup file to write")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from storage.backup import BackupError, backup_database

    source = settings.database_path
    if Path(source).is_dir():
        raise database_error(DatabaseOpenError(source, "is a directory, not a database file"))
    if not Path(source).is_file():
        # Not database_error(missing): its advice (--create) makes no sense for a backup.
        raise database_error(
            DatabaseOpenError(source, "does not exist: run from the bot's directory or set it")
        )
    out: Path = args.out
    if out.is_dir():
        raise CliError(f"--out {out} is a directory; give the backup file's name")
    if not out.parent.is_dir():
        raise CliError(f"--out {out}: the directory {out.parent} does not exist")
    if out.exists() and not args.force:
        raise CliError(f"--out {out} exists; choose a new name or add --force")
    if out.resolve() == Path(source).resolve():
        raise CliError("--out must not be the database itself")
    if _schema_version(source) == 0:
        # `grannvakt restore` refuses such a copy: better to say so before one is relied on.
        raise database_error(DatabaseOpenError(source, _not_grannvakts(source)))
    try:
        result = backup_database(source, out)
    except BackupError as exc:
        raise CliError(str(exc), EXIT_RUNTIME) from None
    print(
        f"backup written to {result.path}: {result.size} bytes, schema version "
        f"{result.schema_version}, integrity check ok"
    )
    return 0


def _configure_restore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a file written by grannvakt backup")


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from storage.backup import (
        BackupError,
        DatabaseInUse,
        exclusive,
        inspect_backup,
        restore_database,
    )
    from storage.db import latest_schema_version

    backup: Path = args.file
    target = settings.database_path
    if Path(target).is_dir():
        raise database_error(DatabaseOpenError(target, "is a directory, not a database file"))
    if not Path(target).parent.is_dir():
        raise CliError(
            f"DATABASE_PATH={target}: the directory {Path(target).parent} does not exist"
        )
    if backup.is_file() and Path(target).is_file() and backup.samefile(target):
        raise CliError(f"{backup} is the database itself (DATABASE_PATH); give a backup file")
    try:
        version = inspect_backup(backup)
        if version < 1:
            # Schema version 0: an empty file or another program's database, not a backup
            # of this bot; restoring it would replace every record by nothing.
            raise CliError(f"{backup} is not a grannvakt backup (it has no grannvakt schema)")
        if version > latest_schema_version():
            raise CliError(
                f"{backup} has schema version {version}, newer than this grannvakt knows "
                f"({latest_schema_version()}): restore it with the grannvakt that made it"
            )
        with exclusive(target):
            saved = restore_database(backup, target)
    except DatabaseInUse as exc:
        raise CliError(str(exc), EXIT_RUNTIME) from None
    except BackupError as exc:
        raise CliError(str(exc)) from None
    if saved is not None:
        say(f"the database it replaced was saved as {saved}")
    print(f"restored {backup} into {target} (schema version {version})")
    return 0


SUBCOMMANDS["status"] = (
    "print the bot's health; exit 1 when unhealthy",
    _configure_status,
    _status,
)
SUBCOMMANDS["backup"] = (
    "write a consistent copy of the database (safe while the bot runs)",
    _configure_backup,
    _backup,
)
SUBCOMMANDS["restore"] = (
    "replace the database by a backup (the bot must be stopped)",
    _configure_restore,
    _restore,
)
