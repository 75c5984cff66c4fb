"""What every `grannvakt` subcommand shares: one-line errors, argument types, the database.

An operator's mistake ends in one line on standard error and exit status 2; a failure
at run time (Telegram unreachable, database locked) in one line and exit status 1.
Argument types raise `argparse.ArgumentTypeError`, so argparse names the option.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from config import Settings
from storage.db import Database
from storage.db_files import DatabaseOpenError

EXIT_RUNTIME = 1
EXIT_USAGE = 2

# Telegram user ids fit in 52 bits; anything larger would also overflow SQLite's INTEGER.
MAX_USER_ID = 2**52
MAX_LIMIT = 1_000_000


class CliError(Exception):
    """Ends a subcommand with `message` (one line) on standard error and exit `status`."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def say(message: str) -> None:
    """One line for the operator on standard error, prefixed like every CLI message."""
    print(f"grannvakt: {message}", file=sys.stderr)


# --------------------------------------------------------------------------- argument types


def positive_int(text: str) -> int:
    """A count such as `--limit`: a whole number from 1 to MAX_LIMIT."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT}, got {value}")
    return value


def user_id(text: str) -> int:
    """A Telegram user id: a positive whole number."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a Telegram user id (a number), got {text!r}"
        ) from None
    if not 1 <= value < MAX_USER_ID:
        raise argparse.ArgumentTypeError(f"{value} is not a Telegram user id")
    return value


def duration(text: str) -> timedelta:
    """`30m`, `12h`, `7d` or `2w` (minutes, hours, days, weeks), at most 90 days."""
    from bot.services.invitations import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


MAX_TEXT = 200  # characters of a name-like argument (a kommun, an audit kind, a scope)


def name_text(value: str) -> str:
    """A name-like argument: UTF-8 text of at most MAX_TEXT characters.

    Bytes the locale cannot decode reach Python as lone surrogates, which fail later in
    SQLite or in the matching; refused here, naming the option instead.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(
            "is not UTF-8 text (check the terminal's or the script's encoding)"
        ) from None
    if len(value) > MAX_TEXT:
        raise argparse.ArgumentTypeError(
            f"is {len(value)} characters long; at most {MAX_TEXT} ({value[:30]!r}…)"
        )
    return value


def kommun_code(text: str) -> str:
    """A kommun's code for its name (`Sölvesborg`, `solvesborg`) or code (`1083`)."""
    from bot.services.kommuner import find_kommun_by_code, match_kommuner

    text = name_text(text)
    if text.strip().isdigit():
        kommun = find_kommun_by_code(text)
        if kommun is None:
            raise argparse.ArgumentTypeError(f"unknown kommun code {text!r}")
        return kommun.code
    matches = match_kommuner(text)
    if len(matches) == 1:
        return matches[0].code
    if not matches:
        raise argparse.ArgumentTypeError(f"no kommun matches {text!r}")
    names = ", ".join(f"{k.name} ({k.code})" for k in matches)
    raise argparse.ArgumentTypeError(f"{text!r} is ambiguous: {names}")


_LINK_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/", re.IGNORECASE)
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]")


def bot_username(text: str) -> str:
    """A bot's username from `name_bot`, `@name_bot` or a `https://t.me/name_bot` link."""
    name = _LINK_PREFIX.sub("", text.strip()).split("?", 1)[0].rstrip("/").removeprefix("@")
    if not _USERNAME.fullmatch(name):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a bot username (e.g. grannvakt_bot, @grannvakt_bot or "
            "https://t.me/grannvakt_bot; bot usernames end in 'bot')"
        )
    return name


def out_path(text: str) -> Path | None:
    """`--out FILE`; `-` means standard output, as for most command-line tools."""
    if not text.strip():
        raise argparse.ArgumentTypeError("needs a file name (or - for standard output)")
    return None if text == "-" else Path(text)


# --------------------------------------------------------------------------- files


def add_create_option(parser: argparse.ArgumentParser) -> None:
    """`--create`: the only way a database subcommand may start a new database file."""
    parser.add_argument(
        "--create",
        action="store_true",
        help="create the database file (DATABASE_PATH) if it does not exist yet",
    )


def database_error(exc: DatabaseOpenError, *, create: bool = True) -> CliError:
    """The one line for a database that cannot be opened, naming DATABASE_PATH."""
    where = _shown(exc.path)
    if exc.missing and not create:
        return CliError(
            f"DATABASE_PATH={where} does not exist: run from the bot's directory, set "
            "DATABASE_PATH, or add --create to start a new, empty database"
        )
    status = EXIT_RUNTIME if exc.transient else EXIT_USAGE
    return CliError(f"DATABASE_PATH={where}: {exc.reason}", status)


def database_failure(exc: sqlite3.Error, path: str) -> CliError:
    """The one line for a database error in the middle of a command (the open went well):
    a full disk, a lock taken meanwhile by another program, a failing disk. Exit status 1:
    the failed transaction was rolled back, and trying again later may work."""
    text = str(exc)
    if "full" in text:
        reason = "the disk is full; free some space and try again"
    elif "locked" in text or "busy" in text:
        reason = "locked by another program; try again later"
    elif "disk I/O error" in text:
        reason = "disk I/O error: is the disk full or failing?"
    else:
        reason = f"database error: {text}"
    return CliError(f"DATABASE_PATH={_shown(path)}: {reason}", EXIT_RUNTIME)


def _shown(path: str) -> str:
    """`path` as configured, and where that is when it is relative to the current directory."""
    return path if os.path.isabs(path) else f"{path} ({os.path.abspath(path)})"


@asynccontextmanager
async def open_database(settings: Settings, *, create: bool = False) -> AsyncIterator[Database]:
    """The database at DATABASE_PATH, open for one subcommand; CliError if unusable.

    Without `create` a missing file is refused: a command run in the wrong directory
    must not quietly start an empty database next to the real one.
    """
    db = Database(settings.database_path)
    try:
        await db.open(create=create)
    except DatabaseOpenError as exc:
        raise database_error(exc, create=create) from None
    if db.created:
        say(f"created a new database at {_shown(db.path)}")
    try:
        yield db
    finally:
        await db.close()


def write_file(path: Path, data: bytes, option: str = "--out") -> None:
    """Write `data` to `path`; CliError naming `option` if the file cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CliError(f"{option} {path}: cannot write: {exc.strerror}") from None


def read_text_file(path: Path, what: str) -> str:
    """The UTF-8 text of `path` (a BOM is allowed); CliError for unreadable or other encodings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"{what} {path}: cannot read: {exc.strerror}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CliError(
            f"{what} {path} is UTF-16; save it as UTF-8 (in Excel: 'CSV UTF-8') and try again"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CliError(
            f"{what} {path} is not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}, "
            "perhaps Latin-1/Windows-1252); save it as UTF-8 (in Excel: 'CSV UTF-8')"
        ) from None
