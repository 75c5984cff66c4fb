"""Every file a running bot leaves next to its database (the -wal and -shm files, the
locks, its own backup copies) is ignored by git (.gitignore), so a bot run in a checkout
never offers people's data for a commit."""

from __future__ import annotations

import asyncio
import fnmatch
import os
import signal
from pathlib import Path

from tests.cli_helpers import cli_env, run_cli_async, start_bot_process
from tests.test_backup import _older_database

ROOT = Path(__file__).resolve().parent.parent


def _ignored(name: str) -> bool:
    """Whether a file `name` in the checkout's top directory matches a .gitignore line
    (the file has only plain name patterns, no negations: checked here)."""
    patterns = [
        line.strip()
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(p.startswith("!") for p in patterns)
    return any(fnmatch.fnmatchcase(name, p.rstrip("/")) for p in patterns)


async def test_what_a_run_leaves_next_to_its_database_is_ignored_by_git(emu, tmp_path):
    db = tmp_path / "grannvakt.db"
    _older_database(db)  # so that the start migrates it and makes its copy first
    env = cli_env(
        tmp_path,
        BOT_TOKEN=emu.token,
        TELEGRAM_API_URL=emu.base_url,
        DATABASE_PATH=str(db),
        POLICE_FEED_ENABLED="false",
    )
    process = await start_bot_process(tmp_path, env, output=asyncio.subprocess.DEVNULL)
    try:
        anna = emu.add_user("Anna", language_code="sv")
        await emu.send_text(anna, "/start")
        await emu.wait_for_message(anna.id, timeout=30)
        # Killed, not stopped: what a crash leaves (the -wal and -shm files) counts too.
        process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.wait(), timeout=20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    left = {p.name for p in tmp_path.iterdir() if p.is_file()}
    backup = tmp_path / "backups" / "saved.db"
    backup.parent.mkdir()
    status, _, stderr = await run_cli_async(["backup", "--out", str(backup)], tmp_path, env)
    assert status == 0, stderr
    status, _, stderr = await run_cli_async(["restore", str(backup)], tmp_path, env)
    assert status == 0, stderr
    # A copy interrupted by a kill leaves its .partial.
    (tmp_path / f"{db.name}.before-restore-20260101T000000Z.bak.partial").write_bytes(b"x")

    left = sorted(left | {p.name for p in tmp_path.iterdir() if p.is_file()})
    for kind in (".db-wal", ".db-shm", ".db.lock", ".db.run.lock", ".bak"):
        assert any(name.endswith(kind) for name in left), (kind, left)
    assert any(".pre-migration-" in name for name in left), left
    assert any(".before-restore-" in name for name in left), left
    assert [name for name in left if not _ignored(name)] == [], left
    assert not os.path.exists(ROOT / "grannvakt.db.run.lock")  # nothing went elsewhere
