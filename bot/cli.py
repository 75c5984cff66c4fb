"""The `grannvakt` command line: `grannvakt run` starts the bot; more subcommands follow."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from config import ConfigError, Settings, load_settings

EXIT_CONFIG = 2

# Subcommand modules add themselves here: name -> (configure parser, run(args, settings)).
SUBCOMMANDS: dict[
    str,
    tuple[
        str,
        Callable[[argparse.ArgumentParser], None],
        Callable[[argparse.Namespace, Settings], int],
    ],
] = {}


def _configure_run(parser: argparse.ArgumentParser) -> None:
    del parser  # `run` takes no options; everything comes from the environment


def _run(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application
    from bot.lifecycle import serve

    # serve() handles SIGINT/SIGTERM and shuts down cleanly: polling stops, running
    # handlers finish, then post_shutdown closes the database.
    try:
        asyncio.run(serve(build_application(settings)))
    except InvalidToken:
        print(
            "grannvakt: BOT_TOKEN was rejected by Telegram: check it with @BotFather",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except NetworkError as exc:
        print(
            f"grannvakt: cannot reach the Bot API at {settings.telegram_api_url}: {exc}",
            file=sys.stderr,
        )
        return 1
    return 0


SUBCOMMANDS["run"] = ("start the bot (long polling)", _configure_run, _run)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grannvakt", description="Grannvakt, the neighbourhood watch bot"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, _) in SUBCOMMANDS.items():
        configure(sub.add_parser(name, help=help_text))
    return parser


def _load_cli_extensions() -> None:
    """Import modules that register further subcommands (kept lazy to start fast)."""
    import importlib

    for module in ("bot.cli_admin", "bot.cli_observations", "bot.cli_tips", "bot.cli_feed"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `grannvakt` console script and of `python -m bot`."""
    _load_cli_extensions()
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"grannvakt: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _, _, run = SUBCOMMANDS[args.command]
    return run(args, settings)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
