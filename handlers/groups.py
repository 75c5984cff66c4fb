"""/register (/registrera) in a group: admin check, kommun choice, the explanation message."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.menus import refresh_person_menu
from bot.services import group_input, group_topics
from bot.services import groups as group_service
from bot.services.kommuner import Kommun, find_kommun_by_code
from bot.services.roles import Role, access_of
from bot.textlen import clip
from handlers.common import answer_callback, answer_query, is_private, pressed, reply, with_retries
from handlers.groups_pending import (
    AnswerFromAsker,
    Pending,
    ReplyToPrompt,
    expire_later,
    pending_questions,
)
from handlers.groups_welcome import post_welcome
from handlers.guard import answer_anonymous_admin, chat_admin_check, is_anonymous_admin
from storage.groups import GroupRecord

log = logging.getLogger(__name__)


class RegisterKommun(CallbackData, prefix="regk"):
    """/register: the kommun picked among several matches for the group being registered."""

    group_id: int
    kommun: str  # four-digit kommun code


ECHO_LIMIT = 60  # a typed kommun name echoed back is cut to this length

COMMANDS = [
    CommandSpec(
        "register",
        "grp.cmd.register",
        frozenset({Role.COORDINATOR}),
        Where.GROUP,
        swedish_alias="registrera",
    ),
]


# --------------------------------------------------------------------------- helpers


async def telegram_admin(update: Update, context: BotContext, chat_id: int, user_id: int) -> bool:
    """Whether Telegram says the person is an admin or the creator of the chat (a command
    asks afresh, a button press may reuse an answer up to 60 s old: handlers.guard)."""
    return await chat_admin_check(context, update)(chat_id, user_id)


def topic_of(message: Message) -> int | None:
    """The forum topic a message was written in; None for General and groups without topics
    (outside a forum, message_thread_id only names a reply chain, not a place to post)."""
    return message.message_thread_id if message.is_topic_message else None


def topic_lines(lang: str, group: GroupRecord, message: Message) -> str:
    """In a forum: where alerts and tips go, and whether posting there fails; else ""."""
    if not message.chat.is_forum:
        return ""
    if group.message_thread_id is None:
        key = "grp.topic.info_general"
    elif group.message_thread_id == topic_of(message):
        key = "grp.topic.info_here"
    else:
        key = "grp.topic.info_elsewhere"
    text = "\n\n" + t(lang, key)
    if group.topic_error is not None:
        text += "\n" + t(lang, "grp.topic.info_failing")
    return text


def _kommun_keyboard(group_id: int, kommuner: list[Kommun]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{k.name} ({k.lan_name})",
                    callback_data=RegisterKommun(group_id, k.code).pack(),
                )
            ]
            for k in kommuner
        ]
    )


# --------------------------------------------------------------------------- /register


async def register_command(update: Update, context: BotContext) -> None:
    """`/register <area>[,] [<kommun>]` in a group, by one of its admins."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None
    if is_private(update) or user is None:
        await reply(update, context, "grp.register.private")
        return
    # An anonymous admin never gets here: handlers.guard answers them first.
    if not await telegram_admin(update, context, message.chat_id, user.id):
        await reply(update, context, "grp.register.not_admin")
        return
    typed = group_input.read_registration(" ".join(context.args or []))
    if (
        not typed.area
        and message.chat.is_forum
        and await _choose_topic(update, context, message, user.id)
    ):
        return
    if not typed.area:
        await reply(update, context, "grp.register.usage")
        return
    area = group_input.clean_area_name(typed.area)
    if area is None:
        await reply(
            update,
            context,
            "grp.register.bad_area",
            count=group_input.area_name_length(typed.area),
            min=group_input.AREA_MIN_LENGTH,
            max=group_input.AREA_MAX_LENGTH,
        )
        return
    await _resolve_kommun(update, context, area, typed.kommun)


async def _choose_topic(
    update: Update, context: BotContext, message: Message, user_id: int
) -> bool:
    """`/register` without arguments in a registered forum, by a stored coordinator: post
    alerts and tips in the topic it was sent in. False when it is not such a case."""
    services = context.services
    group = await group_service.group_for_chat(services.db, message.chat_id)
    if group is None or not group.is_registered:
        return False
    access = await access_of(services.db, services.settings, user_id)
    check, thread = chat_admin_check(context, update), topic_of(message)
    now = services.clock.now()
    await group_topics.choose_topic(services.db, now, access, check, group.id, thread)
    key = "grp.topic.set" if thread is not None else "grp.topic.set_general"
    await without_result(message.reply_text(t(context.lang, key)))
    return True


def _question(
    lang: str, area: str, choice: group_input.KommunChoice, group_id: int
) -> tuple[str, InlineKeyboardMarkup | ForceReply]:
    """The "which kommun?" question: buttons for matches or suggestions, else a ForceReply
    asking for the name (a plain answer from the same admin counts too)."""
    query = clip(choice.query or "", ECHO_LIMIT)
    if choice.kommuner:
        key = "onb.register.did_you_mean" if choice.guessed else "grp.register.choose_kommun"
        return t(lang, key, area=area, query=query), _kommun_keyboard(group_id, choice.kommuner)
    key = "onb.register.no_kommun" if choice.query else "onb.register.ask_kommun"
    placeholder = t_plain(lang, "onb.register.placeholder")
    return t(lang, key, area=area, query=query), ForceReply(
        selective=True, input_field_placeholder=placeholder
    )


async def _resolve_kommun(
    update: Update, context: BotContext, area: str, choice: group_input.KommunChoice
) -> None:
    """Register when the kommun is clear; else ask, with buttons or a ForceReply."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    services = context.services
    if len(choice.kommuner) == 1 and not choice.guessed:
        await _complete(
            update, context, message, user.id, user.full_name, area, choice.kommuner[0].code
        )
        return
    group = await group_service.bot_joined(
        services.db, services.clock.now(), message.chat_id, message.chat.title or ""
    )
    text, markup = _question(context.lang, area, choice, group.id)
    # Pending before the question goes out: a question whose send answer is lost may still
    # have arrived, and its answer must be heard (the send is retried, see send_step).
    pending = Pending(area, user.id, message.message_id, None)
    pending_questions(context)[message.chat_id] = pending
    sent = await with_retries(lambda: message.reply_text(text, reply_markup=markup))
    asked = replace(pending, prompt_message_id=sent.message_id)
    pending_questions(context)[message.chat_id] = asked
    expire_later(context, message.chat_id, asked)


async def kommun_reply(update: Update, context: BotContext) -> None:
    """An answer to the "which kommun?" question: a reply to it by any admin, or a plain
    message from the admin who was asked."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    pending = pending_questions(context).get(message.chat_id)
    if pending is None:
        return
    if is_anonymous_admin(message):
        await answer_anonymous_admin(message, context)
        return
    if not await telegram_admin(update, context, message.chat_id, user.id):
        await reply(update, context, "grp.register.not_admin")
        return
    typed = (message.text or "").strip()[: group_input.KOMMUN_QUERY_LIMIT]
    await _resolve_kommun(update, context, pending.area, group_input.choose_kommun(typed))


async def kommun_chosen(update: Update, context: BotContext) -> None:
    """`RegisterKommun`: re-check the presser is an admin, then register."""
    query, button = pressed(update, RegisterKommun)
    services = context.services
    message = query.message
    kommun = find_kommun_by_code(button.kommun)
    if kommun is None or not isinstance(message, Message) or message.chat.type == "private":
        await answer_callback(query, context, "core.stale_button")
        return
    group = await group_service.group_for_chat(services.db, message.chat_id)
    pending = pending_questions(context).get(message.chat_id)
    if group is None or group.id != button.group_id or pending is None:
        await answer_callback(query, context, "core.stale_button")
        return
    await _complete(
        update, context, message, query.from_user.id, query.from_user.full_name, pending.area,
        kommun.code,
    )  # fmt: skip
    try:
        await without_result(message.edit_reply_markup(None))
    except TelegramError:
        pass
    await answer_query(query)  # last: a press too old to answer still registers


async def _complete(
    update: Update,
    context: BotContext,
    message: Message,
    user_id: int,
    name: str,
    area: str,
    code: str,
) -> None:
    """Store the registration, confirm it and post the welcome with the deep link (once:
    re-registering does not post it again), pinned when the bot may pin."""
    services = context.services
    result = await group_service.register(
        services.db,
        services.clock.now(),
        chat_id=message.chat_id,
        title=message.chat.title or "",
        area_name=area,
        kommun_code=code,
        actor=await access_of(services.db, services.settings, user_id),
        is_chat_admin=chat_admin_check(context, update),
        # A new group speaks its registrant's language (the welcome says how to change
        # it); a registered group keeps its own.
        language=context.lang,
        message_thread_id=topic_of(message),
    )
    # Only once stored: a refused press by someone else keeps the admin's pending choice.
    pending_questions(context).pop(message.chat_id, None)
    await refresh_person_menu(context.bot, services, user_id)
    lang = context.lang
    kommun = group_service.kommun_label(code)
    if result.updated:
        text: str = t(lang, "grp.register.updated", area=area, kommun=kommun)
    else:
        text = t(lang, "grp.register.done", area=area, kommun=kommun, name=name)
    if message.chat.is_forum:
        text += "\n\n" + t(lang, "grp.topic.registered_here")
    try:  # stored: the explanation below must go out even if the confirmation is lost
        await with_retries(lambda: without_result(message.reply_text(text)))
    except TelegramError as exc:
        log.warning("registration of chat %s not confirmed: %s", message.chat_id, exc)
    if result.group.welcome_message_id is not None:
        return
    await post_welcome(context, result.group, lang, user_id, name, topic_of(message))


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["register", "registrera"], register_command))
    application.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND & ReplyToPrompt(application),
            kommun_reply,
        )
    )
    application.add_handler(
        MessageHandler(
            filters.ChatType.GROUPS
            & filters.TEXT
            & ~filters.COMMAND
            & AnswerFromAsker(application),
            kommun_reply,
        )
    )
    application.add_handler(CallbackQueryHandler(kommun_chosen, pattern=RegisterKommun.filter()))


__all__ = [
    "telegram_admin",
    "topic_lines",
    "topic_of",
]
