"""`grannvakt lagesbild --kommun K --since YYYY-MM-DD [--until YYYY-MM-DD] --out DIR`.

Writes the same chart PNG, map PNG and CSV that /lagesbild and /karta send, for the
safety office's reports. Works on the database file; no running bot is needed. Imported
by `bot.cli._load_cli_extensions`.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from bot.cli import SUBCOMMANDS
from bot.cli_common import CliError, add_create_option, kommun_code, open_database, say, write_file
from bot.cli_observations import _date
from config import Settings


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kommun", type=kommun_code, required=True, help="kommun name or code")
    parser.add_argument("--since", type=_date, required=True, help="first day, YYYY-MM-DD")
    parser.add_argument(
        "--until", type=_date, help="last day, YYYY-MM-DD (default: today, up to now)"
    )
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--lang", choices=["sv", "en"], default="sv", help="label language")
    add_create_option(parser)


async def _write(args: argparse.Namespace, settings: Settings) -> list[Path]:
    from bot.clock import SystemClock
    from bot.services import lagesbild as service
    from bot.services import lagesbild_map
    from bot.services import lagesbild_render as render

    tz = settings.tzinfo
    start = datetime.combine(args.since, datetime.min.time(), tzinfo=tz)
    if args.until is not None:
        end = datetime.combine(args.until + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    else:
        end = SystemClock().now()
    if end <= start:
        raise CliError("--since must be before --until (or today)")
    period = service.Period(None, start, end)
    scope = service.Scope(kommun_codes=(args.kommun,))
    async with open_database(settings, create=args.create) as db:
        picture = await service.collect(db, scope, period)
        grid = await lagesbild_map.heat_grid(db, scope, period)
    first, last = render.dates(period, tz)
    stem = f"{args.kommun}-{first}-{last}"
    chart = await render.chart_png(picture, args.lang, scope, tz)
    map_png, _ = await render.map_png(grid, args.lang, scope, tz)
    files = {
        args.out / f"lagesbild-{stem}.png": chart,
        args.out / f"karta-{stem}.png": map_png,
        args.out / f"lagesbild-{stem}.csv": render.to_csv(picture, args.lang, tz),
    }
    for path, data in files.items():
        write_file(path, data)
    return list(files)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.out.is_dir():
        raise CliError(f"--out {args.out}: not a directory")
    for path in asyncio.run(_write(args, settings)):
        say(f"wrote {path}")
    return 0


SUBCOMMANDS["lagesbild"] = (
    "write the lägesbild chart, map and CSV of a kommun (PNG, PNG, CSV)",
    _configure,
    _run,
)
