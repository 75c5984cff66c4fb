"""Who belongs where, and what happens to the bot's groups.

* Handler group 1 (after the features, so it never swallows an update): people seen in a
  group (messages, joins, leaves, `chat_member` updates), the bot added/removed
  (`my_chat_member`) and supergroup migrations. Arrivals are greeted by handlers.groups_hello
  (the bot's hello, the new-member pointer).
* `/start g<id>_<sig>`: the group's deep link makes the person a member.
* `/start` lists the person's groups (a section appended to handlers.core.START_SECTIONS).
"""

from __future__ import annotations

import logging

from telegram import (
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, TypeHandler, filters

import handlers.core
from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import groups as group_service
from bot.services import membership as membership_service
from bot.services.membership import MembershipTracker
from bot.services.onboarding import StartSummary
from bot.services.people import Profile
from handlers import groups_hello
from handlers.common import group_lines
from storage.groups import GroupRecord

log = logging.getLogger(__name__)

MEMBERSHIP_GROUP = 1
TRACKER_KEY = "grannvakt.membership.tracker"
GROUP_LINK_START = filters.Regex(r"^/start(@\w+)?\s+g\d+_")
PRESENT = (
    ChatMemberStatus.OWNER,
    ChatMemberStatus.ADMINISTRATOR,
    ChatMemberStatus.MEMBER,
    ChatMemberStatus.RESTRICTED,
)

COMMANDS: list = []


def tracker_of(context: BotContext) -> MembershipTracker:
    """The application's membership tracker (created on first use)."""
    tracker = context.bot_data.get(TRACKER_KEY)
    if tracker is None:
        tracker = MembershipTracker(context.services.db)
        context.bot_data[TRACKER_KEY] = tracker
    return tracker


async def _remember_person(context: BotContext, user: User) -> None:
    """Make sure a person other than the sender has a users row (memberships refer to it)."""
    await context.services.people.seen(
        Profile(user.id, user.first_name, user.last_name, user.username, user.language_code)
    )


def _in_group(chat_type: str) -> bool:
    return chat_type in (ChatType.GROUP, ChatType.SUPERGROUP)


def _is_member(member_update: ChatMemberUpdated) -> bool:
    member = member_update.new_chat_member
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in PRESENT


async def track(update: Update, context: BotContext) -> None:
    """Follow the bot's groups and the people in them (greeting arrivals, see
    handlers.groups_hello)."""
    if update.my_chat_member is not None:
        await _bot_membership(update.my_chat_member, context)
    elif update.chat_member is not None:
        await _member_changed(update.chat_member, context)
    message = update.message or update.edited_message
    if message is not None and _in_group(message.chat.type):
        await _group_message(message, context)


async def _bot_membership(change: ChatMemberUpdated, context: BotContext) -> None:
    if not _in_group(change.chat.type):
        return
    services = context.services
    now = services.clock.now()
    if _is_member(change):
        await group_service.bot_joined(services.db, now, change.chat.id, change.chat.title or "")
        await groups_hello.bot_added(change, context)
    else:
        await group_service.bot_left(services.db, now, change.chat.id)


async def _member_changed(change: ChatMemberUpdated, context: BotContext) -> None:
    person = change.new_chat_member.user
    if not _in_group(change.chat.type) or person.is_bot:
        return
    now = context.services.clock.now()
    if _is_member(change):
        await _remember_person(context, person)
        await tracker_of(context).seen(
            now, change.chat.id, change.chat.title or "", person.id, "chat_member"
        )
    else:
        await tracker_of(context).left(now, change.chat.id, person.id)


async def _group_message(message: Message, context: BotContext) -> None:
    services = context.services
    now = services.clock.now()
    chat = message.chat
    tracker = tracker_of(context)
    if message.migrate_to_chat_id:
        await group_service.chat_migrated(services.db, now, chat.id, message.migrate_to_chat_id)
        context.application.migrate_chat_data(message=message)
        tracker.forget_chat(chat.id)
        return
    if message.migrate_from_chat_id:
        await group_service.chat_migrated(services.db, now, message.migrate_from_chat_id, chat.id)
        tracker.forget_chat(message.migrate_from_chat_id)
        return
    title = chat.title or ""
    joined = [person for person in message.new_chat_members or () if not person.is_bot]
    for person in joined:
        await _remember_person(context, person)
        await tracker.seen(now, chat.id, title, person.id, "joined")
    if joined:
        await groups_hello.members_joined(context, chat.id, joined)
    left = message.left_chat_member
    if left is not None and not left.is_bot:
        await tracker.left(now, chat.id, left.id)
    sender = message.from_user
    if (
        sender is not None
        and not sender.is_bot
        and message.sender_chat is None
        and left is None
        and not message.new_chat_members
    ):
        await tracker.seen(now, chat.id, title, sender.id, "message")


async def start_group_link(update: Update, context: BotContext) -> None:
    """`/start g<id>_<sig>` in private: the person joins that group."""
    user = update.effective_user
    message = update.effective_message
    assert user is not None and message is not None
    services = context.services
    payload = (context.args or [""])[0]
    token = services.settings.bot_token.get_secret_value()
    group_id = group_service.parse_group_payload(token, payload)
    joined = None
    if group_id is not None:
        joined = await membership_service.join_by_deep_link(
            services.db, services.clock.now(), group_id, user.id
        )
    if joined is None:
        await without_result(message.reply_text(t(context.lang, "grp.link.invalid")))
        return
    area = joined.group.area_name or ""
    text: str = t(context.lang, "onb.link.joined" if joined.new else "grp.link.already", area=area)
    markup = None
    if advice := await join_group_advice(context, joined.group, user.id):
        text, markup = text + "\n\n" + advice[0], advice[1]
    await without_result(message.reply_text(text, reply_markup=markup))


async def join_group_advice(
    context: BotContext, group: GroupRecord, user_id: int
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """For a person who opened one of the group's links but is not in its Telegram group:
    the advice to join it (HTML) and the group's invite button when it has one; None
    when they are there (or Telegram cannot say)."""
    if await _in_telegram_group(context, group.chat_id, user_id):
        return None
    text = t(context.lang, "onb.link.not_in_group", area=group.area_name or "")
    if not group.invite_link:
        return text + " " + t(context.lang, "onb.link.join_how"), None
    button = InlineKeyboardButton(
        t_plain(context.lang, "onb.link.join_button"), url=group.invite_link
    )
    return text, InlineKeyboardMarkup([[button]])


async def _in_telegram_group(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Whether Telegram says the person is in the group chat (True when it cannot say:
    only a clear "not there" earns the advice to join)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.info("membership of %s in %s unknown: %s", user_id, chat_id, exc)
        return True
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in PRESENT


async def groups_section(update: Update, context: BotContext, summary: StartSummary) -> str | None:
    """The /start section listing the person's groups (None when they have none)."""
    del update
    if not summary.groups:
        return None
    return t(
        context.lang, "grp.start.groups", lines=group_lines(context.lang, list(summary.groups))
    )


def register(application: Application) -> None:
    application.add_handler(
        CommandHandler(
            "start", start_group_link, filters=filters.ChatType.PRIVATE & GROUP_LINK_START
        )
    )
    application.add_handler(TypeHandler(Update, track), group=MEMBERSHIP_GROUP)
    if groups_section not in handlers.core.START_SECTIONS:
        handlers.core.START_SECTIONS.append(groups_section)
