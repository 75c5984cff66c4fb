"""Admin subcommands of `grannvakt`: police invitations, roles and the audit log.

    grannvakt invite police --kommun Sölvesborg [--kommun Karlshamn] [--expires 7d]
    grannvakt roles list
    grannvakt roles revoke <telegram user id> [--role police|coordinator] [--scope CODE]
    grannvakt audit list [--limit 50]

They work on the database file directly; no running bot is needed. `invite` asks Telegram
for the bot's username once (getMe) unless `--bot-username` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable

from bot import cli
from bot.clock import SystemClock
from bot.services import groups as group_service
from bot.services import invitations as invitation_service
from bot.services.kommuner import find_kommun_by_code, match_kommuner
from config import Settings
from storage import roles as role_store
from storage.db import Database

EXIT_USAGE = 1


def _fail(message: str) -> int:
    print(f"grannvakt: {message}", file=sys.stderr)
    return EXIT_USAGE


async def _with_db(settings: Settings, work: Callable[[Database], Awaitable[int]]) -> int:
    db = Database(settings.database_path)
    await db.open()
    try:
        return await work(db)
    finally:
        await db.close()


def resolve_kommun(text: str) -> str:
    """A kommun code for a name or code; ValueError naming the candidates if unclear."""
    if text.strip().isdigit():
        kommun = find_kommun_by_code(text)
        if kommun is None:
            raise ValueError(f"unknown kommun code {text!r}")
        return kommun.code
    matches = match_kommuner(text)
    if len(matches) == 1:
        return matches[0].code
    if not matches:
        raise ValueError(f"no kommun matches {text!r}")
    names = ", ".join(f"{k.name} ({k.code})" for k in matches)
    raise ValueError(f"{text!r} is ambiguous: {names}")


async def _bot_username(settings: Settings) -> str:
    from telegram import Bot

    async with Bot(
        settings.bot_token.get_secret_value(), base_url=settings.telegram_api_url
    ) as bot:
        return bot.username


# --------------------------------------------------------------------------- invite


def _configure_invite(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("role", choices=["police"], help="the role to invite to")
    parser.add_argument(
        "--kommun", action="append", required=True, help="kommun name or code (repeatable)"
    )
    parser.add_argument("--expires", default="7d", help="validity, e.g. 12h, 7d, 2w (default 7d)")
    parser.add_argument("--bot-username", help="skip asking Telegram for the bot's username")


def _run_invite(args: argparse.Namespace, settings: Settings) -> int:
    try:
        codes = [resolve_kommun(name) for name in args.kommun]
        expires_in = invitation_service.parse_duration(args.expires)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        username = args.bot_username or asyncio.run(_bot_username(settings))
    except Exception as exc:  # network or token problems: say so, do not create anything
        return _fail(f"could not ask Telegram for the bot's username ({exc}); use --bot-username")
    username = username.lstrip("@")

    async def work(db: Database) -> int:
        created = await invitation_service.create_police_invitation(
            db, SystemClock().now(), codes, created_by=None, expires_in=expires_in
        )
        kommuner = ", ".join(group_service.kommun_label(c) for c in created.kommun_codes)
        expires = created.expires_at.astimezone(settings.tzinfo).strftime("%Y-%m-%d %H:%M %Z")
        print(group_service.deep_link(username, created.payload))
        print(f"police invitation #{created.id} for {kommuner}; single use; expires {expires}")
        return 0

    return asyncio.run(_with_db(settings, work))


# --------------------------------------------------------------------------- roles


def _configure_roles(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="roles_command", required=True)
    sub.add_parser("list", help="list stored roles")
    revoke = sub.add_parser("revoke", help="revoke a person's roles")
    revoke.add_argument("user_id", type=int, help="Telegram user id")
    revoke.add_argument("--role", choices=["police", "coordinator"], help="only this role")
    revoke.add_argument("--scope", help="only this scope (kommun code or group id)")


def _run_roles(args: argparse.Namespace, settings: Settings) -> int:
    async def list_roles(db: Database) -> int:
        grants = await role_store.all_roles(db)
        for admin in sorted(settings.admin_user_ids):
            print(f"{admin}\tadmin\t*\t(ADMIN_USER_IDS)")
        for g in grants:
            scope = (
                group_service.kommun_label(g.scope) if g.role == "police" else f"group {g.scope}"
            )
            by = "cli" if g.granted_by is None else str(g.granted_by)
            print(f"{g.user_id}\t{g.role}\t{scope}\tgranted {g.granted_at:%Y-%m-%d} by {by}")
        if not grants and not settings.admin_user_ids:
            print("no roles")
        return 0

    async def revoke(db: Database) -> int:
        scope = args.scope
        if scope and args.role == "police":
            try:
                scope = resolve_kommun(scope)
            except ValueError as exc:
                return _fail(str(exc))
        count = await role_store.revoke_roles(
            db, args.user_id, args.role, scope, None, SystemClock().now()
        )
        print(f"revoked {count} role(s) of {args.user_id}")
        return 0 if count else EXIT_USAGE

    return asyncio.run(_with_db(settings, list_roles if args.roles_command == "list" else revoke))


# --------------------------------------------------------------------------- audit


def _configure_audit(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", required=True)
    listing = sub.add_parser("list", help="show the latest audit entries")
    listing.add_argument("--limit", type=int, default=50)


def _run_audit(args: argparse.Namespace, settings: Settings) -> int:
    async def work(db: Database) -> int:
        for e in await role_store.audit_entries(db, max(1, args.limit)):
            actor = "cli" if e.actor_id is None else str(e.actor_id)
            when = e.at.astimezone(settings.tzinfo).strftime("%Y-%m-%d %H:%M:%S")
            details = json.dumps(e.details, ensure_ascii=False)
            print(f"{when}\t{actor}\t{e.action}\t{e.subject}\t{details}")
        return 0

    return asyncio.run(_with_db(settings, work))


cli.SUBCOMMANDS["invite"] = (
    "create a one-time police invitation link",
    _configure_invite,
    _run_invite,
)
cli.SUBCOMMANDS["roles"] = ("list or revoke roles", _configure_roles, _run_roles)
cli.SUBCOMMANDS["audit"] = ("show the audit log", _configure_audit, _run_audit)
