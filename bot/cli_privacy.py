"""`grannvakt retention run [--dry-run]`: one retention pass now (docs/privacy.md).

Imported by `bot.cli._load_cli_extensions`; works on the database file without a running
bot (a running bot also runs the pass daily by itself).
"""

from __future__ import annotations

import argparse
import asyncio

from bot.cli import SUBCOMMANDS
from bot.cli_common import add_create_option, open_database
from bot.clock import SystemClock
from config import Settings


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="retention_command", metavar="{run}", required=True)
    run = sub.add_parser("run", help="delete what is past its keeping time now")
    run.add_argument(
        "--dry-run", action="store_true", help="only count what would be deleted; change nothing"
    )
    add_create_option(run)


async def _pass(args: argparse.Namespace, settings: Settings) -> str:
    from bot.services import retention
    from bot.services.people import PeopleService

    clock = SystemClock()
    async with open_database(settings, create=args.create) as db:
        people = PeopleService(db, clock, settings.default_language)
        report = await retention.run(db, settings, clock, people, dry_run=args.dry_run)
    return report.line()


def _run(args: argparse.Namespace, settings: Settings) -> int:
    print(asyncio.run(_pass(args, settings)))
    return 0


SUBCOMMANDS["retention"] = ("apply the retention rules (docs/privacy.md)", _configure, _run)
