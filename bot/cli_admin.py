"""Admin subcommands of `grannvakt`: police invitations, roles and the audit log.

    grannvakt invite police --kommun Sölvesborg [--kommun Karlshamn] [--expires 7d]
    grannvakt invite kommun --kommun Sölvesborg      (the kommun's safety office: aggregates)
    grannvakt roles list
    grannvakt roles revoke <telegram user id> [--role police|coordinator] [--scope KOMMUN|GROUP]
    grannvakt audit list [--limit 50] [--kind access]

They work on the database file directly; no running bot is needed. `invite` asks Telegram
for the bot's username once (getMe) unless `--bot-username` is given. A missing database
file is refused unless `--create` is given (see bot/cli_common.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable

from bot import cli
from bot.cli_common import (
    EXIT_RUNTIME,
    CliError,
    add_create_option,
    bot_username,
    duration,
    kommun_code,
    name_text,
    open_database,
    positive_int,
    say,
    user_id,
)
from bot.clock import SystemClock
from bot.services import groups as group_service
from bot.services import invitations as invitation_service
from bot.services import roles as role_service
from bot.services.roles import Role, system
from config import Settings
from storage import privacy as privacy_store
from storage import roles as role_store
from storage.db import Database


def _with_db(
    args: argparse.Namespace, settings: Settings, work: Callable[[Database], Awaitable[int]]
) -> int:
    async def run() -> int:
        async with open_database(settings, create=args.create) as db:
            return await work(db)

    return asyncio.run(run())


async def _bot_username(settings: Settings) -> str:
    from telegram import Bot

    from bot.cli_telegram import check_bot_api

    bot = Bot(settings.require_token(), base_url=settings.telegram_api_url)
    await check_bot_api(bot, settings)
    try:
        return bot.username
    finally:
        await bot.shutdown()


# --------------------------------------------------------------------------- invite


def _configure_invite(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("role", choices=["police", "kommun"], help="the role to invite to")
    parser.add_argument(
        "--kommun",
        action="append",
        required=True,
        type=kommun_code,
        help="kommun name or code (repeatable)",
    )
    parser.add_argument(
        "--expires",
        type=duration,
        default=invitation_service.DEFAULT_EXPIRY,
        help="validity: a number and m, h, d or w (minutes, hours, days, weeks), "
        "e.g. 12h, 7d, 2w; at most 90d (default 7d)",
    )
    parser.add_argument(
        "--bot-username",
        type=bot_username,
        help="the bot's username (name_bot, @name_bot or https://t.me/name_bot); "
        "skips asking Telegram",
    )
    add_create_option(parser)


def _run_invite(args: argparse.Namespace, settings: Settings) -> int:
    # Ask Telegram first: a failure there must not leave an unused invitation behind.
    username = args.bot_username or asyncio.run(_bot_username(settings))

    async def work(db: Database) -> int:
        created = await invitation_service.create_invitation(
            db,
            SystemClock().now(),
            Role(args.role),
            args.kommun,
            actor=system("cli"),
            expires_in=args.expires,
        )
        kommuner = ", ".join(group_service.kommun_label(c) for c in created.kommun_codes)
        expires = created.expires_at.astimezone(settings.tzinfo).strftime("%Y-%m-%d %H:%M %Z")
        print(group_service.deep_link(username, created.payload))
        print(f"{args.role} invitation #{created.id} for {kommuner}; single use; expires {expires}")
        return 0

    return _with_db(args, settings, work)


# --------------------------------------------------------------------------- roles


def _configure_roles(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="roles_command", metavar="{list,revoke}", required=True)
    add_create_option(sub.add_parser("list", help="list stored roles"))
    revoke = sub.add_parser("revoke", help="revoke a person's roles")
    revoke.add_argument("user_id", type=user_id, help="Telegram user id")
    revoke.add_argument(
        "--role", choices=["police", "kommun", "coordinator"], help="only this role"
    )
    revoke.add_argument(
        "--scope",
        type=name_text,
        help="only this scope: a kommun (name or code) for police, a group id",
    )
    add_create_option(revoke)


_REVOKE_HELP = "grannvakt roles revoke --help"


def _revoke_scope(role: str | None, scope: str | None) -> str | None:
    """The stored scope for `--scope`: a kommun code for police, a group id for coordinators."""
    if scope is None:
        return None
    is_number = scope.strip().lstrip("-").isdigit()
    if role == "coordinator":
        if not is_number:
            raise CliError(
                f"argument --scope: a coordinator's scope is a group id, got {scope!r} "
                f"(see: {_REVOKE_HELP})"
            )
        return scope.strip()
    if role in ("police", "kommun") or not is_number:
        try:
            return kommun_code(scope)
        except argparse.ArgumentTypeError as exc:
            raise CliError(f"argument --scope: {exc} (see: {_REVOKE_HELP})") from None
    return scope.strip()


def _run_roles(args: argparse.Namespace, settings: Settings) -> int:
    async def list_roles(db: Database) -> int:
        grants = await role_store.all_roles(db)
        for admin in sorted(settings.admin_user_ids):
            print(f"{admin}\tadmin\t*\t(ADMIN_USER_IDS)")
        for g in grants:
            scope = (
                group_service.kommun_label(g.scope)
                if g.role in ("police", "kommun")
                else f"group {g.scope}"
            )
            by = "cli" if g.granted_by is None else str(g.granted_by)
            print(f"{g.user_id}\t{g.role}\t{scope}\tgranted {g.granted_at:%Y-%m-%d} by {by}")
        if not grants and not settings.admin_user_ids:
            print("no roles")
        return 0

    if args.roles_command == "list":
        return _with_db(args, settings, list_roles)
    scope = _revoke_scope(args.role, args.scope)

    async def revoke(db: Database) -> int:
        now = SystemClock().now()
        count = await role_service.revoke(db, now, system("cli"), args.user_id, args.role, scope)
        print(f"revoked {count} role(s) of {args.user_id}")
        if args.user_id in settings.admin_user_ids and args.role is None:
            # The admin role is no stored role: only the setting can take it away.
            say(
                f"{args.user_id} stays an admin: remove the id from ADMIN_USER_IDS and "
                "restart the bot"
            )
        return 0 if count else EXIT_RUNTIME

    return _with_db(args, settings, revoke)


# --------------------------------------------------------------------------- audit


def _configure_audit(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", metavar="{list}", required=True)
    listing = sub.add_parser("list", help="show the latest audit entries")
    listing.add_argument(
        "--limit", type=positive_int, default=50, help="how many entries (default 50)"
    )
    listing.add_argument(
        "--kind",
        type=name_text,
        help="only this kind, e.g. access (who opened or exported observations)",
    )
    add_create_option(listing)


def _run_audit(args: argparse.Namespace, settings: Settings) -> int:
    async def work(db: Database) -> int:
        if args.kind:
            entries = await privacy_store.audit_entries_of_kind(db, args.kind, args.limit)
        else:
            entries = await role_store.audit_entries(db, args.limit)
        for e in entries:
            actor = "cli" if e.actor_id is None else str(e.actor_id)
            when = e.at.astimezone(settings.tzinfo).strftime("%Y-%m-%d %H:%M:%S")
            details = json.dumps(e.details, ensure_ascii=False)
            print(f"{when}\t{actor}\t{e.action}\t{e.subject}\t{details}")
        if not entries and args.kind:
            # Most likely a misspelt kind: say which ones there are instead of nothing.
            kinds = ", ".join(await privacy_store.audit_kinds(db)) or "none yet"
            say(f"no audit entries of kind {args.kind!r}; kinds in the log: {kinds}")
        elif not entries:
            say("the audit log is empty")
        return 0

    return _with_db(args, settings, work)


cli.SUBCOMMANDS["invite"] = (
    "create a one-time invitation link for the police or kommun role",
    _configure_invite,
    _run_invite,
)
cli.SUBCOMMANDS["roles"] = ("list or revoke roles", _configure_roles, _run_roles)
cli.SUBCOMMANDS["audit"] = ("show the audit log", _configure_audit, _run_audit)
