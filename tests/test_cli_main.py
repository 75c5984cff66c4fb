"""`bot.cli.main` itself: the last-resort line for an error nobody foresaw."""

from __future__ import annotations

from bot import cli


def test_unexpected_error_is_one_line_without_the_token(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123456:SECRET-PART-OF-TOKEN")
    help_text, configure, _ = cli.SUBCOMMANDS["run"]

    def explode(args, settings):
        raise RuntimeError("GET https://x/bot123456:SECRET-PART-OF-TOKEN/getMe failed\nmore")

    monkeypatch.setitem(cli.SUBCOMMANDS, "run", (help_text, configure, explode))
    assert cli.main(["run"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("grannvakt: unexpected error: RuntimeError: GET https://x/bot<BOT_TOKEN>")
    assert "SECRET-PART" not in err


def test_interrupt_is_one_line_and_status_130(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "1:abc")
    help_text, configure, _ = cli.SUBCOMMANDS["run"]

    def interrupted(args, settings):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.SUBCOMMANDS, "run", (help_text, configure, interrupted))
    assert cli.main(["run"]) == 130
    assert capsys.readouterr().err == "grannvakt: interrupted\n"
