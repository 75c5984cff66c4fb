"""One running bot per database: `grannvakt run` holds `<database>.run.lock` exclusively.

Two bots on one database (a second start by mistake, a staging token pointed at the
production file) would both run the delivery worker, the schedules and the feed: every
message twice. Telegram's 409 Conflict only catches two bots with the SAME token. The
lock is an flock, so it ends with the process, also after `kill -9`; the file stays.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator


class DatabaseHasABot(Exception):
    """Another process runs a bot on this database; the message is one line."""


def run_lock_path(database_path: str) -> str:
    return database_path + ".run.lock"


@contextlib.contextmanager
def one_bot_per_database(database_path: str) -> Iterator[None]:
    """Hold the run lock of `database_path` while the block runs.

    Raises DatabaseHasABot (naming the other process id) when another bot holds it. A
    lock file that cannot be made (a missing or read-only directory) is no error here:
    opening the database then says what is wrong.
    """
    if database_path == ":memory:":
        yield
        return
    try:
        # The bot creates the database's directory anyway; a first start in a new one must
        # hold the lock too, or a second bot started later would find it free.
        os.makedirs(os.path.dirname(os.path.abspath(database_path)), exist_ok=True)
        fd = os.open(run_lock_path(database_path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise DatabaseHasABot(
                f"another grannvakt (process {other}) is running on this database; run "
                "only one bot per database: stop the other one first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
