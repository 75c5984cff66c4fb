"""The resident's side: the /report (/rapportera) dialogue.

The dialogue keeps a `ReportDraft` in `UserData.report_draft` (its /cancel drops it);
nothing is stored until the resident confirms the summary. The question of each step is
in handlers/observations_prompts.py, the steps' callbacks in
handlers/observations_report_steps.py; /myreports (/minarapporter) and withdrawing live in
handlers/observations_mine.py, registered from here.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.api_request import without_result
from bot.commands import EVERYONE, CommandSpec, Where
from bot.context import BotContext
from bot.i18n import Html, t
from bot.services import groups as group_service
from bot.services import membership as membership_service
from bot.services import observations as svc
from handlers import observations_mine
from handlers import observations_report_steps as steps
from handlers.common import (
    StepCallback,
    effective_message,
    effective_user,
    reply,
    user_data,
)
from handlers.dialogues import add_step_reminder, dialogue
from handlers.membership import join_group_advice
from handlers.observations_buttons import ReportButton, ReportStep
from handlers.observations_prompts import (
    CATEGORY,
    CONFIRM,
    DESCRIPTION,
    EDIT,
    GROUP,
    IDENTITY,
    PHOTOS,
    PRECISION,
    STATE,
    WHEN,
    WHEN_DAY,
    WHEN_TODAY,
    WHERE,
    current_draft,
    prompt,
)

COMMANDS = [
    CommandSpec("report", "obs.cmd.report", EVERYONE, Where.PRIVATE, swedish_alias="rapportera"),
    *observations_mine.COMMANDS,
]
DEEP_LINK = "report"  # t.me/<bot>?start=report opens the dialogue (the group's report button)


# ------------------------------------------------------------------------- entry


async def start_report(update: Update, context: BotContext) -> int:
    """/report: check the limit and membership, then ask the first question."""
    return await _begin(update, context, preselected_group_id=None)


async def start_report_for_group(update: Update, context: BotContext) -> int:
    """`/start r<id>_<sig>`, the report button of a group's explanation message.

    Opening it makes the person a member of that group (as the group's own link does),
    then the dialogue starts with that group chosen.
    """
    services = context.services
    token = services.settings.bot_token.get_secret_value()
    payload = (context.args or [""])[0]
    group_id = group_service.parse_report_payload(token, payload)
    joined = None
    if group_id is not None:
        joined = await membership_service.join_by_deep_link(
            services.db, services.clock.now(), group_id, effective_user(update).id
        )
    if joined is None:
        await reply(update, context, "grp.link.invalid")
        return ConversationHandler.END
    # As the group's own link does: someone outside the Telegram group is told to join it
    # (alerts and tips come only there); the report itself goes on below.
    advice = await join_group_advice(context, joined.group, effective_user(update).id)
    if advice is not None:
        text, markup = advice
        await without_result(
            effective_message(update).reply_text(
                t(context.lang, "obs.link.join_group_first", advice=Html(text)), reply_markup=markup
            )
        )
    return await _begin(update, context, preselected_group_id=joined.group.id)


async def _begin(update: Update, context: BotContext, preselected_group_id: int | None) -> int:
    services = context.services
    user_id = effective_user(update).id
    user_data(context).forget("report_draft", "report_step", "report_editing")
    if await svc.rate_limited(services.db, services.settings, services.clock, user_id):
        await reply(update, context, "obs.rate_limited", count=services.settings.reports_per_hour)
        return ConversationHandler.END
    groups = await svc.reporting_groups(services.db, user_id)
    if not groups:
        await reply(update, context, "obs.no_group")
        return ConversationHandler.END
    draft = current_draft(context)
    intro = Html(t(context.lang, "obs.intro") + "\n" + t(context.lang, "privacy.link"))
    preselected = [g for g in groups if g.id == preselected_group_id]
    if len(groups) == 1 or preselected:
        draft.group_id = (preselected or groups)[0].id
        return await prompt(update, context, CATEGORY, intro)
    return await prompt(update, context, GROUP, intro)


async def start_not_private(update: Update, context: BotContext) -> int:
    await reply(update, context, "core.private_only")
    return ConversationHandler.END


def build_conversation() -> ConversationHandler:
    """The /report dialogue."""
    private = filters.ChatType.PRIVATE
    # Only new messages answer a step: an edit (a corrected earlier answer, a live location
    # moving) arrives as edited_message, has no update.message, and is not an answer.
    fresh = filters.UpdateType.MESSAGE
    text = fresh & filters.TEXT & ~filters.COMMAND

    def cb(fn: StepCallback, step: ReportStep) -> CallbackQueryHandler:
        return CallbackQueryHandler(fn, pattern=ReportButton.filter(step=step))

    states: dict[int, list[BaseHandler[Update, BotContext, int]]] = {
        GROUP: [cb(steps.on_group, ReportStep.GROUP)],
        CATEGORY: [cb(steps.on_category, ReportStep.CATEGORY)],
        WHEN: [cb(steps.on_when, ReportStep.WHEN)],
        WHEN_TODAY: [MessageHandler(text, steps.on_when_today)],
        WHEN_DAY: [MessageHandler(text, steps.on_when_day)],
        WHERE: [
            MessageHandler(fresh & filters.LOCATION, steps.on_location),
            MessageHandler(text, steps.on_place_text),
        ],
        PRECISION: [cb(steps.on_precision, ReportStep.PRECISION)],
        DESCRIPTION: [MessageHandler(text, steps.on_description)],
        PHOTOS: [
            MessageHandler(fresh & filters.PHOTO, steps.on_photo),
            cb(steps.on_photos_done, ReportStep.PHOTOS_DONE),
            # As in the alert dialogue: a typed /skip (/klar) also ends the photo step.
            CommandHandler(
                ["skip", "hoppa", "klar", "done"], steps.on_photos_done, filters=private
            ),
        ],
        IDENTITY: [cb(steps.on_identity, ReportStep.IDENTITY)],
        CONFIRM: [cb(steps.on_summary, ReportStep.SUMMARY)],
        EDIT: [cb(steps.on_edit_field, ReportStep.EDIT)],
    }
    for state, handlers in states.items():
        handlers.append(MessageHandler(fresh & ~filters.COMMAND, steps.unsupported_for(state)))
    return dialogue(
        "observation_report",
        entry_points=[
            CommandHandler(["report", "rapportera"], start_report, filters=private),
            CommandHandler(
                "start",
                start_report,
                filters=private & filters.Regex(rf"^/start(@\w+)?\s+{DEEP_LINK}$"),
            ),
            CommandHandler(
                "start",
                start_report_for_group,
                filters=private & filters.Regex(r"^/start(@\w+)?\s+r\d+_"),
            ),
            CommandHandler(["report", "rapportera"], start_not_private),
        ],
        states=states,
        state=STATE,
        fallbacks=[
            CommandHandler(["report", "rapportera"], start_report, filters=private),
            CallbackQueryHandler(steps.stale_button, pattern=ReportButton.family_filter()),
        ],
    )


def register(application: Application) -> None:
    add_step_reminder("observation_report", steps.remind_step)
    application.add_handler(build_conversation())
    saved = ReportButton.filter(step=ReportStep.SUMMARY, value="ok")
    application.add_handler(CallbackQueryHandler(steps.saved_again, pattern=saved))
    application.add_handler(
        CallbackQueryHandler(steps.stale_button, pattern=ReportButton.family_filter())
    )
    observations_mine.register(application)
