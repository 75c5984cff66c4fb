"""The `grannvakt` command line: `grannvakt run` starts the bot; more subcommands follow.

Every failure ends in one line on standard error, never a traceback: exit status 2 for a
mistake in the settings or the arguments, 1 for a failure at run time (see cli_common).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from bot.cli_common import (
    EXIT_RUNTIME,
    EXIT_USAGE,
    CliError,
    database_error,
    database_failure,
    say,
)
from bot.i18n import t_plain
from bot.services.refusals import Refused
from config import ConfigError, Settings, load_settings
from storage.db_files import DatabaseOpenError

EXIT_CONFIG = EXIT_USAGE

log = logging.getLogger(__name__)

# Subcommand modules add themselves here: name -> (help, configure parser, run(args, settings)).
SUBCOMMANDS: dict[
    str,
    tuple[
        str,
        Callable[[argparse.ArgumentParser], None],
        Callable[[argparse.Namespace, Settings], int],
    ],
] = {}

# The token of this run, kept out of the last-resort error line.
_secrets: list[str] = []

# Subcommands that talk to Telegram and so need BOT_TOKEN; the others only use the database.
NEEDS_TOKEN = {"run"}


def _configure_run(parser: argparse.ArgumentParser) -> None:
    del parser  # `run` takes no options; everything comes from the environment


def _run(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    asyncio.run(_start_and_serve(settings))
    return 0


async def _start_and_serve(settings: Settings) -> None:
    """Ask Telegram once (token, URL, network), then serve until SIGINT or SIGTERM.

    serve() shuts down cleanly: polling stops, running handlers finish, then
    post_shutdown closes the database. A database that cannot be opened raises
    DatabaseOpenError from post_init, which `main` reports.
    """
    from telegram.error import Conflict, TelegramError

    from bot.app import build_application
    from bot.cli_telegram import check_bot_api, explain_telegram_error
    from bot.lifecycle import serve
    from bot.webhook import WebhookStartError

    with _one_bot(settings):
        application = build_application(settings)
        await check_bot_api(application.bot, settings)
        try:
            await serve(application)
        except WebhookStartError as exc:
            raise CliError(str(exc), EXIT_RUNTIME) from None
        except Conflict as exc:
            line = WEBHOOK_SET_LINE if "webhook is active" in exc.message else CONFLICT_LINE
            raise CliError(line, EXIT_RUNTIME) from None
        except TelegramError as exc:
            raise explain_telegram_error(exc, settings) from None


@contextmanager
def _one_bot(settings: Settings) -> Iterator[None]:
    """The database's run lock for this bot; CliError (exit 1) while another bot has it."""
    from storage.run_lock import DatabaseHasABot, one_bot_per_database

    try:
        with one_bot_per_database(settings.database_path):
            yield
    except DatabaseHasABot as exc:
        where = settings.database_path
        raise CliError(f"DATABASE_PATH={where}: {exc}", EXIT_RUNTIME) from None


CONFLICT_LINE = (
    "another program is already fetching updates for this BOT_TOKEN (Telegram answered "
    "409 Conflict): run only one grannvakt per bot token; stop the other one first"
)

WEBHOOK_SET_LINE = (
    "a webhook is set for this BOT_TOKEN (Telegram answered 409 Conflict to getUpdates), "
    "so another grannvakt runs in webhook mode: run only one per bot token, or set "
    "WEBHOOK_URL here too"
)

SUBCOMMANDS["run"] = (
    "start the bot (long polling, or a webhook when WEBHOOK_URL is set)",
    _configure_run,
    _run,
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (naming the option) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see: {self.prog} --help)", EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    from bot.version import app_version

    parser = _Parser(prog="grannvakt", description="Grannvakt, the neighbourhood watch bot")
    parser.add_argument("--version", action="version", version=f"grannvakt {app_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, _) in SUBCOMMANDS.items():
        configure(sub.add_parser(name, help=help_text))
    return parser


def _load_cli_extensions() -> None:
    """Import modules that register further subcommands (kept lazy to start fast)."""
    import importlib

    modules = (
        "bot.cli_admin",
        "bot.cli_observations",
        "bot.cli_tips",
        "bot.cli_feed",
        "bot.cli_privacy",
        "bot.cli_ops",
        "bot.cli_lagesbild",
    )
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def _configure_logging(settings: Settings, command: str) -> None:
    # The bot logs at LOG_LEVEL; the one-shot commands keep their output to what they
    # print (migrations applied, for example, stay quiet) unless LOG_LEVEL=DEBUG.
    from bot.logging_setup import configure_logging

    level = settings.log_level
    if command != "run" and level != "DEBUG":
        level = "WARNING"
    configure_logging(
        level=level,
        log_format=settings.log_format,
        zone=settings.tzinfo,
        secrets=[*_secrets, settings.webhook_secret.get_secret_value()],
    )


def _main(argv: Sequence[str] | None) -> int:
    _load_cli_extensions()
    args = _parser().parse_args(argv)
    settings = load_settings(require_token=args.command in NEEDS_TOKEN)
    token = settings.bot_token.get_secret_value()
    _secrets[:] = [token] if token else []
    _configure_logging(settings, args.command)
    _, _, run = SUBCOMMANDS[args.command]
    try:
        return run(args, settings)
    except sqlite3.Error as exc:  # after a good open: a full disk, a lock taken meanwhile
        log.debug("database error", exc_info=True)
        raise database_failure(exc, settings.database_path) from None


_signals: list[int] = []  # SIGTERM, once received


def _on_sigterm(signum: int, frame: Any) -> None:
    """SIGTERM during a command ends it like Ctrl-C: asyncio's own Ctrl-C handler cancels
    the running command, so open transactions roll back and the database closes (a
    KeyboardInterrupt raised here instead could strike between any two bytecodes)."""
    _signals.append(signum)
    on_sigint = signal.getsignal(signal.SIGINT)
    if callable(on_sigint):
        on_sigint(signal.SIGINT, frame)
    else:
        raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `grannvakt` console script and of `python -m bot`; the exit status."""
    # `run` replaces this with its own clean shutdown (bot/lifecycle.py); until then, and
    # in every other command, SIGTERM ends like Ctrl-C instead of killing mid-write.
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    _signals.clear()
    try:
        return _main(argv)
    except CliError as exc:
        say(str(exc))
        return exc.status
    except ConfigError as exc:
        say(str(exc))
        return EXIT_CONFIG
    except DatabaseOpenError as exc:  # from the bot's own start (post_init)
        error = database_error(exc)
        say(str(error))
        return error.status
    except Refused as exc:  # a rule said no: one line in English, like any run-time failure
        say("refused: " + t_plain("en", exc.key, **exc.params))
        return EXIT_RUNTIME
    except KeyboardInterrupt:
        if signal.SIGTERM in _signals:
            say("terminated (SIGTERM)")
            return 128 + signal.SIGTERM
        say("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`grannvakt tips export | head`): not an
        # error worth a line; keep Python from complaining again when it flushes stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_RUNTIME
    except Exception as exc:  # the last net: still one line, the details in the debug log
        log.debug("unexpected error", exc_info=True)
        text = f"{type(exc).__name__}: {exc}".splitlines()[0]
        for secret in _secrets:
            text = text.replace(secret, "<BOT_TOKEN>")
        say(f"unexpected error: {text} (LOG_LEVEL=DEBUG shows details)")
        return EXIT_RUNTIME
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
