"""`grannvakt export observations --since YYYY-MM-DD [--kommun K] [--out file.csv]`.

Imported by `bot.cli._load_cli_extensions`; works on the database file without a running bot.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime
from pathlib import Path

from bot.cli import SUBCOMMANDS
from config import Settings


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _configure(parser: argparse.ArgumentParser) -> None:
    what = parser.add_subparsers(dest="what", required=True)
    obs = what.add_parser("observations", help="observations as CSV (UTF-8 with BOM)")
    obs.add_argument("--since", type=_date, required=True, help="first day, YYYY-MM-DD")
    obs.add_argument("--kommun", help="only groups in this kommun (4-digit code)")
    obs.add_argument("--out", type=Path, help="write to this file (default: standard output)")


async def _export(args: argparse.Namespace, settings: Settings) -> tuple[bytes, int]:
    from bot.services.observation_export import export_all
    from storage.db import Database

    since = datetime.combine(args.since, datetime.min.time(), tzinfo=settings.tzinfo)
    db = Database(settings.database_path)
    await db.open()
    try:
        return await export_all(db, settings, since, args.kommun)
    finally:
        await db.close()


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.kommun is not None and not (args.kommun.isdigit() and len(args.kommun) == 4):
        print("grannvakt: --kommun must be a 4-digit kommun code, e.g. 0180", file=sys.stderr)
        return 2
    data, count = asyncio.run(_export(args, settings))
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        args.out.write_bytes(data)
        print(f"wrote {count} observations to {args.out}", file=sys.stderr)
    return 0


SUBCOMMANDS["export"] = ("export data (observations) as CSV", _configure, _run)
