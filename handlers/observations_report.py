"""The resident's side: the /report (/rapportera) dialogue and /myreports (/minarapporter).

The dialogue keeps a `ReportDraft` in user_data["draft"] (so the shared /cancel drops it);
nothing is stored until the resident confirms the summary.
"""

from __future__ import annotations

import logging
import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.commands import EVERYONE, CommandSpec, Where
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.services import observations as svc
from bot.services.observations import ReportDraft, SubmitOutcome, WhenError
from handlers.common import answer_callback, cancel_handler, is_private, reply
from handlers.observations_render import (
    coordinator_keyboard,
    detail_text,
    draft_text,
    own_listing,
)
from storage.observations import Photo, get_observation

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("report", "obs.cmd.report", EVERYONE, Where.PRIVATE, swedish_alias="rapportera"),
    CommandSpec(
        "myreports", "obs.cmd.myreports", EVERYONE, Where.PRIVATE, swedish_alias="minarapporter"
    ),
]
DEEP_LINK = "report"  # t.me/<bot>?start=report opens the dialogue (the group's report button)

(GROUP, CATEGORY, WHEN, WHEN_TODAY, WHEN_DAY, WHERE, PRECISION, DESCRIPTION, PHOTOS,
 IDENTITY, CONFIRM, EDIT) = range(12)  # fmt: skip
ORDER = [GROUP, CATEGORY, WHEN, WHERE, DESCRIPTION, PHOTOS, IDENTITY, CONFIRM]
EDIT_FIELDS = {"cat": CATEGORY, "when": WHEN, "where": WHERE, "desc": DESCRIPTION,
               "photos": PHOTOS, "id": IDENTITY}  # fmt: skip
EDIT_LABELS = {"cat": "obs.field.category", "when": "obs.field.when", "where": "obs.field.where",
               "desc": "obs.field.description", "photos": "obs.field.photos",
               "id": "obs.field.identity"}  # fmt: skip


def _draft(context: BotContext) -> ReportDraft:
    draft = context.user_data.get("draft")
    if not isinstance(draft, ReportDraft):
        draft = ReportDraft()
        context.user_data["draft"] = draft
    return draft


def _btn(lang: str, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(t_plain(lang, key), callback_data=data)


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the pressed prompt in place (no extra message), or send a new one."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def _prompt(update: Update, context: BotContext, state: int, prefix: str = "") -> int:
    """Show the question of a step (optionally after an explanation) and enter it."""
    lang = context.lang
    draft = _draft(context)
    markup: InlineKeyboardMarkup | None = None
    if state == GROUP:
        groups = await svc.reporting_groups(context.services.db, update.effective_user.id)
        text = t(lang, "obs.ask.group")
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(g.area_name or g.title, callback_data=f"obr:g:{g.id}")]
                for g in groups
            ]
        )
    elif state == CATEGORY:
        text = t(lang, "obs.ask.category")
        names = list(svc.CATEGORIES.items())
        markup = InlineKeyboardMarkup(
            [
                [_btn(lang, f"obs.cat.{name}", f"obr:c:{code}") for name, code in names[i : i + 2]]
                for i in range(0, len(names), 2)
            ]
        )
    elif state == WHEN:
        text = t(lang, "obs.ask.when")
        markup = InlineKeyboardMarkup(
            [[_btn(lang, f"obs.btn.when.{k}", f"obr:w:{k}") for k in ("now", "today", "day")]]
        )
    elif state == WHEN_TODAY:
        text = t(lang, "obs.ask.when_today")
    elif state == WHEN_DAY:
        text = t(lang, "obs.ask.when_day")
    elif state == WHERE:
        text = t(lang, "obs.ask.where", max=svc.MAX_PLACE)
    elif state == PRECISION:
        text = t(lang, "obs.ask.precision")
        markup = InlineKeyboardMarkup(
            [[_btn(lang, f"obs.btn.precision.{k}", f"obr:p:{k}") for k in ("round", "exact")]]
        )
    elif state == DESCRIPTION:
        text = t(lang, "obs.ask.description", max=svc.MAX_DESCRIPTION)
    elif state == PHOTOS:
        text = t(lang, "obs.ask.photos", max=svc.MAX_PHOTOS)
        if draft.photos:
            text = t(lang, "obs.photo.received", count=len(draft.photos), max=svc.MAX_PHOTOS)
        key = "obs.btn.photos.done" if draft.photos else "obs.btn.photos.skip"
        markup = InlineKeyboardMarkup([[_btn(lang, key, "obr:ph:done")]])
    elif state == IDENTITY:
        text = t(lang, "obs.ask.identity")
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(lang, "obs.btn.identity.yes", "obr:i:y"),
                    _btn(lang, "obs.btn.identity.no", "obr:i:n"),
                ]
            ]
        )
    elif state == EDIT:
        text = t(lang, "obs.ask.edit")
        keys = list(EDIT_LABELS.items())
        markup = InlineKeyboardMarkup(
            [
                [_btn(lang, label, f"obr:e:{field}") for field, label in keys[i : i + 3]]
                for i in range(0, len(keys), 3)
            ]
        )
    else:
        group = await _group_area(context, draft)
        details = draft_text(lang, draft, group, context.services.settings.tzinfo)
        text = t(lang, "obs.summary", details=Html(details))
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(lang, "obs.btn.confirm", "obr:s:ok"),
                    _btn(lang, "obs.btn.edit", "obr:s:edit"),
                ],
                [_btn(lang, "obs.btn.cancel", "obr:s:cancel")],
            ]
        )
        state = CONFIRM
    await _show(update, (prefix + "\n\n" + text) if prefix else text, markup)
    return state


async def _group_area(context: BotContext, draft: ReportDraft) -> str:
    from storage.groups import get_group

    group = await get_group(context.services.db, draft.group_id or 0)
    return (group.area_name or group.title) if group else "?"


async def _advance(update: Update, context: BotContext, done: int) -> int:
    """Go to the step after `done`, or back to the summary when editing."""
    if context.user_data.get("obs_editing") or done == IDENTITY:
        return await _prompt(update, context, CONFIRM)
    return await _prompt(update, context, ORDER[ORDER.index(done) + 1])


# ------------------------------------------------------------------------- entry


async def start_report(update: Update, context: BotContext) -> int:
    """/report: check the limit and membership, then ask the first question."""
    services = context.services
    user_id = update.effective_user.id
    context.user_data.pop("draft", None)
    context.user_data.pop("obs_editing", None)
    if await svc.rate_limited(services.db, services.settings, services.clock, user_id):
        await reply(update, context, "obs.rate_limited", limit=services.settings.reports_per_hour)
        return ConversationHandler.END
    groups = await svc.reporting_groups(services.db, user_id)
    if not groups:
        await reply(update, context, "obs.no_group")
        return ConversationHandler.END
    draft = _draft(context)
    intro = t(context.lang, "obs.intro")
    if len(groups) == 1:
        draft.group_id = groups[0].id
        return await _prompt(update, context, CATEGORY, intro)
    return await _prompt(update, context, GROUP, intro)


async def start_not_private(update: Update, context: BotContext) -> int:
    await reply(update, context, "core.private_only")
    return ConversationHandler.END


# ------------------------------------------------------------------------- steps


async def _callback_value(update: Update, context: BotContext) -> str:
    query = update.callback_query
    await query.answer()
    return (query.data or "").split(":", 2)[2]


async def on_group(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    groups = await svc.reporting_groups(context.services.db, update.effective_user.id)
    chosen = next((g for g in groups if str(g.id) == value), None)
    if chosen is None:
        return await _prompt(update, context, GROUP, t(context.lang, "core.not_allowed"))
    _draft(context).group_id = chosen.id
    return await _advance(update, context, GROUP)


async def on_category(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value not in svc.CATEGORY_BY_CODE:
        return await _prompt(update, context, CATEGORY)
    _draft(context).category = svc.CATEGORY_BY_CODE[value]
    return await _advance(update, context, CATEGORY)


async def on_when(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value == "now":
        _draft(context).observed_at = context.services.clock.now()
        return await _advance(update, context, WHEN)
    return await _prompt(update, context, WHEN_TODAY if value == "today" else WHEN_DAY)


async def on_when_text(update: Update, context: BotContext, state: int) -> int:
    services = context.services
    parse = svc.parse_time_today if state == WHEN_TODAY else svc.parse_day_time
    result = parse(update.message.text, services.clock.now(), services.settings.tzinfo)
    if isinstance(result, WhenError):
        return await _prompt(update, context, state, t(context.lang, f"obs.err.when.{result}"))
    _draft(context).observed_at = result
    return await _advance(update, context, WHEN)


async def on_when_today(update: Update, context: BotContext) -> int:
    return await on_when_text(update, context, WHEN_TODAY)


async def on_when_day(update: Update, context: BotContext) -> int:
    return await on_when_text(update, context, WHEN_DAY)


async def on_place_text(update: Update, context: BotContext) -> int:
    text = update.message.text.strip()
    if not text:
        return await _prompt(update, context, WHERE, t(context.lang, "obs.err.empty"))
    if len(text) > svc.MAX_PLACE:
        prefix = t(context.lang, "obs.err.place_too_long", max=svc.MAX_PLACE)
        return await _prompt(update, context, WHERE, prefix)
    draft = _draft(context)
    draft.place_text, draft.latitude, draft.longitude = text, None, None
    return await _advance(update, context, WHERE)


async def on_location(update: Update, context: BotContext) -> int:
    location = update.message.location
    if not svc.in_sweden(location.latitude, location.longitude):
        return await _prompt(update, context, WHERE, t(context.lang, "obs.err.outside_sweden"))
    context.user_data["obs_location"] = (location.latitude, location.longitude)
    return await _prompt(update, context, PRECISION)


async def on_precision(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    shared = context.user_data.pop("obs_location", None)
    if shared is None:
        return await _prompt(update, context, WHERE)
    draft = _draft(context)
    draft.location_exact = value == "exact"
    draft.latitude, draft.longitude = svc.stored_location(*shared, draft.location_exact)
    draft.place_text = None
    return await _advance(update, context, WHERE)


async def on_description(update: Update, context: BotContext) -> int:
    text = update.message.text.strip()
    if not text:
        return await _prompt(update, context, DESCRIPTION, t(context.lang, "obs.err.empty"))
    if len(text) > svc.MAX_DESCRIPTION:
        prefix = t(
            context.lang,
            "obs.err.description_too_long",
            length=len(text),
            max=svc.MAX_DESCRIPTION,
        )
        return await _prompt(update, context, DESCRIPTION, prefix)
    _draft(context).description = text
    return await _advance(update, context, DESCRIPTION)


async def on_photo(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    lang = context.lang
    if len(draft.photos) >= svc.MAX_PHOTOS:
        return await _prompt(
            update, context, PHOTOS, t(lang, "obs.err.too_many_photos", max=svc.MAX_PHOTOS)
        )
    largest = update.message.photo[-1]
    if (largest.file_size or 0) > svc.MAX_PHOTO_BYTES:
        max_mb = svc.MAX_PHOTO_BYTES // (1024 * 1024)
        return await _prompt(
            update, context, PHOTOS, t(lang, "obs.err.photo_too_large", max_mb=max_mb)
        )
    draft.photos.append(Photo(largest.file_id, largest.file_unique_id, largest.file_size))
    return await _prompt(update, context, PHOTOS)


async def on_photos_done(update: Update, context: BotContext) -> int:
    await update.callback_query.answer()
    return await _advance(update, context, PHOTOS)


async def on_identity(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    _draft(context).show_identity = value == "y"
    return await _advance(update, context, IDENTITY)


async def on_summary(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value == "edit":
        return await _prompt(update, context, EDIT)
    if value == "cancel":
        context.user_data.pop("draft", None)
        await _show(update, t(context.lang, "core.cancel.done"))
        return ConversationHandler.END
    return await _save(update, context)


async def on_edit_field(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value not in EDIT_FIELDS:
        return await _prompt(update, context, EDIT)
    context.user_data["obs_editing"] = True
    if value == "photos":
        _draft(context).photos.clear()
    return await _prompt(update, context, EDIT_FIELDS[value])


async def _save(update: Update, context: BotContext) -> int:
    services = context.services
    draft = _draft(context)
    user_id = update.effective_user.id
    result = await svc.submit(services.db, services.settings, services.clock, user_id, draft)
    context.user_data.pop("draft", None)
    context.user_data.pop("obs_editing", None)
    if result.outcome is SubmitOutcome.RATE_LIMITED:
        limit = services.settings.reports_per_hour
        await _show(update, t(context.lang, "obs.rate_limited", limit=limit))
    elif result.outcome is not SubmitOutcome.SAVED:
        await _show(update, t(context.lang, "obs.not_member"))
    else:
        await _show(update, t(context.lang, "obs.saved", reference=result.reference))
        await notify_coordinators(context, result.observation_id or 0, result.coordinators)
    return ConversationHandler.END


async def notify_coordinators(context: BotContext, obs_id: int, user_ids: tuple[int, ...]) -> None:
    """Send a new observation to each coordinator privately; failures are only logged
    (the observation is stored and stays visible in /observations)."""
    services = context.services
    obs = await get_observation(services.db, obs_id)
    if obs is None:
        return
    for user_id in user_ids:
        lang = await services.people.language_of(user_id)
        text = (
            t(lang, "obs.notify.coordinator", area=obs.group_area)
            + "\n\n"
            + detail_text(lang, obs, svc.Viewer.COORDINATOR, services.settings.tzinfo)
        )
        try:
            await context.bot.send_message(
                user_id, text, reply_markup=coordinator_keyboard(lang, obs, details=True)
            )
        except TelegramError as exc:
            log.warning("could not notify coordinator %s of %s: %s", user_id, obs.reference, exc)


async def unsupported(update: Update, context: BotContext, state: int) -> int:
    """Anything the current step cannot take: say so and repeat the step's question."""
    if state in (PRECISION, CONFIRM, EDIT, GROUP, CATEGORY, WHEN, IDENTITY):
        await reply(update, context, "obs.err.unsupported")
        return state
    return await _prompt(update, context, state, t(context.lang, "obs.err.unsupported"))


def _unsupported_for(state: int):
    async def handler(update: Update, context: BotContext) -> int:
        return await unsupported(update, context, state)

    return handler


async def stale_button(update: Update, context: BotContext) -> None:
    """A dialogue button pressed outside its step (an old message, or after a restart)."""
    await answer_callback(update.callback_query, context, "core.stale_button")


# ------------------------------------------------------------------------- /myreports


async def my_reports(update: Update, context: BotContext) -> None:
    """The resident's own reports with a withdraw button for those still new."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    services = context.services
    page = await svc.own_reports(services.db, update.effective_user.id)
    text, markup = own_listing(context.lang, page, services.settings.tzinfo)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def on_withdraw(update: Update, context: BotContext) -> None:
    """obs:w:<id>: withdraw one's own new report (ownership re-checked in storage)."""
    query = update.callback_query
    services = context.services
    parts = (query.data or "").split(":")
    if len(parts) != 3 or not parts[2].isdigit():
        await answer_callback(query, context, "core.not_allowed", alert=True)
        return
    user_id = update.effective_user.id
    outcome = await svc.withdraw(services.db, services.clock, user_id, int(parts[2]))
    if outcome is svc.ActionOutcome.NOT_ALLOWED:
        await answer_callback(query, context, "core.not_allowed", alert=True)
        return
    if outcome is svc.ActionOutcome.STALE:
        await answer_callback(query, context, "obs.done.stale", alert=True)
    else:
        obs = await get_observation(services.db, int(parts[2]))
        await answer_callback(query, context, "obs.mine.withdrawn", reference=obs.reference)
    page = await svc.own_reports(services.db, user_id)
    text, markup = own_listing(context.lang, page, services.settings.tzinfo)
    await query.edit_message_text(text, reply_markup=markup)


def build_conversation() -> ConversationHandler:
    """The /report dialogue."""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND

    def cb(fn, prefix: str) -> CallbackQueryHandler:
        return CallbackQueryHandler(fn, pattern=f"^obr:{prefix}:")

    states = {
        GROUP: [cb(on_group, "g")],
        CATEGORY: [cb(on_category, "c")],
        WHEN: [cb(on_when, "w")],
        WHEN_TODAY: [MessageHandler(text, on_when_today)],
        WHEN_DAY: [MessageHandler(text, on_when_day)],
        WHERE: [
            MessageHandler(filters.LOCATION, on_location),
            MessageHandler(text, on_place_text),
        ],
        PRECISION: [cb(on_precision, "p")],
        DESCRIPTION: [MessageHandler(text, on_description)],
        PHOTOS: [MessageHandler(filters.PHOTO, on_photo), cb(on_photos_done, "ph")],
        IDENTITY: [cb(on_identity, "i")],
        CONFIRM: [cb(on_summary, "s")],
        EDIT: [cb(on_edit_field, "e")],
    }
    for state, handlers in states.items():
        handlers.append(MessageHandler(~filters.COMMAND, _unsupported_for(state)))
    with warnings.catch_warnings():
        # Buttons are tracked per chat+user on purpose (the dialogue edits its prompt).
        warnings.simplefilter("ignore", PTBUserWarning)
        return _conversation(private, states)


def _conversation(private: filters.BaseFilter, states: dict) -> ConversationHandler:
    return ConversationHandler(
        entry_points=[
            CommandHandler(["report", "rapportera"], start_report, filters=private),
            CommandHandler(
                "start",
                start_report,
                filters=private & filters.Regex(rf"^/start(@\w+)?\s+{DEEP_LINK}$"),
            ),
            CommandHandler(["report", "rapportera"], start_not_private),
        ],
        states=states,
        fallbacks=[
            cancel_handler(),
            CommandHandler(["report", "rapportera"], start_report, filters=private),
            CallbackQueryHandler(stale_button, pattern="^obr:"),
        ],
        name="observation_report",
        allow_reentry=True,
    )


def register(application: Application) -> None:
    application.add_handler(build_conversation())
    application.add_handler(CallbackQueryHandler(stale_button, pattern="^obr:"))
    application.add_handler(CommandHandler(["myreports", "minarapporter"], my_reports))
    application.add_handler(CallbackQueryHandler(on_withdraw, pattern=r"^obs:w:"))
