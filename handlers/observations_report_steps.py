"""The steps of the /report (/rapportera) dialogue: one callback per answer, saving the
confirmed report, and what a step says to anything it cannot take. The entry points (the
command and the group's deep link) and the wiring are in handlers/observations_report.py;
each step's question is in handlers/observations_prompts.py.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import observations as svc
from bot.services.observations import Reach, SubmitOutcome, WhenError
from bot.textlen import is_blank, utf16_len
from bot.user_data import SavedReport
from handlers.common import (
    StepCallback,
    answer_callback,
    callback_query,
    effective_message,
    effective_user,
    message_text,
    user_data,
)
from handlers.guard import fresh_chat_admin_check
from handlers.observations_buttons import ReportButton
from handlers.observations_notify import notifier
from handlers.observations_prompts import (
    CATEGORY,
    CONFIRM,
    DESCRIPTION,
    EDIT,
    EDIT_BACK,
    EDIT_FIELDS,
    GROUP,
    IDENTITY,
    PHOTOS,
    PRECISION,
    WHEN,
    WHEN_DAY,
    WHEN_TODAY,
    WHERE,
    advance,
    current_draft,
    prompt,
    show,
)
from storage.observations import Photo

log = logging.getLogger(__name__)


async def _callback_value(update: Update, context: BotContext) -> str:
    # Answered by `show` once the step's work is done.
    return ReportButton.unpack(callback_query(update).data).value


async def on_group(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    groups = await svc.reporting_groups(context.services.db, effective_user(update).id)
    chosen = next((g for g in groups if str(g.id) == value), None)
    if chosen is None:
        return await prompt(update, context, GROUP, t(context.lang, "core.not_allowed"))
    current_draft(context).group_id = chosen.id
    return await advance(update, context, GROUP)


async def on_category(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value not in svc.CATEGORY_BY_CODE:
        return await prompt(update, context, CATEGORY)
    current_draft(context).category = svc.CATEGORY_BY_CODE[value]
    return await advance(update, context, CATEGORY)


async def on_when(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value == "now":
        draft = current_draft(context)
        draft.observed_at, draft.observed_note = context.services.clock.now(), None
        return await advance(update, context, WHEN)
    return await prompt(update, context, WHEN_TODAY if value == "today" else WHEN_DAY)


async def on_when_text(update: Update, context: BotContext, state: int) -> int:
    services = context.services
    # Both steps accept every form ("igår 22:00" after "Earlier today" too).
    result = svc.parse_when(message_text(update), services.clock.now(), services.settings.tzinfo)
    if isinstance(result, WhenError):
        return await prompt(update, context, state, t(context.lang, f"obs.err.when.{result}"))
    draft = current_draft(context)
    draft.observed_at = result.moment
    draft.observed_note = None if result.note is None else (result.note, result.typed or "")
    return await advance(update, context, WHEN)


async def on_when_today(update: Update, context: BotContext) -> int:
    return await on_when_text(update, context, WHEN_TODAY)


async def on_when_day(update: Update, context: BotContext) -> int:
    return await on_when_text(update, context, WHEN_DAY)


async def on_place_text(update: Update, context: BotContext) -> int:
    text = message_text(update).strip()
    if is_blank(text):
        return await prompt(update, context, WHERE, t(context.lang, "obs.err.empty"))
    if utf16_len(text) > svc.MAX_PLACE:
        prefix = t(context.lang, "core.text.too_long", length=utf16_len(text), max=svc.MAX_PLACE)
        return await prompt(update, context, WHERE, prefix)
    draft = current_draft(context)
    draft.place_text, draft.latitude, draft.longitude = text, None, None
    return await advance(update, context, WHERE)


async def on_location(update: Update, context: BotContext) -> int:
    location = effective_message(update).location
    assert location is not None  # the step's filter: filters.LOCATION
    if not svc.in_sweden(location.latitude, location.longitude):
        return await prompt(update, context, WHERE, t(context.lang, "obs.err.outside_sweden"))
    user_data(context).report_location = (location.latitude, location.longitude)
    return await prompt(update, context, PRECISION)


async def on_precision(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    shared = user_data(context).report_location
    user_data(context).forget("report_location")
    if shared is None:
        return await prompt(update, context, WHERE)
    draft = current_draft(context)
    draft.location_exact = value == "exact"
    latitude, longitude = shared
    draft.latitude, draft.longitude = svc.stored_location(latitude, longitude, draft.location_exact)
    draft.place_text = None
    return await advance(update, context, WHERE)


async def on_description(update: Update, context: BotContext) -> int:
    text = message_text(update).strip()
    if is_blank(text):
        return await prompt(update, context, DESCRIPTION, t(context.lang, "obs.err.empty"))
    if utf16_len(text) > svc.MAX_DESCRIPTION:
        prefix = t(
            context.lang,
            "obs.err.description_too_long",
            length=utf16_len(text),
            max=svc.MAX_DESCRIPTION,
        )
        return await prompt(update, context, DESCRIPTION, prefix)
    current_draft(context).description = text
    return await advance(update, context, DESCRIPTION)


async def on_photo(update: Update, context: BotContext) -> int:
    draft = current_draft(context)
    lang = context.lang
    if len(draft.photos) >= svc.MAX_PHOTOS:
        return await prompt(
            update, context, PHOTOS, t(lang, "obs.err.too_many_photos", max=svc.MAX_PHOTOS)
        )
    largest = effective_message(update).photo[-1]
    if (largest.file_size or 0) > svc.MAX_PHOTO_BYTES:
        max_mb = svc.MAX_PHOTO_BYTES // (1024 * 1024)
        return await prompt(
            update, context, PHOTOS, t(lang, "obs.err.photo_too_large", max_mb=max_mb)
        )
    draft.photos.append(Photo(largest.file_id, largest.file_unique_id, largest.file_size))
    if not is_blank(effective_message(update).caption):  # kept nowhere: say so
        return await prompt(update, context, PHOTOS, t(lang, "obs.photo.caption_not_kept"))
    return await prompt(update, context, PHOTOS)


async def on_photos_done(update: Update, context: BotContext) -> int:
    """Done (the button, /klar, /skip), or the photos sent so far removed ("clear")."""
    if update.callback_query is not None and await _callback_value(update, context) == "clear":
        current_draft(context).photos.clear()
        return await prompt(update, context, PHOTOS, t(context.lang, "obs.photo.cleared"))
    return await advance(update, context, PHOTOS)


async def on_identity(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    current_draft(context).show_identity = value == "y"
    return await advance(update, context, IDENTITY)


async def on_summary(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value == "edit":
        return await prompt(update, context, EDIT)
    if value == "cancel":
        user_data(context).forget("report_draft")
        await show(update, t(context.lang, "core.cancel.done"))
        return ConversationHandler.END
    return await _save(update, context)


async def on_edit_field(update: Update, context: BotContext) -> int:
    value = await _callback_value(update, context)
    if value == EDIT_BACK:
        return await prompt(update, context, CONFIRM)
    if value not in EDIT_FIELDS:
        return await prompt(update, context, EDIT)
    user_data(context).report_editing = True
    # Photos are kept: the step adds to them, and its 🗑 button removes them.
    return await prompt(update, context, EDIT_FIELDS[value])


async def _save(update: Update, context: BotContext) -> int:
    """Store the report; its notifications to the coordinators are committed with it."""
    services = context.services
    draft = user_data(context).report_draft
    if draft is None:
        return await saved_again(update, context)
    user_id = effective_user(update).id
    result = await svc.submit(
        services.db,
        services.settings,
        services.clock,
        user_id,
        draft,
        notifier(services),
        fresh_chat_admin_check(context),
    )
    user_data(context).forget("report_draft", "report_editing")
    if result.outcome is SubmitOutcome.RATE_LIMITED:
        limit = services.settings.reports_per_hour
        await show(update, t(context.lang, "obs.rate_limited", count=limit))
    elif result.outcome is not SubmitOutcome.SAVED:
        # Not saved: give the description back to copy (e.g. for the police's 114 14).
        key = "obs.group_gone" if result.outcome is SubmitOutcome.GROUP_GONE else "obs.not_member"
        await show(update, t(context.lang, key, description=draft.description or ""))
    else:
        services.delivery.wake()
        # Remembered so that pressing Send again (the confirmation edit failed) confirms
        # this report instead of saying the draft is gone.
        message = callback_query(update).message
        prompt_id = message.message_id if message is not None else None
        assert result.reference is not None  # SAVED always carries its reference
        user_data(context).report_saved = SavedReport(prompt_id, result.reference, result.reach)
        await _confirm(update, context)
    return ConversationHandler.END


# Decided when saved, so the resident gets one confirmation that stays true (no later
# "not reached after all" for a coordinator who never opened the chat).
_CONFIRMATIONS = {
    Reach.REACHED: "obs.saved",
    Reach.WAITING: "obs.saved_waiting",
    Reach.NO_COORDINATOR: "obs.saved_no_coordinator",
}


async def _confirm(update: Update, context: BotContext) -> None:
    """Show the saved report's reference. The report is stored whatever happens here: a
    failed edit only means the person may press Send again (see `saved_again`)."""
    saved = user_data(context).report_saved
    assert saved is not None  # set by _save, or checked by saved_again
    reference = saved.reference
    key = _CONFIRMATIONS[Reach(saved.reach)]
    try:
        await show(update, t(context.lang, key, reference=reference))
    except TelegramError as exc:
        log.warning("confirmation of %s not shown: %s", reference, exc)


async def saved_again(update: Update, context: BotContext) -> int:
    """Send pressed again after the report was stored: confirm it again (no second copy);
    with nothing stored from this message (e.g. after a restart) the button has expired."""
    saved = user_data(context).report_saved
    query = callback_query(update)
    message = query.message
    if saved is not None and message is not None and saved.prompt_message_id == message.message_id:
        await _confirm(update, context)
    else:
        await answer_callback(query, context, "core.stale_button")
    return ConversationHandler.END


async def unsupported(update: Update, context: BotContext, state: int) -> int:
    """Anything the current step cannot take: say what it wants and repeat its question."""
    lang = context.lang
    if state in (PRECISION, CONFIRM, EDIT, GROUP, CATEGORY, WHEN, IDENTITY):
        return await prompt(update, context, state, t(lang, "core.step.use_buttons"))
    if state == PHOTOS:
        message = update.message
        key = "obs.btn.photos.done" if current_draft(context).photos else "obs.btn.photos.skip"
        button = t_plain(lang, key)
        document = message.document if message is not None else None
        if document is not None and (document.mime_type or "").startswith("image/"):
            return await prompt(
                update, context, state, t(lang, "obs.err.photo_as_file", button=button)
            )
        if message is not None and message.text:
            return await prompt(
                update, context, state, t(lang, "obs.err.photo_step_text", button=button)
            )
    if state in _AS_TEXT:  # a photo, a sticker, a voice message… where text is wanted
        return await prompt(update, context, state, t(lang, _AS_TEXT[state]))
    return await prompt(update, context, state, t(lang, "obs.err.unsupported"))


# What a step that wants typed text says to anything else.
_AS_TEXT: dict[int, str] = {
    WHEN_TODAY: "obs.err.when_as_text",
    WHEN_DAY: "obs.err.when_as_text",
    WHERE: "obs.err.where_as_text",
    DESCRIPTION: "obs.err.description_as_text",
}


async def remind_step(update: Update, context: BotContext, state: int, prefix: str) -> None:
    """The catch-all's reminder (an unknown command mid-dialogue): the step's question again."""
    await prompt(update, context, state, prefix)


def unsupported_for(state: int) -> StepCallback:
    async def handler(update: Update, context: BotContext) -> int:
        return await unsupported(update, context, state)

    return handler


async def stale_button(update: Update, context: BotContext) -> int | None:
    """A dialogue button pressed outside its step. While the dialogue runs, the pressed
    message shows the step it is at instead (the screen was a step ahead or behind, e.g.
    after an edit whose answer was lost and whose retries failed); after the dialogue (an
    old message, a restart) the button has expired."""
    step = user_data(context).report_step
    if user_data(context).report_draft is not None and step is not None:
        return await prompt(update, context, step)
    await answer_callback(callback_query(update), context, "core.stale_button")
    return None
