"""`grannvakt lagesbild --kommun K --since YYYY-MM-DD [--until YYYY-MM-DD] --out DIR`.

Writes the same chart PNG, map PNG and CSV that /lagesbild and /karta send, for the
safety office's reports, for the whole ISO weeks holding --since and --until (by default
up to the last complete week, as /lagesbild). Works on the database file; no running bot
is needed. Imported by `bot.cli._load_cli_extensions`.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta
from pathlib import Path

from bot.cli import SUBCOMMANDS
from bot.cli_common import CliError, add_create_option, kommun_code, open_database, say, write_file
from bot.cli_observations import _date
from config import Settings


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kommun", type=kommun_code, required=True, help="kommun name or code")
    parser.add_argument(
        "--since", type=_date, required=True, help="a day of the first ISO week, YYYY-MM-DD"
    )
    parser.add_argument(
        "--until",
        type=_date,
        help="a day of the last ISO week, YYYY-MM-DD (default: the last complete week)",
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
    today = SystemClock().now().astimezone(tz).date()
    # Whole ISO weeks: from the week holding --since to the one holding --until, by
    # default the last complete week (as /lagesbild).
    until = args.until if args.until is not None else today - timedelta(days=today.weekday() + 1)
    if until < args.since:
        raise CliError("--since must be before --until (or before this week without --until)")
    period = service.weeks_covering(args.since, until, tz)
    scope = service.Scope(kommun_codes=(args.kommun,))
    async with open_database(settings, create=args.create) as db:
        picture = await service.collect(db, scope, period)
        grid = await lagesbild_map.heat_grid(db, scope, period)
    first, last = render.iso_dates(period)
    stem = f"{args.kommun}-{first}-{last}"
    chart = await render.chart_png(picture, args.lang, scope)
    map_png, _ = await render.map_png(grid, args.lang, scope, tz)
    files = {
        args.out / f"lagesbild-{stem}.png": chart,
        args.out / f"karta-{stem}.png": map_png,
        args.out / f"lagesbild-{stem}.csv": render.to_csv(picture, args.lang),
    }
    if period.last_day >= today:
        say(f"note: week {period.iso_weeks()[-1].key} is not over yet: counted up to now")
    say(f"weeks {period.iso_weeks()[0].key} to {period.iso_weeks()[-1].key} ({first} to {last})")
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
