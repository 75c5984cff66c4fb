"""The /report (/rapportera) dialogue's steps and the question shown for each.

The dialogue keeps a `ReportDraft` in `UserData.report_draft` (its /cancel drops it);
`prompt` edits the pressed prompt in place and enters the step it asks for.
"""

from __future__ import annotations

from enum import IntEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.services import groups as group_service
from bot.services import observations as svc
from bot.services.observations import ReportDraft
from handlers.common import (
    answer_query,
    effective_message,
    effective_user,
    send_step,
    show_step,
    time_examples,
    user_data,
)
from handlers.observations_buttons import ReportButton, ReportStep
from handlers.observations_render import draft_text


class ReportState(IntEnum):
    """The /report dialogue's steps (stored as ints: never renumber, only append)."""

    GROUP = 0
    CATEGORY = 1
    WHEN = 2
    WHEN_TODAY = 3
    WHEN_DAY = 4
    WHERE = 5
    PRECISION = 6
    DESCRIPTION = 7
    PHOTOS = 8
    IDENTITY = 9
    CONFIRM = 10
    EDIT = 11


(GROUP, CATEGORY, WHEN, WHEN_TODAY, WHEN_DAY, WHERE, PRECISION, DESCRIPTION, PHOTOS,
 IDENTITY, CONFIRM, EDIT) = ReportState  # fmt: skip
ORDER = [GROUP, CATEGORY, WHEN, WHERE, DESCRIPTION, PHOTOS, IDENTITY, CONFIRM]
EDIT_FIELDS = {"cat": CATEGORY, "when": WHEN, "where": WHERE, "desc": DESCRIPTION,
               "photos": PHOTOS, "id": IDENTITY}  # fmt: skip
EDIT_LABELS = {"cat": "obs.field.category", "when": "obs.field.when", "where": "obs.field.where",
               "desc": "obs.field.description", "photos": "obs.field.photos",
               "id": "obs.field.identity"}  # fmt: skip
EDIT_BACK = "back"  # the edit menu's value for "back to the summary, change nothing"


# The UserData attributes of the dialogue. `report_step` is the step the dialogue is at:
# set once its question is shown, i.e. exactly when the ConversationHandler enters it (a
# callback that raises leaves both where they were).
STATE = ("report_draft", "report_step", "report_editing", "report_location")


def current_draft(context: BotContext) -> ReportDraft:
    """The draft of the dialogue in progress (a new, empty one if there is none)."""
    data = user_data(context)
    if data.report_draft is None:
        data.report_draft = ReportDraft()
    return data.report_draft


def _btn(lang: str, key: str, step: ReportStep, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(t_plain(lang, key), callback_data=ReportButton(step, value).pack())


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the pressed prompt in place (no extra message) and answer the press, or send a
    new message. Raises when the step could not be shown (the dialogue stays put)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await show_step(query, text, markup)
        finally:  # after the work, and whatever the edit did (see answer_query)
            await answer_query(query)
    else:  # retried when lost: the step must reach the person (see send_step)
        await send_step(effective_message(update), text, markup)


async def prompt(update: Update, context: BotContext, state: int, prefix: str = "") -> int:
    """Show the question of a step (optionally after an explanation) and enter it."""
    lang = context.lang
    draft = current_draft(context)
    markup: InlineKeyboardMarkup | None = None
    if state == GROUP:
        groups = await svc.reporting_groups(context.services.db, effective_user(update).id)
        text = t(lang, "obs.ask.group")
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        g.area_name or g.title,
                        callback_data=ReportButton(ReportStep.GROUP, str(g.id)).pack(),
                    )
                ]
                for g in groups
            ]
        )
    elif state == CATEGORY:
        text = t(lang, "obs.ask.category")
        names = list(svc.CATEGORIES.items())
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(lang, f"obs.cat.{name}", ReportStep.CATEGORY, code)
                    for name, code in names[i : i + 2]
                ]
                for i in range(0, len(names), 2)
            ]
        )
    elif state == WHEN:
        text = t(lang, "obs.ask.when")
        markup = InlineKeyboardMarkup(
            [[_btn(lang, f"obs.btn.when.{k}", ReportStep.WHEN, k) for k in ("now", "today", "day")]]
        )
    elif state == WHEN_TODAY:
        text = t(lang, "obs.ask.when_today")
    elif state == WHEN_DAY:
        text = t(lang, "obs.ask.when_day", **time_examples(context, days=-3))
    elif state == WHERE:
        text = t(lang, "obs.ask.where", max=svc.MAX_PLACE)
    elif state == PRECISION:
        text = t(lang, "obs.ask.precision")
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(lang, f"obs.btn.precision.{k}", ReportStep.PRECISION, k)
                    for k in ("round", "exact")
                ]
            ]
        )
    elif state == DESCRIPTION:
        text = t(lang, "obs.ask.description", max=svc.MAX_DESCRIPTION)
    elif state == PHOTOS:
        text = t(lang, "obs.ask.photos", max=svc.MAX_PHOTOS)
        if draft.photos:
            text = t(lang, "obs.photo.received", count=len(draft.photos), max=svc.MAX_PHOTOS)
        key = "obs.btn.photos.done" if draft.photos else "obs.btn.photos.skip"
        row = [_btn(lang, key, ReportStep.PHOTOS_DONE, "done")]
        if draft.photos:  # a wrong photo, or Edit → Photos to send others instead
            row.append(_btn(lang, "obs.btn.photos.clear", ReportStep.PHOTOS_DONE, "clear"))
        markup = InlineKeyboardMarkup([row])
    elif state == IDENTITY:
        text = t(lang, "obs.ask.identity")
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(lang, "obs.btn.identity.yes", ReportStep.IDENTITY, "y"),
                    _btn(lang, "obs.btn.identity.no", ReportStep.IDENTITY, "n"),
                ]
            ]
        )
    elif state == EDIT:
        text = t(lang, "obs.ask.edit")
        keys = list(EDIT_LABELS.items())
        rows = [
            [_btn(lang, label, ReportStep.EDIT, field) for field, label in keys[i : i + 3]]
            for i in range(0, len(keys), 3)
        ]
        # The way back to the summary for someone who pressed Edit and changed their mind.
        rows.append([_btn(lang, "obs.btn.edit_back", ReportStep.EDIT, EDIT_BACK)])
        markup = InlineKeyboardMarkup(rows)
    else:
        group = await _group_area(context, draft)
        details = draft_text(lang, draft, group, context.services.settings.tzinfo)
        text = t(lang, "obs.summary", details=Html(details))
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(lang, "obs.btn.confirm", ReportStep.SUMMARY, "ok"),
                    _btn(lang, "obs.btn.edit", ReportStep.SUMMARY, "edit"),
                ],
                [_btn(lang, "obs.btn.cancel", ReportStep.SUMMARY, "cancel")],
            ]
        )
        state = CONFIRM
    await show(update, (prefix + "\n\n" + text) if prefix else text, markup)
    user_data(context).report_step = state
    return state


async def _group_area(context: BotContext, draft: ReportDraft) -> str:
    group = await group_service.group_by_id(context.services.db, draft.group_id or 0)
    return (group.area_name or group.title) if group else "?"


async def advance(update: Update, context: BotContext, done: int) -> int:
    """Go to the step after `done`, or back to the summary when editing."""
    if user_data(context).report_editing or done == IDENTITY:
        return await prompt(update, context, CONFIRM)
    return await prompt(update, context, ORDER[ORDER.index(ReportState(done)) + 1])
