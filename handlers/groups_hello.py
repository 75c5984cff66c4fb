"""What the bot says in a group on its own: hello when it is added, the answer to /start
there, the short pointer for new members, and where a private-chat command belongs.

* Added to a group (`my_chat_member`) that is not registered: how to register, addressed
  to the admins (and a word to a member who added it). `/start@bot` in a group says the
  same, or, in a registered group, where to go with a button.
* New members of an active group get one short pointer each, at most once per member and
  at most one pointer per group every `POINTER_INTERVAL`; people joining meanwhile are
  named together in the next one.
* A command that works only in a private chat (`/rapportera`, `/larm`, …) sent in a group
  is answered with a button opening the private chat (for `/rapportera` the group's report
  link). Registered before the features (see bot.app), so no feature's refusal is reached.
"""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, filters

from bot.api_request import without_result
from bot.commands import Where
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import groups as group_service
from bot.services import onboarding
from handlers.common import effective_message
from handlers.groups_welcome import group_link, report_link, send_to_group

log = logging.getLogger(__name__)

WAITING_KEY = "grannvakt.onboarding.pointer_waiting"  # bot_data: group id → {user id: name}
NAMES_SHOWN = 10  # names in one pointer; more joiners are greeted without their names
ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
PRESENT = (*ADMIN_STATUSES, ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED)


def _open_privately(lang: str, url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t_plain(lang, "onb.private_pointer.button"), url=url)]]
    )


# --------------------------------------------------------------------------- hello


async def bot_added(change: ChatMemberUpdated, context: BotContext) -> None:
    """The bot became a member of a group: if it is not registered, say how to register."""
    if change.old_chat_member.status in PRESENT:
        return  # a promotion or a change of rights, not an arrival
    group = await group_service.group_for_chat(context.services.db, change.chat.id)
    if group is not None and group.is_registered:
        return  # added back: the old registration is active again, nothing to explain
    lang = context.lang  # of the person who added the bot
    text: str = t(lang, "onb.added")
    adder = change.from_user
    if not adder.is_bot and not await _is_admin(context, change.chat.id, adder.id):
        text += "\n\n" + t(lang, "onb.added.by_member", name=adder.first_name)
    await send_to_group(context, change.chat.id, text)


async def _is_admin(context: BotContext, chat_id: int, user_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in ADMIN_STATUSES


async def start_in_group(update: Update, context: BotContext) -> None:
    """`/start@bot` in a group: how to register, or (registered) where to go privately."""
    message = effective_message(update)
    group = await group_service.group_for_chat(context.services.db, message.chat_id)
    if group is None or not group.is_registered:
        await without_result(message.reply_text(t(context.lang, "onb.added")))
        return
    await without_result(
        message.reply_text(
            t(context.lang, "onb.group_start.registered", area=group.area_name or ""),
            reply_markup=_open_privately(context.lang, group_link(context, group.id)),
        )
    )


# --------------------------------------------------------------------------- private commands


async def private_command_in_group(update: Update, context: BotContext) -> None:
    """A private-chat command sent in a group: a button that opens the private chat."""
    message = effective_message(update)
    word = (message.text or "").split(maxsplit=1)[0][1:].partition("@")[0].casefold()
    group = await group_service.group_for_chat(context.services.db, message.chat_id)
    # Only the report link goes on by itself; any other command is to be sent again there.
    key = "onb.private_pointer.send"
    if group is not None and group.is_active:
        is_report = word in ("report", "rapportera")
        url = (report_link if is_report else group_link)(context, group.id)
        key = "onb.private_pointer" if is_report else key
    else:
        url = f"https://t.me/{context.bot.username}"
    await without_result(
        message.reply_text(
            t(context.lang, key, command=word),
            reply_markup=_open_privately(context.lang, url),
        )
    )


ANSWERED_IN_GROUPS = frozenset({"start", "language", "cancel"})
"""Private-menu commands a group still gets its own answer to: /start@bot (above), the
language chooser (for its sender only) and /cancel (of a dialogue there, or "nothing")."""


def private_command_names(application: Application) -> list[str]:
    """Every name of the commands that work only in a private chat."""
    from bot.app import services_of

    specs = services_of(application).commands
    return sorted(
        {
            name
            for spec in specs
            if spec.where is Where.PRIVATE and spec.name not in ANSWERED_IN_GROUPS
            for name in spec.names()
        }
    )


# --------------------------------------------------------------------------- new members


def _waiting(context: BotContext, group_id: int) -> dict[int, str]:
    return context.bot_data.setdefault(WAITING_KEY, {}).setdefault(group_id, {})


async def members_joined(context: BotContext, chat_id: int, people: list[User]) -> None:
    """People joined a group: point them to Grannvakt, once each, rate-limited per group."""
    services = context.services
    group = await group_service.group_for_chat(services.db, chat_id)
    if group is None or not group.is_active:
        return
    fresh = set(await onboarding.not_yet_pointed(services.db, group.id, [p.id for p in people]))
    if not fresh:
        return
    waiting = _waiting(context, group.id)
    waiting.update({p.id: p.first_name for p in people if p.id in fresh})
    wait = await onboarding.pointer_wait(services.db, services.clock.now(), group.id)
    if not wait:
        await post_pointer(context, group.id)
        return
    queue = context.job_queue
    name = f"grannvakt.onboarding.pointer.{group.id}"
    if queue is not None and not queue.get_jobs_by_name(name):
        queue.run_once(
            _pointer_job,  # type: ignore[arg-type]  # BotContext is the app's context type
            wait.total_seconds(),
            name=name,
            data=group.id,
        )


async def _pointer_job(context: BotContext) -> None:
    assert context.job is not None and isinstance(context.job.data, int)
    await post_pointer(context, context.job.data)


async def post_pointer(context: BotContext, group_id: int) -> None:
    """Post one pointer naming everyone waiting for one (who is still a member)."""
    services = context.services
    waiting = context.bot_data.get(WAITING_KEY, {}).pop(group_id, {})
    group = await group_service.group_by_id(services.db, group_id)
    if not waiting or group is None or not group.is_active:
        return
    still = await onboarding.not_yet_pointed(services.db, group_id, list(waiting))
    if not still:
        return
    names = ", ".join(waiting[uid] for uid in still[:NAMES_SHOWN])
    lang = group.language
    text = t(lang, "onb.pointer", count=len(still), names=names)
    sent = await send_to_group(
        context,
        group.chat_id,
        text,
        message_thread_id=group.message_thread_id,
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t_plain(lang, "grp.explain.button"), url=group_link(context, group_id)
                    )
                ]
            ]
        ),
    )
    if sent is not None:
        await onboarding.pointed(services.db, services.clock.now(), group_id, still)


def register(application: Application) -> None:
    """Registered first among the features (bot.app.FEATURE_MODULES)."""
    application.add_handler(
        CommandHandler(
            private_command_names(application),
            private_command_in_group,
            filters=filters.ChatType.GROUPS,
        )
    )
    application.add_handler(
        CommandHandler("start", start_in_group, filters=filters.ChatType.GROUPS & _ADDRESSED)
    )


_ADDRESSED = filters.Regex(r"^/start@\w+")
__all__ = ["bot_added", "members_joined", "post_pointer"]
