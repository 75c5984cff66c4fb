"""/profile (/profil): a police officer's display title, e.g. "Kommunpolisen i Sölvesborg".

`/profil` shows it, `/profil <title>` sets it. The title is the sender line of the
officer's alerts and what a resident is told when the officer contacts them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.services import police_profile
from bot.services.refusals import Refused
from bot.services.roles import Role, access_of
from handlers.common import effective_user, is_private, reply

COMMANDS = [
    CommandSpec(
        "profile",
        "police.cmd.profile",
        frozenset({Role.POLICE, Role.ADMIN}),
        Where.PRIVATE,
        swedish_alias="profil",
    ),
]


async def profile_command(update: Update, context: BotContext) -> None:
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    services = context.services
    access = await access_of(services.db, services.settings, effective_user(update).id)
    if not police_profile.may_have_profile(access):
        raise Refused("police.profile.not_police")
    raw = " ".join(context.args or [])
    if not raw:
        title = await police_profile.display_title(services.db, access)
        if title is None:
            await reply(update, context, "police.profile.none")
        else:
            await reply(update, context, "police.profile.show", title=title)
        return
    title = await police_profile.set_display_title(services.db, services.clock.now(), access, raw)
    await reply(update, context, "police.profile.saved", title=title)


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["profile", "profil"], profile_command))
