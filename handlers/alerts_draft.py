"""The /alert (/larm) dialogue's shared parts: its steps, the draft (`UserData.alert_draft`),
its buttons, and the role re-check every step does (handlers/alerts.py, alerts_target.py).
"""

from __future__ import annotations

from enum import IntEnum

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import alert_targets
from bot.services import alerts as service
from bot.services.alerts import Draft
from bot.services.roles import Access, access_of
from handlers.common import (
    answer_query,
    callback_query,
    effective_user,
    reply,
    show_step,
    user_data,
)
from handlers.target_screen import button, rows


class AlertStep(IntEnum):
    TYPE = 0
    TARGET = 1
    KOMMUN = 2
    GROUPS = 3
    TEXT = 4
    PHOTO = 5
    CONFIRM = 6
    PLACE = 7  # near a place: a shared location or a typed street/area, kommun
    RADIUS = 8
    NEAR = 9  # the matching groups, to untick
    LINK = 10  # optional "Läs mer" link
    EVENT = 11  # optional police event number


TYPE, TARGET, KOMMUN, GROUPS, TEXT, PHOTO, CONFIRM, PLACE, RADIUS, NEAR, LINK, EVENT = AlertStep
STATE = ("alert_draft",)  # the UserData attributes of the dialogue


alert_button = button  # a button of the dialogue (one of handlers/alerts_buttons.py)
button_rows = rows


async def current_access(update: Update, context: BotContext) -> Access:
    """The person's roles, read from storage now."""
    services = context.services
    return await access_of(services.db, services.settings, effective_user(update).id)


def load_draft(context: BotContext) -> Draft | None:
    """The draft of the dialogue in progress, if any."""
    return user_data(context).alert_draft


def save_draft(context: BotContext, draft: Draft) -> None:
    """Keep the draft for the next step (as the dataclass: bot/persistence.py then drops a
    stored draft that lacks a field of this version, instead of failing at a step)."""
    user_data(context).alert_draft = draft


async def refuse(update: Update, context: BotContext, key: str) -> int:
    """Answer a refused step (button toast or message) and end the dialogue."""
    user_data(context).forget(*STATE)
    if update.callback_query is not None:
        await answer_query(update.callback_query, t_plain(context.lang, key), show_alert=True)
    else:
        await reply(update, context, key)
    return ConversationHandler.END


async def check_step(update: Update, context: BotContext) -> tuple[Access, Draft] | None:
    """For every button and step: the person must still be police/admin with a draft."""
    access = await current_access(update, context)
    draft = load_draft(context)
    if not alert_targets.may_send_alerts(access) or draft is None:
        return None
    return access, draft


async def text_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The TEXT step's question (no buttons)."""
    return t(context.lang, "alerts.ask.text", max=service.MAX_TEXT), None


async def ask_text(update: Update, context: BotContext) -> int:
    """The target is chosen: ask for the alert's text."""
    query = callback_query(update)
    await answer_query(query)
    await show_step(query, *await text_question(update, context))
    return TEXT
