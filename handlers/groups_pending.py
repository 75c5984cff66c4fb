"""The /register question "which kommun?" while it waits for its answer.

One open question per group chat, kept in memory (`bot_data`; a restart makes it stale,
and the catch-all then says the question expired). Any admin may answer it with a reply
(the question is a ForceReply); the admin who was asked may also just write the name
(`AnswerFromAsker`; Telegram shows such plain messages to a bot that is an admin of the
group or has privacy mode off). Without an answer it expires after `PENDING_TIMEOUT` and
the group is told so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from telegram import Message, ReplyParameters
from telegram.error import TelegramError
from telegram.ext import Application, filters

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import t
from bot.services import groups as group_service

log = logging.getLogger(__name__)

PENDING_KEY = "grannvakt.groups.pending"
PENDING_TIMEOUT = timedelta(minutes=30)
"""A "which kommun?" question without an answer this long expires (read when asked)."""


@dataclass(frozen=True)
class Pending:
    """A registration waiting for its kommun (kept in memory; a restart makes it stale).

    A reply to any of the bot's messages after `asked_after` (the command) up to
    `prompt_message_id` answers it: a question whose send answer was lost (and was sent
    again) may be the one the person replies to. None: no send was confirmed."""

    area: str
    user_id: int
    asked_after: int
    prompt_message_id: int | None

    def answered_by(self, replied: Message, bot_id: int) -> bool:
        """Whether a reply to `replied` answers this question."""
        last = self.prompt_message_id
        return (
            replied.from_user is not None
            and replied.from_user.id == bot_id
            and replied.message_id > self.asked_after
            and (last is None or replied.message_id <= last)
        )


def pending_questions(context: BotContext) -> dict[int, Pending]:
    """The open questions by chat id."""
    return context.bot_data.setdefault(PENDING_KEY, {})


def expire_later(context: BotContext, chat_id: int, pending: Pending) -> None:
    """Drop the question after `PENDING_TIMEOUT` unless it was answered or asked anew."""
    queue = context.job_queue
    if queue is None:  # an application built without a job queue (not the bot's own)
        return
    name = f"grannvakt.pending-registration.{chat_id}"
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_once(
        _pending_expired,  # type: ignore[arg-type]  # BotContext is the app's context type
        PENDING_TIMEOUT.total_seconds(),
        chat_id=chat_id,
        name=name,
        data=pending,
    )


async def _pending_expired(context: BotContext) -> None:
    """The "which kommun?" question had no answer: forget it and say so in the group."""
    job = context.job
    assert job is not None and job.chat_id is not None
    chat_id, asked = job.chat_id, job.data
    if pending_questions(context).get(chat_id) != asked:  # answered, or a newer question
        return
    pending_questions(context).pop(chat_id, None)
    group = await group_service.group_for_chat(context.services.db, chat_id)
    lang = group.language if group is not None else context.services.settings.default_language
    assert isinstance(asked, Pending)
    reply_to = (
        ReplyParameters(asked.prompt_message_id, allow_sending_without_reply=True)
        if asked.prompt_message_id is not None
        else None
    )
    text = t(lang, "grp.register.timed_out", area=asked.area)
    try:
        await without_result(context.bot.send_message(chat_id, text, reply_parameters=reply_to))
    except TelegramError as exc:  # e.g. the bot left the group: the question is gone anyway
        log.info("expired registration question in %s not announced: %s", chat_id, exc)


class ReplyToPrompt(filters.MessageFilter):
    """Messages replying to a pending "which kommun?" prompt of their chat."""

    def __init__(self, application: Application) -> None:
        super().__init__(name="ReplyToKommunPrompt")
        self._application = application

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None:
            return False
        pending = self._application.bot_data.get(PENDING_KEY, {}).get(message.chat_id)
        return pending is not None and pending.answered_by(replied, self._application.bot.id)


class AnswerFromAsker(filters.MessageFilter):
    """A plain message (no reply) from the admin a pending "which kommun?" question asked."""

    def __init__(self, application: Application) -> None:
        super().__init__(name="AnswerFromAsker")
        self._application = application

    def filter(self, message: Message) -> bool:
        if message.reply_to_message is not None or message.from_user is None:
            return False
        pending = self._application.bot_data.get(PENDING_KEY, {}).get(message.chat_id)
        return pending is not None and pending.user_id == message.from_user.id
