"""The copies of the database grannvakt makes by itself, and deleting them in time.

Two kinds are written next to the database (DATABASE_PATH), each named with the UTC
moment it was made:

- `<database>.pre-migration-<version>-<YYYYMMDDTHHMMSSZ>.bak` before migrations change
  an existing database (storage/db.py);
- `<database>.before-restore-<YYYYMMDDTHHMMSSZ>.bak`, the database `grannvakt restore`
  replaced (storage/backup.py);

and `<one of those>.partial` while one is being written (left behind only when the
process was killed meanwhile). They hold everyone's data as it was, also of people who
have since been erased, so the retention pass deletes them after
`AUTO_BACKUP_RETENTION_DAYS` (docs/privacy.md). Only names of exactly these shapes,
directly next to the database, are ever touched: never a file an operator named
(`grannvakt backup --out ...`), another database's copies, or a directory or symlink.
All functions here are synchronous; call them from a thread in async code.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

# What follows `<database file name>` in the name of an automatic copy.
_SUFFIX = re.compile(
    r"\.(?:pre-migration-\d{4,}|before-restore)-(?P<stamp>\d{8}T\d{6}Z)\.bak(?P<partial>\.partial)?"
)
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# A `.partial` changed this recently may be a copy being written right now.
PARTIAL_IN_PROGRESS_S = 3600.0


@dataclass(frozen=True)
class AutomaticCopy:
    path: Path
    made_at: datetime  # UTC, from its name
    partial: bool  # a copy that was never finished


def automatic_copies(database_path: str) -> list[AutomaticCopy]:
    """The automatic copies of `database_path` that exist now, oldest first.

    Empty for ":memory:" and when the database's directory cannot be listed."""
    if database_path == ":memory:":
        return []
    database = Path(os.path.abspath(database_path))
    try:
        names = os.listdir(database.parent)
    except OSError:
        return []
    found = []
    for name in names:
        if not name.startswith(database.name):
            continue
        match = _SUFFIX.fullmatch(name[len(database.name) :])
        if match is None:
            continue
        try:
            made_at = datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
        except ValueError:  # digits that are no moment (month 13): not a name we wrote
            continue
        found.append(AutomaticCopy(database.parent / name, made_at, bool(match["partial"])))
    return sorted(found, key=lambda copy: (copy.made_at, copy.path.name))


def due_copies(database_path: str, before: datetime) -> list[AutomaticCopy]:
    """The automatic copies made before `before` (UTC) that are regular files; a
    `.partial` only when nobody has written to it for `PARTIAL_IN_PROGRESS_S`."""
    due = []
    for copy in automatic_copies(database_path):
        if copy.made_at >= before:
            continue
        try:
            info = os.lstat(copy.path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if copy.partial and time.time() - info.st_mtime < PARTIAL_IN_PROGRESS_S:
            continue
        due.append(copy)
    return due


def delete_due_copies(database_path: str, before: datetime) -> list[Path]:
    """Delete the automatic copies `due_copies` finds; returns the ones deleted.

    A copy that cannot be deleted (permissions) is logged as a warning and left; the next
    pass tries again."""
    deleted = []
    for copy in due_copies(database_path, before):
        try:
            copy.path.unlink()
        except FileNotFoundError:
            continue  # gone meanwhile: nothing left to delete
        except OSError as exc:
            log.warning("retention: cannot delete the old copy %s: %s", copy.path, exc.strerror)
            continue
        deleted.append(copy.path)
    if deleted:
        log.info(
            "retention: deleted %d automatic database copies made before %s: %s",
            len(deleted),
            before.strftime(STAMP_FORMAT),
            ", ".join(p.name for p in deleted),
        )
    return deleted
