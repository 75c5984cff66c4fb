"""Fresh databases for tests without running every migration each time.

Migrating an empty file (every file in storage/migrations) costs about 0.1 s, paid by
almost every test. Instead the first fresh database of a test process is migrated by
`Database.open` as usual, into a template; later ones are byte copies of that file. The
migration tests (tests/test_migrations.py and friends) open their databases themselves,
so they still migrate from scratch.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from storage.db import Database

_template: Path | None = None


async def _migrated_template() -> Path:
    global _template
    if _template is None:
        folder = tempfile.mkdtemp(prefix="grannvakt-template-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "template.db"
        database = Database(path)
        await database.open()
        await database.close()  # the last connection folds the WAL into the file
        _template = path
    return _template


async def seed_fresh_database(path: str | Path) -> None:
    """Make `path` a migrated, empty database unless it exists already (or is ":memory:").

    The same schema and `PRAGMA user_version` as `Database.open` gives a new file; only
    `Database.created` differs (False: the file was there)."""
    if str(path) == ":memory:" or Path(path).exists():
        return
    template = await _migrated_template()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
