"""`grannvakt tips import FILE.csv` and `grannvakt tips export [--out FILE] [--all]`.

Both work directly on the database file (no running bot needed; SQLite's WAL and busy
timeout let them run next to a running bot). The CSV format is the shipped library's:
``key,focus,seasons,text_sv,text_en`` (see bot/services/tip_library.py and docs/tips.md).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli import SUBCOMMANDS
from bot.clock import SystemClock
from bot.services import tips as tip_service
from bot.services.tip_library import TipFileError, TipSeed, parse_tips_csv, tips_to_csv
from config import Settings
from storage import tips as tip_store
from storage.db import Database


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="tips_command", required=True)
    imp = sub.add_parser("import", help="add or replace tips from a CSV file (by key)")
    imp.add_argument("file", type=Path, help="CSV with key,focus,seasons,text_sv,text_en")
    exp = sub.add_parser("export", help="write the tip library as CSV")
    exp.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    exp.add_argument("--all", action="store_true", help="include disabled tips")


async def _import(settings: Settings, seeds: list[TipSeed]) -> tuple[int, int]:
    db = Database(settings.database_path)
    await db.open()
    try:
        now = SystemClock().now()
        await tip_service.sync_library(db, now)
        return await tip_store.import_tips(db, seeds, None, now)
    finally:
        await db.close()


async def _export(settings: Settings, include_disabled: bool) -> list[TipSeed]:
    db = Database(settings.database_path)
    await db.open()
    try:
        await tip_service.sync_library(db, SystemClock().now())
        tips = await tip_store.list_tips(db, enabled_only=not include_disabled)
    finally:
        await db.close()
    return [TipSeed(t.key, t.focus, t.seasons, t.text_sv, t.text_en) for t in tips]


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Run `tips import` / `tips export`; 1 on an unreadable or invalid file."""
    if args.tips_command == "import":
        path: Path = args.file
        try:
            seeds = parse_tips_csv(path.read_text(encoding="utf-8"))
        except OSError as exc:
            print(f"grannvakt: cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 1
        except TipFileError as exc:
            print(f"grannvakt: {path}: {exc}", file=sys.stderr)
            return 1
        added, updated = asyncio.run(_import(settings, seeds))
        print(f"imported {len(seeds)} tips: {added} added, {updated} updated")
        return 0
    seeds = asyncio.run(_export(settings, args.all))
    text = tips_to_csv(seeds)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8", newline="")
        print(f"exported {len(seeds)} tips to {args.out}", file=sys.stderr)
    return 0


SUBCOMMANDS["tips"] = ("import or export the prevention-tip library (CSV)", _configure, _run)
