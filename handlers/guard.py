"""Runs right after tracking (handler group -1), before every feature handler.

**A button can only do what it was made for, where it was pressed.** Callback data is user
input: a modified client can send any data with a press on any message it sees. Telegram
puts the pressed message, with its current keyboard, into the CallbackQuery, so a press is
let through only when its data is one of that message's own callback buttons. Anything
else (another screen's `lang:en` pressed on a police alert, a button of a keyboard that
has since been replaced) is answered "this button has expired" and changes nothing.
Presses we cannot check are refused the same way: `InaccessibleMessage` (Telegram no
longer shows the bot the message) and inline-mode messages (the bot has no inline mode,
so none of its buttons live there).

Which *person* may act is decided by the handler, from storage: role-based screens (a
group's /grupp or /tips panel) act for whoever holds the role; a screen shown to one
person in a group acts only for them (see `pressed_by_its_person`). In a private chat only
its person can press at all.

**Roles follow Telegram.** `chat_admin_check` is how every coordinator action asks whether
someone is still an admin of a group's chat: commands and messages ask Telegram afresh;
button presses reuse an answer up to 60 s old (one `getChatMember` per burst). Membership
updates for a chat drop its kept answers.

**Anonymous admins** (GroupAnonymousBot, `sender_chat` = the group) cannot be told apart,
so every coordinator command sent that way gets one hint: turn off "Remain anonymous".
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.api_request import without_result
from bot.commands import CommandSpec, Where
from bot.context import SERVICES_KEY, BotContext
from bot.i18n import t, t_plain
from bot.services import groups as group_service
from bot.services.roles import ChatAdminCache, ChatAdminCheck, Role
from storage.groups import GroupRecord

log = logging.getLogger(__name__)

GUARD_GROUP = -1
ADMIN_CACHE_KEY = "grannvakt.chat_admins"
ANONYMOUS_ADMIN_ID = 1087968824  # GroupAnonymousBot
ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


# --------------------------------------------------------------------------- buttons


def pressed_button_exists(query: CallbackQuery) -> bool:
    """True when the query's data is a callback button of the message it was pressed on."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return False
    return any(
        button.callback_data == query.data
        for row in message.reply_markup.inline_keyboard
        for button in row
    )


def pressed_by_its_person(query: CallbackQuery) -> bool:
    """For a screen shown to one person: True when that person pressed it.

    In a private chat the chat is the person. In a group the screen is the bot's reply to
    the person's own message (their command).
    """
    message = query.message
    if not isinstance(message, Message):
        return False
    if message.chat.type == ChatType.PRIVATE:
        return message.chat.id == query.from_user.id
    asked = message.reply_to_message
    owner = asked.from_user if asked is not None else None
    return owner is not None and owner.id == query.from_user.id


# --------------------------------------------------------------------------- Telegram admins


def admin_cache(context: BotContext) -> ChatAdminCache:
    """The application's kept answers about who is an admin of which chat."""
    return context.bot_data[ADMIN_CACHE_KEY]


def chat_admin_check(context: BotContext, update: Update) -> ChatAdminCheck:
    """How this update asks "is this person an admin of that chat?" (see the module doc)."""
    cache = admin_cache(context)
    fresh = update.callback_query is None

    async def is_chat_admin(chat_id: int, user_id: int) -> bool:
        return await cache.is_admin(chat_id, user_id, fresh=fresh)

    return is_chat_admin


def fresh_chat_admin_check(context: BotContext) -> ChatAdminCheck:
    """Always asks Telegram (the answer is kept for presses): for choosing who receives a
    resident's report, where an answer up to 60 s old could reach a demoted admin."""
    cache = admin_cache(context)

    async def is_chat_admin(chat_id: int, user_id: int) -> bool:
        return await cache.is_admin(chat_id, user_id, fresh=True)

    return is_chat_admin


def _new_admin_cache(application: Application) -> ChatAdminCache:
    bot = application.bot

    async def lookup(chat_id: int, user_id: int) -> bool | None:
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except TelegramError:
            log.info("getChatMember failed for chat %s", chat_id, exc_info=True)
            return None
        return member.status in ADMIN_STATUSES

    return ChatAdminCache(lookup, application.bot_data[SERVICES_KEY].clock)


def _forget_changed_members(update: Update, context: BotContext) -> None:
    if update.chat_member is not None:
        changed = update.chat_member
        admin_cache(context).forget(changed.chat.id, changed.new_chat_member.user.id)
    elif update.my_chat_member is not None:
        admin_cache(context).forget(update.my_chat_member.chat.id)


# --------------------------------------------------------------------------- anonymous admins


def is_anonymous_admin(message: Message) -> bool:
    """An admin posting anonymously: GroupAnonymousBot with sender_chat = this group."""
    return (
        message.from_user is not None
        and message.from_user.id == ANONYMOUS_ADMIN_ID
        and message.sender_chat is not None
        and message.sender_chat.id == message.chat.id
    )


def coordinator_commands(specs: list[CommandSpec]) -> frozenset[str]:
    """Names (both languages) of the commands only coordinators may use in a group."""
    return frozenset(
        name
        for spec in specs
        if Role.COORDINATOR in spec.roles
        and Role.RESIDENT not in spec.roles
        and spec.where is not Where.PRIVATE
        for name in spec.names()
    )


def command_of(message: Message, bot_username: str | None) -> str | None:
    """The lower-case command a message starts with (`/grupp@bot x` → `grupp`), or None
    when it starts with no command or one addressed to another bot."""
    text = message.text or ""
    first = message.entities[0] if message.entities else None
    if first is None or first.type != MessageEntityType.BOT_COMMAND or first.offset != 0:
        return None
    name, _, addressee = text[1 : first.length].partition("@")
    if addressee and bot_username and addressee.lower() != bot_username.lower():
        return None
    return name.lower()


async def answer_anonymous_admin(message: Message, context: BotContext) -> None:
    """The hint to turn off "Remain anonymous", in the group's language."""
    services = context.services
    group = await group_service.group_for_chat(services.db, message.chat_id)
    lang = group.language if group is not None and group.language else context.lang
    await without_result(message.reply_text(t(lang, "grp.anonymous_admin")))


# --------------------------------------------------------------------------- the guard


async def guard(update: Update, context: BotContext) -> None:
    """Stop forged or unverifiable presses and anonymous coordinator commands (see above)."""
    _forget_changed_members(update, context)
    query = update.callback_query
    if query is not None and query.data is not None and not pressed_button_exists(query):
        log.info("refused a press with data %r not on its message", query.data)
        await query.answer(t_plain(context.lang, "core.stale_button"), show_alert=True)
        raise ApplicationHandlerStop
    message = update.message
    if message is not None and is_anonymous_admin(message):
        command = command_of(message, context.bot.username)
        if command in coordinator_commands(context.services.commands):
            await answer_anonymous_admin(message, context)
            raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.bot_data[ADMIN_CACHE_KEY] = _new_admin_cache(application)
    application.add_handler(TypeHandler(Update, guard), group=GUARD_GROUP)


def shown_in_own_chat(query: CallbackQuery, group: GroupRecord) -> bool:
    """A group's panel lives in that group or in a private chat, never in another group:
    a panel button pressed anywhere else is stale (or forged)."""
    message = query.message
    return message is not None and (
        message.chat.type == ChatType.PRIVATE or message.chat.id == group.chat_id
    )
