"""/alert's optional steps after the photo: a "Läs mer" link (https, validated) and the
police event number (händelsenummer). Each can be skipped with its button or /skip."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import alert_format
from bot.services.alerts import Draft
from bot.services.refusals import Refused
from handlers.alerts_buttons import AlertDetailSkip, DetailStep
from handlers.alerts_draft import (
    EVENT,
    LINK,
    alert_button,
    button_rows,
    check_step,
    refuse,
    save_draft,
)
from handlers.common import StepCallback, answer_query, effective_message, reply, send_step

log = logging.getLogger(__name__)

Preview = Callable[[Update, BotContext, Draft], Coroutine[Any, Any, int]]


def _skip(lang: str, step: DetailStep) -> list[InlineKeyboardButton]:
    return [alert_button(t_plain(lang, "police.detail.skip"), AlertDetailSkip(step))]


async def link_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The LINK step's question and its Skip button."""
    return t(context.lang, "police.link.ask"), button_rows(_skip(context.lang, DetailStep.LINK))


async def event_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The EVENT step's question and its Skip button."""
    return t(context.lang, "police.event.ask"), button_rows(_skip(context.lang, DetailStep.EVENT))


async def ask_link(update: Update, context: BotContext) -> int:
    await send_step(effective_message(update), *await link_question(update, context))
    return LINK


async def ask_event(update: Update, context: BotContext) -> int:
    await send_step(effective_message(update), *await event_question(update, context))
    return EVENT


async def _pressed_skip(update: Update) -> None:
    """Answer a Skip press and take its button away (cosmetic: the next step matters)."""
    query = update.callback_query
    if query is None:
        return
    await answer_query(query)
    try:
        await without_result(query.edit_message_reply_markup(None))
    except TelegramError as exc:
        log.info("could not remove the skip button: %s", exc)


def steps(preview: Preview) -> tuple[StepCallback, StepCallback, StepCallback, StepCallback]:
    """(link_received, event_received, link_skipped, event_skipped) for the dialogue;
    `preview` shows the alert after the last step. Anything but text at either step is
    answered by `dialogues.not_typed` with `link_question` / `event_question`."""

    async def link_received(update: Update, context: BotContext) -> int:
        checked = await check_step(update, context)
        if checked is None:
            return await refuse(update, context, "core.not_allowed")
        _, draft = checked
        try:
            draft.link = alert_format.clean_link(effective_message(update).text or "")
        except Refused as exc:
            await reply(update, context, exc.key, **exc.params)
            return LINK
        save_draft(context, draft)
        return await ask_event(update, context)

    async def event_received(update: Update, context: BotContext) -> int:
        checked = await check_step(update, context)
        if checked is None:
            return await refuse(update, context, "core.not_allowed")
        _, draft = checked
        try:
            draft.event_number = alert_format.clean_event_number(
                effective_message(update).text or ""
            )
        except Refused as exc:
            await reply(update, context, exc.key, **exc.params)
            return EVENT
        save_draft(context, draft)
        return await preview(update, context, draft)

    async def link_skipped(update: Update, context: BotContext) -> int:
        """LINK: its skip button or /skip."""
        checked = await check_step(update, context)
        if checked is None:
            return await refuse(update, context, "core.not_allowed")
        _, draft = checked
        await _pressed_skip(update)
        draft.link = None
        save_draft(context, draft)
        return await ask_event(update, context)

    async def event_skipped(update: Update, context: BotContext) -> int:
        """EVENT: its skip button or /skip."""
        checked = await check_step(update, context)
        if checked is None:
            return await refuse(update, context, "core.not_allowed")
        _, draft = checked
        await _pressed_skip(update)
        draft.event_number = None
        save_draft(context, draft)
        return await preview(update, context, draft)

    return link_received, event_received, link_skipped, event_skipped
