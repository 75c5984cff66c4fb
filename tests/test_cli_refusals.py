"""The command line and refusals: it calls services as a system actor, and a refusal (for a
command acting as a person) is one clear line in English and exit status 1."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot import cli
from bot.services import tip_admin
from bot.services.roles import Access


def test_a_refusal_is_one_line_and_status_1(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "1:abc")
    help_text, configure, _ = cli.SUBCOMMANDS["run"]
    resident = Access(5, False, frozenset(), frozenset())

    def as_a_resident(args, settings):
        # The rule is checked before the database is touched, so none is needed here.
        now = dt.datetime.now(dt.UTC)
        asyncio.run(tip_admin.set_tip_enabled(None, resident, 1, False, now))  # type: ignore[arg-type]
        return 0

    monkeypatch.setitem(cli.SUBCOMMANDS, "run", (help_text, configure, as_a_resident))
    assert cli.main(["run"]) == 1
    err = capsys.readouterr().err
    assert err == "grannvakt: refused: Sorry, you are not allowed to do that.\n", err
