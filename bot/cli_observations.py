"""`grannvakt export observations --since YYYY-MM-DD [--kommun K] [--out file.csv]`.

Imported by `bot.cli._load_cli_extensions`; works on the database file without a running bot.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime

from bot.cli import SUBCOMMANDS
from bot.cli_common import add_create_option, kommun_code, open_database, out_path, say, write_file
from config import Settings


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    if day.year < 2000:  # nothing older exists; year 1 would not even convert to UTC
        raise argparse.ArgumentTypeError(f"{text} is before 2000")
    if day.year > 2099:  # a typo; near year 9999 the week arithmetic overflows
        raise argparse.ArgumentTypeError(f"{text} is after 2099")
    return day


def _configure(parser: argparse.ArgumentParser) -> None:
    what = parser.add_subparsers(dest="what", metavar="{observations}", required=True)
    obs = what.add_parser("observations", help="observations as CSV (UTF-8 with BOM)")
    obs.add_argument("--since", type=_date, required=True, help="first day, YYYY-MM-DD")
    obs.add_argument("--kommun", type=kommun_code, help="only groups in this kommun (name or code)")
    obs.add_argument(
        "--out", type=out_path, help="write to this file (default or -: standard output)"
    )
    add_create_option(obs)


async def _export(args: argparse.Namespace, settings: Settings) -> tuple[bytes, int]:
    from bot.services.observation_export import export_all
    from bot.services.roles import system

    since = datetime.combine(args.since, datetime.min.time(), tzinfo=settings.tzinfo)
    async with open_database(settings, create=args.create) as db:
        return await export_all(db, settings, system("cli"), since, args.kommun)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    data, count = asyncio.run(_export(args, settings))
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_file(args.out, data)
        say(f"wrote {count} observations to {args.out}")
    return 0


SUBCOMMANDS["export"] = ("export data (observations) as CSV", _configure, _run)
