"""/enkat (/survey): a survey to the groups as anonymous polls; /enkater (/surveys): the
result (combined and per group, with a bar chart), refresh and close early; and `poll`
updates, which carry each poll's totals.

question + answers (one message) → closing time → target (handlers/dialog_target.py) →
preview → Send. Every step and button re-checks the person's roles from storage.
"""

from __future__ import annotations

import logging
import warnings
from datetime import datetime, timedelta
from enum import StrEnum

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    PollHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import SERVICES_KEY, BotContext
from bot.dialog_scheduler import install_dialog_scheduler
from bot.i18n import Html, t, t_plain
from bot.i18n.dates import format_when
from bot.services import dialog_targets as targets
from bot.services import survey_chart
from bot.services import surveys as service
from bot.services.dialog_targets import Feature
from bot.services.refusals import Refused
from bot.services.roles import Role
from bot.services.surveys import SurveyDraft
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    is_private,
    reply,
    send_step,
    show_step,
    time_examples,
    user_data,
)
from handlers.dialog_target import (
    DRAFT_KEYS,
    TargetPick,
    current_access,
    describe_target,
    on_target_press,
    send_or_cancel,
    target_screen,
)
from handlers.dialogues import add_step_questions, dialogue, not_typed
from storage.surveys import SurveyRecord

log = logging.getLogger(__name__)

QUESTION, CLOSING, TARGET, CONFIRM = range(4)
DRAFT_KEY = DRAFT_KEYS[Feature.SURVEY]
STAFF = frozenset({Role.POLICE, Role.KOMMUN, Role.COORDINATOR, Role.ADMIN})
COMMANDS = [
    CommandSpec("survey", "dialog.cmd.survey", STAFF, Where.PRIVATE, swedish_alias="enkat"),
    CommandSpec("surveys", "dialog.cmd.surveys", STAFF, Where.PRIVATE, swedish_alias="enkater"),
]
CLOSING_DAYS = (1, 3, 7)


class Closing(CallbackData, prefix="svc"):
    days: int


class Confirm(CallbackData, prefix="svs"):
    send: bool


class Action(StrEnum):
    VIEW = "v"
    CLOSE = "c"  # asks to confirm
    CLOSE_YES = "y"  # yes, close it now
    CLOSE_NO = "n"  # no, keep it open


class SurveyPress(CallbackData, prefix="svv"):
    """A button of /enkater: show a survey's result, or close it now (after a Yes)."""

    action: Action
    survey_id: int


def _draft(context: BotContext) -> SurveyDraft:
    draft = user_data(context).survey_draft
    if not isinstance(draft, SurveyDraft):
        raise Refused("core.stale_button")
    return draft


async def _check(update: Update, context: BotContext) -> None:
    targets.check(Feature.SURVEY, await current_access(update, context))


# --------------------------------------------------------------------------- composing


async def start(update: Update, context: BotContext) -> int:
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return ConversationHandler.END
    if not targets.may_use(Feature.SURVEY, await current_access(update, context)):
        raise Refused("onb.survey.not_staff")  # who asks the groups, and how
    user_data(context).survey_draft = SurveyDraft()
    await send_step(effective_message(update), *await question_question(update, context))
    return QUESTION


async def question_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The QUESTION step's question: the survey's question and its answers."""
    return t(context.lang, "dialog.survey.ask_question"), None


async def closing_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The CLOSING step's question and its buttons (in so many days)."""
    buttons = [
        [
            InlineKeyboardButton(
                t_plain(context.lang, f"dialog.survey.closing.{d}"), callback_data=Closing(d).pack()
            )
        ]
        for d in CLOSING_DAYS
    ]
    text = t(context.lang, "dialog.survey.ask_closing", **time_examples(context))
    return text, InlineKeyboardMarkup(buttons)


async def question_received(update: Update, context: BotContext) -> int:
    await _check(update, context)
    draft = _draft(context)
    draft.question, draft.options = service.parse_question(effective_message(update).text or "")
    await send_step(effective_message(update), *await closing_question(update, context))
    return CLOSING


async def _ask_target(update: Update, context: BotContext, closes_at: datetime) -> int:
    access = await current_access(update, context)
    targets.check(Feature.SURVEY, access)
    s = context.services
    service.check_closing(closes_at, s.clock.now(), s.settings.tzinfo)
    _draft(context).closes_at = closes_at
    text, markup = await target_screen(context, Feature.SURVEY, access, "dialog.survey.ask_target")
    if update.callback_query is not None:
        await answer_query(update.callback_query)
        await show_step(update.callback_query, text, markup)
    else:
        await send_step(effective_message(update), text, markup)
    return TARGET


async def closing_pressed(update: Update, context: BotContext) -> int:
    press = Closing.unpack(callback_query(update).data)
    if press.days not in CLOSING_DAYS:
        raise Refused("core.stale_button")
    return await _ask_target(
        update, context, context.services.clock.now() + timedelta(days=press.days)
    )


async def closing_typed(update: Update, context: BotContext) -> int:
    s = context.services
    text = effective_message(update).text or ""
    closes_at = service.parse_closing(text, s.settings.tzinfo, s.clock.now())
    return await _ask_target(update, context, closes_at)


async def target_pressed(update: Update, context: BotContext) -> int:
    state = await on_target_press(update, context, _preview)
    return TARGET if state is None else state


async def _preview(update: Update, context: BotContext) -> int:
    access = await current_access(update, context)
    draft = _draft(context)
    groups = await targets.target_groups(context.services.db, Feature.SURVEY, access, draft.target)
    lang = context.lang
    assert draft.closes_at is not None
    options = Html(
        "\n".join(t(lang, "dialog.survey.preview_option", option=o) for o in draft.options)
    )
    s = context.services
    when = format_when(lang, draft.closes_at, s.settings.tzinfo, now=s.clock.now(), relative=True)
    text = t(
        lang,
        "dialog.survey.preview",
        question=draft.question or "",
        options=options,
        when=when,
        groups=describe_target(lang, len(groups)),
    )
    markup = send_or_cancel(lang, Confirm(True), Confirm(False))
    query = callback_query(update)
    await answer_query(query)
    await show_step(query, text, markup)
    return CONFIRM


async def confirm_pressed(update: Update, context: BotContext) -> int:
    query = callback_query(update)
    lang = context.lang
    if not Confirm.unpack(query.data).send:
        user_data(context).forget("survey_draft")
        await answer_query(query)
        await show_step(query, t(lang, "dialog.cancelled"), None)
        return ConversationHandler.END
    access = await current_access(update, context)
    draft = _draft(context)
    if draft.question is None or draft.closes_at is None:
        raise Refused("core.stale_button")
    s = context.services
    created = await service.create_survey(
        s.db, s.clock, access, draft.question, draft.options, draft.closes_at, draft.target, lang
    )
    user_data(context).forget("survey_draft")
    s.delivery.wake()
    await answer_query(query)
    await show_step(query, t(lang, "dialog.survey.sent", count=created.group_count), None)
    return ConversationHandler.END


# --------------------------------------------------------------------------- results


async def list_surveys(update: Update, context: BotContext) -> None:
    """/enkater: the person's latest surveys as buttons."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    access = await current_access(update, context)
    if not targets.may_use(Feature.SURVEY, access):
        raise Refused("onb.survey.not_staff")
    found = await service.my_surveys(context.services.db, access)
    if not found:
        await reply(update, context, "dialog.survey.none")
        return
    buttons = [
        [
            InlineKeyboardButton(
                t_plain(
                    context.lang,
                    "dialog.survey.list_button",
                    mark="⏹" if s.is_closed else "▶️",
                    question=s.question[:50],
                ),
                callback_data=SurveyPress(Action.VIEW, s.id).pack(),
            )
        ]
        for s in found
    ]
    await without_result(
        effective_message(update).reply_text(
            t(context.lang, "dialog.survey.list_head"), reply_markup=InlineKeyboardMarkup(buttons)
        )
    )


def _result_buttons(lang: str, survey: SurveyRecord, asking: bool = False) -> InlineKeyboardMarkup:
    """Refresh, and Close now while the survey is open; Yes / No while closing is asked."""
    if asking and not survey.is_closed:
        pairs = [("close_yes", Action.CLOSE_YES), ("close_no", Action.CLOSE_NO)]
    else:
        pairs = [("refresh_button", Action.VIEW)]
        if not survey.is_closed:
            pairs.append(("close_button", Action.CLOSE))
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(lang, f"dialog.survey.{key}"),
                    callback_data=SurveyPress(action, survey.id).pack(),
                )
                for key, action in pairs
            ]
        ]
    )


async def _set_buttons(query: CallbackQuery, markup: InlineKeyboardMarkup) -> None:
    """The pressed result's buttons follow the survey's state (a lost edit is cosmetic)."""
    try:
        await without_result(query.edit_message_reply_markup(markup))
    except TelegramError as exc:  # "message is not modified", too old
        log.info("survey result buttons not updated: %s", exc)


async def survey_pressed(update: Update, context: BotContext) -> None:
    """A result's buttons: refresh (a new result), Close now (asks: Yes / No in place),
    Yes (closes; the new result says so) or No (the buttons come back)."""
    query = callback_query(update)
    press = SurveyPress.unpack(query.data)
    access = await current_access(update, context)
    s, lang = context.services, context.lang
    if press.action in (Action.CLOSE, Action.CLOSE_NO):
        res = await service.results(s.db, access, press.survey_id)
        asking = press.action is Action.CLOSE
        await _set_buttons(query, _result_buttons(lang, res.survey, asking=asking))
        if asking and res.survey.is_closed:
            await answer_query(query, t_plain(lang, "dialog.survey.already_closed"))
        else:
            await answer_query(query, t_plain(lang, "dialog.survey.close_ask") if asking else None)
        return
    if press.action is Action.CLOSE_YES:
        if await service.close_survey(s.db, s.clock, press.survey_id, access):
            s.delivery.wake()
            await answer_query(query, t_plain(lang, "dialog.survey.closing_now"))
        else:
            await answer_query(query, t_plain(lang, "dialog.survey.already_closed"))
    res = await service.results(s.db, access, press.survey_id)
    if press.action is Action.VIEW:
        await answer_query(query)
    else:  # the pressed result offers no Close any more
        await _set_buttons(query, _result_buttons(lang, res.survey))
    text = service.render_results(lang, res, s.settings.tzinfo, s.clock.now())
    chart = survey_chart.bar_chart(
        res, res.survey.question, t_plain(lang, "dialog.survey.chart_votes")
    )
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    await context.bot.send_photo(chat_id, chart, filename="enkat.png")
    await without_result(
        context.bot.send_message(chat_id, text, reply_markup=_result_buttons(lang, res.survey))
    )


# --------------------------------------------------------------------------- poll updates


async def poll_update(update: Update, context: BotContext) -> None:
    """Telegram's totals of a poll (anonymous: no voter is known or stored)."""
    poll = update.poll
    if poll is None:
        return
    counts = [option.voter_count for option in poll.options]
    await service.record_poll_update(
        context.services.db, poll.id, counts, poll.total_voter_count, poll.is_closed
    )


def register(application: Application) -> None:
    private = filters.ChatType.PRIVATE
    with warnings.catch_warnings():  # per_message=False is intended: one dialogue per chat
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = dialogue(
            "survey_compose",
            entry_points=[CommandHandler(["survey", "enkat"], start)],
            states={
                QUESTION: [
                    MessageHandler(private & filters.TEXT & ~filters.COMMAND, question_received),
                    not_typed(question_question),
                ],
                CLOSING: [
                    CallbackQueryHandler(closing_pressed, pattern=Closing.filter()),
                    MessageHandler(private & filters.TEXT & ~filters.COMMAND, closing_typed),
                    not_typed(closing_question),
                ],
                TARGET: [
                    CallbackQueryHandler(
                        target_pressed, pattern=TargetPick.filter(feature=Feature.SURVEY)
                    )
                ],
                CONFIRM: [CallbackQueryHandler(confirm_pressed, pattern=Confirm.filter())],
            },
            state=("survey_draft",),
        )
    application.add_handler(conversation)
    add_step_questions("survey_compose", {QUESTION: question_question, CLOSING: closing_question})
    application.add_handler(CommandHandler(["surveys", "enkater"], list_surveys))
    application.add_handler(CallbackQueryHandler(survey_pressed, pattern=SurveyPress.filter()))
    application.add_handler(PollHandler(poll_update))
    # The pass that closes due surveys and sends presence reminders (one per application).
    install_dialog_scheduler(application, application.bot_data[SERVICES_KEY])
