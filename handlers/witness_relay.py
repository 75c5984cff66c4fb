"""Contacting a witness (bot/services/witness_relay.py): the "Kontakta" button on the
police card opens a contact; while it is open, each side's private text (outside a
dialogue) is re-sent by the bot to the other side; /avsluta (/end) ends it for both.

Who is in an open contact is kept in a `filters.User` per application (filled from
storage at start-up), so the relay handler only sees their messages.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.api_request import without_result
from bot.context import SERVICES_KEY, BotContext
from bot.i18n import t
from bot.services import witness_relay as relay
from bot.services.roles import access_of
from bot.textlen import utf16_len
from handlers.common import answer_query, effective_message, effective_user, pressed, reply
from handlers.witness_buttons import WitnessContact
from storage.relay import RelaySession

log = logging.getLogger(__name__)

PARTICIPANTS_KEY = "grannvakt.relay_participants"
# /avsluta (/end) is not in the command menus: it only means something inside a contact,
# and both sides are told about it when the contact opens.


def _participants(context: BotContext) -> filters.User:
    found: filters.User = context.application.bot_data[PARTICIPANTS_KEY]
    return found


async def contact_pressed(update: Update, context: BotContext) -> None:
    """`WitnessContact` on a police card: open the contact and tell both sides."""
    query, button = pressed(update, WitnessContact)
    services = context.services
    officer = query.from_user.id
    access = await access_of(services.db, services.settings, officer)
    started = await relay.start(services.db, services.clock.now(), access, button.observation_id)
    session = started.session
    await answer_query(query)
    resident_lang = await services.people.language_of(session.resident_id)
    try:
        await without_result(
            context.bot.send_message(
                session.resident_id,
                t(
                    resident_lang,
                    "police.relay.to_resident.start",
                    title=session.officer_title,
                    reference=started.reference,
                ),
            )
        )
    except TelegramError as exc:  # never started the bot, blocked it, or Telegram failed
        log.info("witness of session %s not reachable: %s", session.id, exc)
        await relay.end(services.db, services.clock.now(), officer)
        await without_result(
            context.bot.send_message(
                officer, t(context.lang, "police.relay.unreachable", reference=started.reference)
            )
        )
        return
    _participants(context).add_user_ids([session.officer_id, session.resident_id])
    await without_result(
        context.bot.send_message(
            officer, t(context.lang, "police.relay.to_officer.start", reference=started.reference)
        )
    )


async def _other_side(context: BotContext, session: RelaySession, sender: int) -> tuple[int, str]:
    other = session.other_side(sender)
    return other, await context.services.people.language_of(other)


async def relayed_text(update: Update, context: BotContext) -> None:
    """A participant's private text: re-sent to the other side as the bot's own message."""
    services = context.services
    sender = effective_user(update).id
    session = await relay.session_of(services.db, sender)
    if session is None:  # ended meanwhile (by the other side, or a restart)
        _participants(context).remove_user_ids(sender)
        await reply(update, context, "police.relay.none")
        return
    if not await relay.still_allowed(services.db, services.settings, session):
        # the officer lost the police role (or the report is gone): the contact ends
        await relay.end(services.db, services.clock.now(), sender)
        _participants(context).remove_user_ids([session.officer_id, session.resident_id])
        await reply(update, context, "police.relay.revoked")
        return
    text = effective_message(update).text or ""
    if utf16_len(text) > relay.MAX_MESSAGE:
        length = utf16_len(text)
        await reply(update, context, "core.text.too_long", length=length, max=relay.MAX_MESSAGE)
        return
    other, lang = await _other_side(context, session, sender)
    if sender == session.officer_id:
        out = t(lang, "police.relay.from_officer", title=session.officer_title, text=text)
    else:
        reference = await relay.reference_of(services.db, session)
        out = t(lang, "police.relay.from_resident", reference=reference, text=text)
    try:
        await without_result(context.bot.send_message(other, out))
    except Forbidden:  # the other side blocked the bot: the contact cannot go on
        await relay.end(services.db, services.clock.now(), sender)
        _participants(context).remove_user_ids([session.officer_id, session.resident_id])
        await reply(update, context, "police.relay.gone")
        return
    await relay.log_relayed(services.db, services.clock.now(), session, sender)
    await reply(update, context, "police.relay.sent")


async def not_text(update: Update, context: BotContext) -> None:
    """Photos, stickers, locations… are not passed on (they may carry more than meant)."""
    await reply(update, context, "police.relay.text_only")


async def end_command(update: Update, context: BotContext) -> None:
    """/avsluta (/end): end the person's contact; both sides are told."""
    services = context.services
    user = effective_user(update).id
    session = await relay.end(services.db, services.clock.now(), user)
    if session is None:
        _participants(context).remove_user_ids(user)
        await reply(update, context, "police.relay.none")
        return
    _participants(context).remove_user_ids([session.officer_id, session.resident_id])
    await reply(update, context, "police.relay.ended_by_you")
    other, lang = await _other_side(context, session, user)
    key = (
        "police.relay.ended_by_officer"
        if user == session.officer_id
        else "police.relay.ended_by_resident"
    )
    try:
        await without_result(
            context.bot.send_message(other, t(lang, key, title=session.officer_title))
        )
    except TelegramError as exc:
        log.info("end of relay session %s not told: %s", session.id, exc)


def register(application: Application) -> None:
    participants = filters.User(allow_empty=False)
    application.bot_data[PARTICIPANTS_KEY] = participants

    async def load(app: Application) -> None:
        participants.add_user_ids(await relay.open_participants(app.bot_data[SERVICES_KEY].db))

    application.bot_data[SERVICES_KEY].startup_hooks.append(load)
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(CallbackQueryHandler(contact_pressed, pattern=WitnessContact.filter()))
    application.add_handler(
        CommandHandler(["end", "avsluta"], end_command, filters.ChatType.PRIVATE)
    )
    application.add_handler(
        MessageHandler(private & participants & filters.TEXT & ~filters.COMMAND, relayed_text)
    )
    application.add_handler(
        MessageHandler(
            private & participants & ~filters.COMMAND & ~filters.StatusUpdate.ALL, not_text
        )
    )
