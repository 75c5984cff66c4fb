"""`grannvakt tips import FILE.csv` and `grannvakt tips export [--out FILE] [--all]`.

Both work directly on the database file (no running bot needed; SQLite's WAL and busy
timeout let them run next to a running bot). The CSV format is the shipped library's:
``key,focus,seasons,text_sv,text_en`` (see bot/services/tip_library.py and docs/tips.md).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from pathlib import Path

from bot.cli import SUBCOMMANDS
from bot.cli_common import (
    CliError,
    add_create_option,
    open_database,
    out_path,
    read_text_file,
    say,
    write_file,
)
from bot.clock import SystemClock
from bot.services import tips as tip_service
from bot.services.roles import system
from bot.services.tip_library import (
    CSV_HEADER,
    TipFileError,
    TipSeed,
    parse_tips_csv,
    tips_to_csv_file,
)
from config import Settings
from storage import tips as tip_store


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="tips_command", metavar="{import,export}", required=True)
    imp = sub.add_parser("import", help="add or replace tips from a CSV file (by key)")
    imp.add_argument(
        "file", type=Path, help="UTF-8 CSV with key,focus,seasons,text_sv,text_en (, or ;)"
    )
    add_create_option(imp)
    exp = sub.add_parser("export", help="write the tip library as CSV")
    exp.add_argument("--out", type=out_path, help="file to write (default or -: standard output)")
    exp.add_argument("--all", action="store_true", help="include disabled tips")
    add_create_option(exp)


async def _import(settings: Settings, seeds: list[TipSeed], create: bool) -> tuple[int, int]:
    async with open_database(settings, create=create) as db:
        now = SystemClock().now()
        await tip_service.sync_library(db, system("cli"), now)
        return await tip_store.import_tips(db, seeds, None, now)


async def _export(settings: Settings, include_disabled: bool, create: bool) -> list[TipSeed]:
    async with open_database(settings, create=create) as db:
        await tip_service.sync_library(db, system("cli"), SystemClock().now())
        tips = await tip_store.list_tips(db, enabled_only=not include_disabled)
    return [TipSeed(t.key, t.focus, t.seasons, t.text_sv, t.text_en) for t in tips]


def _with_commas(text: str) -> str:
    """A file saved by a Swedish spreadsheet separates with `;`: read it as `,`-CSV.

    Only when the header row itself is `;`-separated, so a `;` inside a tip text of an
    ordinary file is left alone.
    """
    first = next((line for line in text.removeprefix("\ufeff").splitlines() if line.strip()), "")
    if tuple(f.strip() for f in first.split(";")) != CSV_HEADER:
        return text
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    try:
        for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"):
            writer.writerow(row)
    except csv.Error:
        return text  # parse_tips_csv names the malformed row
    return out.getvalue()


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Run `tips import` / `tips export`; exit 2 on an unreadable or invalid file."""
    if args.tips_command == "import":
        path: Path = args.file
        text = _with_commas(read_text_file(path, "tip file"))
        try:
            seeds = parse_tips_csv(text)
        except TipFileError as exc:
            raise CliError(f"tip file {path}: {exc}") from None
        added, updated = asyncio.run(_import(settings, seeds, args.create))
        print(f"imported {len(seeds)} tips: {added} added, {updated} updated")
        return 0
    seeds = asyncio.run(_export(settings, args.all, args.create))
    data = tips_to_csv_file(seeds)  # with a BOM, like `export observations`
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()  # here, so a closed pipe is reported by main, not at exit
    else:
        write_file(args.out, data)
        say(f"exported {len(seeds)} tips to {args.out}")
    return 0


SUBCOMMANDS["tips"] = ("import or export the prevention-tip library (CSV)", _configure, _run)
