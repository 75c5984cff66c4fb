"""The target step shared by /enkat and /narvaro: all my groups, one kommun, or chosen
groups, as in /larm (bot/services/dialog_targets.py reuses the alerts' rules). Every press
re-reads the person's roles (coordinated groups only while Telegram says they are an
admin there); a forged group or kommun is Refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.services import dialog_targets as targets
from bot.services.dialog_targets import Feature, Target
from bot.services.refusals import Refused
from bot.services.roles import Access, access_following_telegram
from handlers.common import answer_query, callback_query, effective_user, user_data
from handlers.guard import chat_admin_check
from handlers.target_screen import button, groups_screen, kommun_screen, rows, toggled

DRAFT_KEYS = {Feature.SURVEY: "survey_draft", Feature.PRESENCE: "presence_draft"}


class Choice(StrEnum):
    ALL = "a"
    KOMMUN = "k"  # show the kommun buttons
    GROUPS = "g"  # show the group buttons
    PICK_KOMMUN = "pk"
    TOGGLE = "t"
    DONE = "d"


class TargetPick(CallbackData, prefix="dtg"):
    """A press in the target step of a survey or presence dialogue."""

    feature: Feature
    choice: Choice
    kommun: str | None = None
    group_id: int | None = None


class HasTarget(Protocol):
    target: Target


Next = Callable[[Update, BotContext], Awaitable[int]]


async def current_access(update: Update, context: BotContext) -> Access:
    """The person's roles from storage, coordinated groups only while Telegram agrees."""
    s = context.services
    return await access_following_telegram(
        s.db, s.settings, chat_admin_check(context, update), effective_user(update).id
    )


def load_draft(context: BotContext, feature: Feature) -> HasTarget | None:
    draft: HasTarget | None = getattr(user_data(context), DRAFT_KEYS[feature])
    return draft


async def target_screen(
    context: BotContext, feature: Feature, access: Access, question_key: str
) -> tuple[Html, InlineKeyboardMarkup]:
    """The first target question and its buttons (kommun only for police and admins)."""
    lang = context.lang
    count = len(await targets.reachable_groups(context.services.db, feature, access))
    buttons = [
        button(t_plain(lang, "dialog.target.all", count=count), TargetPick(feature, Choice.ALL))
    ]
    if access.is_admin or access.police_kommuner:
        buttons.append(
            button(t_plain(lang, "dialog.target.kommun"), TargetPick(feature, Choice.KOMMUN))
        )
    buttons.append(
        button(t_plain(lang, "dialog.target.groups"), TargetPick(feature, Choice.GROUPS))
    )
    return t(lang, question_key), rows(buttons, 1)


async def _groups_screen(
    context: BotContext, feature: Feature, access: Access, draft: HasTarget
) -> tuple[Html, InlineKeyboardMarkup]:
    groups = await targets.reachable_groups(context.services.db, feature, access)
    return groups_screen(
        context.lang,
        groups,
        draft.target.group_ids,
        lambda group_id: _group_press(feature, group_id),
        ask_key="dialog.target.ask_groups",
        done_key="dialog.target.done",
    )


def _group_press(feature: Feature, group_id: int | None) -> TargetPick:
    if group_id is None:
        return TargetPick(feature, Choice.DONE)
    return TargetPick(feature, Choice.TOGGLE, group_id=group_id)


async def on_target_press(update: Update, context: BotContext, then: Next) -> int | None:
    """Handle one TargetPick press; calls `then` once the target is complete and returns
    its state, or returns None to stay in the target step."""
    query = callback_query(update)
    press = TargetPick.unpack(query.data)
    access = await current_access(update, context)
    targets.check(press.feature, access)
    draft = load_draft(context, press.feature)
    if draft is None:
        raise Refused("core.stale_button")
    db, lang = context.services.db, context.lang
    target = draft.target
    if press.choice is Choice.ALL:
        draft.target = Target("all")
        await targets.target_groups(db, press.feature, access, draft.target)
        return await then(update, context)
    if press.choice is Choice.KOMMUN:
        if not (access.is_admin or access.police_kommuner):
            raise Refused("core.not_allowed")
        choices, _ = await targets.kommun_choices(db, access)
        text, markup = kommun_screen(
            lang,
            choices,
            lambda code: TargetPick(press.feature, Choice.PICK_KOMMUN, kommun=code),
            ask_key="dialog.target.ask_kommun",
            button_key="dialog.target.kommun_button",
        )
        await answer_query(query)
        await without_result(query.edit_message_text(text, reply_markup=markup))
        return None
    if press.choice is Choice.PICK_KOMMUN:
        candidate = Target("kommun", kommun=press.kommun)
        await targets.target_groups(db, press.feature, access, candidate)  # Refused if not
        draft.target = candidate
        return await then(update, context)
    if press.choice is Choice.GROUPS:
        draft.target = Target("groups")
    elif press.choice is Choice.TOGGLE and press.group_id is not None:
        ids = target.group_ids if target.kind == "groups" else []
        feature = press.feature
        ids = await toggled(
            ids, press.group_id, lambda g: targets.check_group(db, feature, access, g)
        )
        draft.target = Target("groups", group_ids=ids)
    elif press.choice is Choice.DONE:
        if target.kind != "groups" or not target.group_ids:
            await answer_query(query, t_plain(lang, "dialog.target.none_chosen"), show_alert=True)
            return None
        await targets.target_groups(db, press.feature, access, target)
        return await then(update, context)
    text, markup = await _groups_screen(context, press.feature, access, draft)
    await answer_query(query)
    await without_result(query.edit_message_text(text, reply_markup=markup))
    return None


def describe_target(lang: str, count: int) -> str:
    """ "3 grupper" for a preview."""
    return t_plain(lang, "dialog.target.count", count=count)


def send_or_cancel(lang: str, send: CallbackData, cancel: CallbackData) -> InlineKeyboardMarkup:
    """The last step's two buttons of a survey or presence dialogue: Send and Cancel."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t_plain(lang, "dialog.send"), callback_data=send.pack()),
                InlineKeyboardButton(t_plain(lang, "dialog.cancel"), callback_data=cancel.pack()),
            ]
        ]
    )
