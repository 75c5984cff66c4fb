"""The admin CLI (`grannvakt invite|roles|audit`) on a real database file, in-process."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.services import invitations as invitation_service
from bot.services.refusals import Refused
from storage import roles as role_store
from storage.db import Database


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """Environment for the CLI: a database file in tmp_path, no .env."""
    monkeypatch.chdir(tmp_path)
    db_path = tmp_path / "grannvakt.db"
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("DATABASE_PATH", str(db_path))
    monkeypatch.setenv("ADMIN_USER_IDS", "42")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9/bot")
    _in_db(db_path, lambda db: asyncio.sleep(0))  # the bot has run once: the file exists
    return db_path


def _in_db(db_path, work):
    async def run():
        db = Database(db_path)
        await db.open()
        try:
            return await work(db)
        finally:
            await db.close()

    return asyncio.run(run())


def test_invite_prints_link_and_stores_only_a_hash(cli_env, capsys):
    code = main(
        [
            "invite",
            "police",
            "--kommun",
            "Sölvesborg",
            "--kommun",
            "karlshamn",
            "--expires",
            "3d",
            "--bot-username",
            "grannvakt_bot",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    link = out.splitlines()[0]
    assert link.startswith("https://t.me/grannvakt_bot?start=inv_")
    payload = link.split("start=")[1]
    assert len(payload) <= 64
    assert "Sölvesborg" in out and "Karlshamn" in out
    secret = invitation_service.code_from_payload(payload)
    rows = _in_db(cli_env, lambda db: db.fetch_all("SELECT * FROM invitations"))
    assert len(rows) == 1 and rows[0]["code_hash"] == invitation_service.hash_code(secret)
    assert secret not in str(dict(rows[0]))
    expires = datetime.fromisoformat(rows[0]["expires_at"])
    created = datetime.fromisoformat(rows[0]["created_at"])
    assert round((expires - created).total_seconds() / 86400) == 3

    async def redeem_twice(db):
        now = datetime.now(UTC)
        first = await invitation_service.redeem(db, now, secret, 1001)
        try:
            await invitation_service.redeem(db, now, secret, 1002)
        except Refused as refused:
            return first, refused.key
        return first, None

    first, second = _in_db(cli_env, redeem_twice)
    assert first.scopes == ("1082", "1083") and second == "inv.used"


def test_invite_rejects_ambiguous_kommun_and_bad_expiry(cli_env, capsys):
    assert main(["invite", "police", "--kommun", "kung", "--bot-username", "b_bot"]) == 2
    assert "argument --kommun: 'kung' is ambiguous" in capsys.readouterr().err
    args = ["invite", "police", "--kommun", "Lund", "--expires", "soon", "--bot-username", "b_bot"]
    assert main(args) == 2
    assert "argument --expires: invalid duration" in capsys.readouterr().err


def test_invite_without_username_and_no_telegram_fails_cleanly(cli_env, capsys):
    assert main(["invite", "police", "--kommun", "Lund"]) == 1
    assert "cannot reach the Bot API at TELEGRAM_API_URL=" in capsys.readouterr().err
    rows = _in_db(cli_env, lambda db: db.fetch_all("SELECT * FROM invitations"))
    assert rows == []


def test_roles_list_and_revoke_and_audit(cli_env, capsys):
    async def seed(db):
        now = datetime.now(UTC)
        await role_store.grant_role(db, 1001, "police", "1083", None, now)
        await role_store.grant_role(db, 1001, "police", "1082", None, now)
        await role_store.grant_role(db, 1002, "coordinator", "7", 1002, now)

    _in_db(cli_env, seed)
    assert main(["roles", "list"]) == 0
    out = capsys.readouterr().out
    assert "42\tadmin" in out
    assert "1001\tpolice\tSölvesborg" in out and "1002\tcoordinator\tgroup 7" in out

    assert main(["roles", "revoke", "1001", "--role", "police", "--scope", "Sölvesborg"]) == 0
    assert "revoked 1" in capsys.readouterr().out
    assert main(["roles", "revoke", "1001", "--role", "police"]) == 0
    assert main(["roles", "revoke", "1001"]) == 1  # nothing left
    capsys.readouterr()
    assert main(["roles", "list"]) == 0
    assert "1001" not in capsys.readouterr().out

    assert main(["audit", "list", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert all("role.revoke" in line and "\tcli\t" in line for line in lines)


def test_revoking_an_admin_says_where_the_admin_role_comes_from(cli_env, capsys):
    """ADMIN_USER_IDS=42: 'revoked 0 role(s)' alone read as if 42 had no role at all."""
    assert main(["roles", "revoke", "42"]) == 1
    captured = capsys.readouterr()
    assert "revoked 0 role(s) of 42" in captured.out
    assert "42 stays an admin: remove the id from ADMIN_USER_IDS" in captured.err


def test_audit_list_of_an_unknown_kind_names_the_kinds_there_are(cli_env, capsys):
    """A misspelt --kind used to print nothing at all, as if nothing had happened."""
    assert main(["audit", "list"]) == 0
    assert capsys.readouterr().err.strip() == "grannvakt: the audit log is empty"

    async def seed(db):
        now = datetime.now(UTC)
        await role_store.grant_role(db, 1001, "police", "1083", None, now)
        await role_store.revoke_roles(db, 1001, None, None, None, now)

    _in_db(cli_env, seed)
    assert main(["audit", "list", "--kind", "acess"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        "grannvakt: no audit entries of kind 'acess'; kinds in the log: role"
    )
    assert main(["audit", "list", "--kind", "role"]) == 0
    assert "role.revoke" in capsys.readouterr().out


async def test_invite_asks_telegram_for_the_bot_username_and_the_link_works(emu, tmp_path):
    """The CLI calls getMe (here: the emulator), and an officer opening the link is police."""
    import os
    import sys

    from tests.harness import BotHarness

    db_path = tmp_path / "grannvakt.db"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "BOT_TOKEN": emu.token,
        "TELEGRAM_API_URL": emu.base_url,
        "DATABASE_PATH": str(db_path),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "invite",
        "police",
        "--kommun",
        "Sölvesborg",
        "--create",  # before the bot's first start
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    link = stdout.decode().splitlines()[0]
    assert link.startswith(f"https://t.me/{emu.bot_username}?start=inv_")
    assert any(call.method == "getMe" for call in emu.calls)

    harness = BotHarness(emu, db_path)
    await harness.start()
    try:
        officer = emu.add_user("Olle", language_code="sv")
        await emu.send_text(officer, "/start " + link.split("start=")[1])
        await emu.wait_for_message(officer.id)
        grants = await role_store.roles_for_user(harness.services.db, officer.id)
        assert [(g.role, g.scope) for g in grants] == [("police", "1083")]
    finally:
        await harness.stop()
