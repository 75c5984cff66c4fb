"""Every option that takes a number, a duration, a name or a path: a mistake is one line
naming the option, exit status 2, never a traceback or argparse's usage block."""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import Database
from tests.cli_helpers import cli_env, fails_with, run_cli


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory holding a database the bot has already created (grannvakt.db)."""

    async def create() -> None:
        db = Database(tmp_path / "grannvakt.db")
        await db.open()
        await db.close()

    asyncio.run(create())
    return tmp_path


def cli(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(list(args), workdir, cli_env(workdir))  # no BOT_TOKEN: not needed


INVITE = ["invite", "police", "--kommun", "Lund"]
LAGESBILD = ["lagesbild", "--kommun", "Lund", "--out", "."]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["audit", "list", "--limit", "0"], ["argument --limit", "between 1 and"]),
        (["audit", "list", "--limit", "-5"], ["argument --limit"]),
        (["audit", "list", "--limit", "many"], ["argument --limit", "whole number"]),
        (["audit", "list", "--limit", "1" + "0" * 30], ["argument --limit"]),
        (["roles", "revoke", "anna"], ["argument user_id", "Telegram user id"]),
        (["roles", "revoke", "0"], ["argument user_id"]),
        (["roles", "revoke", "1" + "0" * 30], ["argument user_id"]),
        (["roles", "revoke", "5", "--role", "police", "--scope", "Atlantis"], ["--scope"]),
        (["roles", "revoke", "5", "--role", "coordinator", "--scope", "Lund"], ["--scope"]),
        (["roles", "revoke", "5", "--role", "admin"], ["argument --role"]),
        ([*INVITE, "--expires", "7days", "--bot-username", "g_bot"], ["argument --expires"]),
        ([*INVITE, "--expires", "1y", "--bot-username", "g_bot"], ["argument --expires"]),
        ([*INVITE, "--expires", "0d", "--bot-username", "g_bot"], ["argument --expires"]),
        ([*INVITE, "--expires", "91d", "--bot-username", "g_bot"], ["argument --expires"]),
        (["invite", "police", "--kommun", "kung", "--bot-username", "g_bot"], ["--kommun"]),
        (["invite", "police", "--kommun", "9999", "--bot-username", "g_bot"], ["--kommun"]),
        (["invite", "police", "--bot-username", "g_bot"], ["--kommun"]),
        ([*INVITE, "--bot-username", "https://example.com/g_bot"], ["--bot-username"]),
        ([*INVITE, "--bot-username", "anna"], ["argument --bot-username", "end in 'bot'"]),
        ([*INVITE, "--bot-username", "@"], ["argument --bot-username"]),
        (["export", "observations", "--since", "2026-13-01"], ["argument --since"]),
        (["export", "observations"], ["--since"]),
        (["export", "observations", "--since", "0001-01-01"], ["argument --since"]),
        (["export", "observations", "--since", "9999-12-31"], ["argument --since", "after"]),
        (
            [*LAGESBILD, "--since", "9999-12-01", "--until", "9999-12-31"],
            ["argument --since", "after 2099"],
        ),
        (
            [*LAGESBILD, "--since", "2026-01-05", "--until", "9999-12-31"],
            ["argument --until", "after 2099"],
        ),
        (["tips", "export", "--out", ""], ["argument --out"]),
        # Bytes that are not UTF-8 (a Latin-1 terminal) arrive as lone surrogates.
        (["roles", "revoke", "5", "--scope", "S\udcf6lvesborg"], ["argument --scope", "UTF-8"]),
        (["audit", "list", "--kind", "\udce5tkomst"], ["argument --kind", "UTF-8"]),
        (
            ["invite", "police", "--kommun", "\udcc5m\udce5l", "--bot-username", "g_bot"],
            ["argument --kommun", "not UTF-8"],
        ),
        (
            ["invite", "police", "--kommun", "a" * 5000, "--bot-username", "g_bot"],
            ["argument --kommun", "at most 200"],
        ),
        (["export", "observations", "--since", "2026-01-01", "--kommun", "Atlantis"], ["--kommun"]),
        (["export"], ["required", "observations"]),
        (["roles"], ["required", "list,revoke"]),
        (["tips"], ["required", "import,export"]),
        (["frobnicate"], ["invalid choice"]),
        ([], ["required"]),
    ],
)
def test_a_bad_argument_is_one_line_naming_the_option(workdir, args, needles):
    if not args:  # `python -m bot` alone means `run`; the bare parser is the console script
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main([]))"],
            cwd=workdir,
            env=cli_env(workdir),
            capture_output=True,
            text=True,
            timeout=60,
        )
    else:
        result = cli(workdir, *args)
    line = fails_with(result, 2, *needles)
    assert "--help" in line  # where to read more


@pytest.mark.parametrize(
    "given",
    [
        "grannvakt_bot",
        "@grannvakt_bot",
        "https://t.me/grannvakt_bot",
        "t.me/grannvakt_bot",
        "https://t.me/grannvakt_bot?start=x",
        "https://telegram.me/grannvakt_bot/",
    ],
)
def test_bot_username_as_name_at_name_or_link(workdir, given):
    result = cli(workdir, *INVITE, "--bot-username", given)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("https://t.me/grannvakt_bot?start=inv_")


def test_export_kommun_by_name_like_the_other_commands(workdir):
    result = cli(workdir, "export", "observations", "--since", "2026-01-01", "--kommun", "lund")
    assert result.returncode == 0, result.stderr
    header = next(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert header[0]  # a CSV with its header, filtered by Lund's code


@pytest.mark.parametrize(
    "command", [["export", "observations", "--since", "2026-01-01"], ["tips", "export"]]
)
@pytest.mark.parametrize("where", ["missing dir", "a directory", "permission"])
def test_out_that_cannot_be_written(workdir, command, where):
    target = {
        "missing dir": workdir / "nonexistent" / "dir" / "out.csv",
        "a directory": workdir,
        "permission": Path("/sys/grannvakt-out.csv"),  # refused even to root
    }[where]
    if where == "permission" and not Path("/sys").is_dir():
        pytest.skip("no /sys here")
    result = cli(workdir, *command, "--out", str(target))
    fails_with(result, 2, f"--out {target}", "cannot write")


def test_out_dash_is_standard_output(workdir):
    result = cli(workdir, "tips", "export", "--out", "-")
    # With a BOM, like the observation export (#13).
    assert result.returncode == 0 and result.stdout.startswith("\ufeffkey,focus,"), result.stderr
    assert not (workdir / "-").exists()


def test_tip_file_in_latin1_or_utf16_must_be_utf8(workdir):
    text = 'key,focus,seasons,text_sv,text_en\r\nbyt-lås,burglary,all_year,"Byt lås.","Lock."\r\n'
    (workdir / "latin1.csv").write_bytes(text.encode("latin-1"))
    (workdir / "utf16.csv").write_bytes(text.encode("utf-16"))
    fails_with(cli(workdir, "tips", "import", "latin1.csv"), 2, "latin1.csv", "not UTF-8")
    fails_with(cli(workdir, "tips", "import", "utf16.csv"), 2, "utf16.csv", "UTF-16", "UTF-8")


def test_tip_file_unreadable(workdir):
    fails_with(cli(workdir, "tips", "import", "missing.csv"), 2, "missing.csv", "cannot read")
    fails_with(cli(workdir, "tips", "import", "."), 2, "cannot read")


def test_semicolon_separated_tip_file_from_a_swedish_spreadsheet_is_accepted(workdir):
    rows = [
        "\ufeffkey;focus;seasons;text_sv;text_en",
        'grannar-semikolon;neighbour;all_year;"Hälsa, och presentera dig.";"Say hello, too."',
    ]
    (workdir / "excel.csv").write_bytes("\r\n".join(rows).encode())
    result = cli(workdir, "tips", "import", "excel.csv")
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    exported = cli(workdir, "tips", "export")
    assert 'grannar-semikolon,neighbour,all_year,"Hälsa, och presentera dig."' in exported.stdout


@pytest.mark.parametrize(
    "command", [["tips", "export"], ["export", "observations", "--since", "2026-01-01"]]
)
def test_a_reader_that_goes_away_is_no_traceback(workdir, command):
    """`grannvakt tips export | head -1`: the pipe closes before everything is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *command],
        cwd=workdir,
        env=cli_env(workdir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command writes anything
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert process.returncode == 1
