"""Coordinators and police: /observations, detail views, actions, notes, /inbox.

Buttons: handlers/observations_buttons.py (all re-checked against storage when pressed).
/export lives in handlers/observations_export.py, registered from here; the notifications
to coordinators and police in handlers/observations_notify.py.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
)

from bot.api_request import without_result
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import t_plain
from bot.services import observations as svc
from bot.services import privacy
from bot.services.observations import ActionOutcome, ListFilter, Viewer
from bot.services.refusals import Refused
from bot.services.roles import Role, access_following_telegram
from handlers import observations_export, observations_notes, observations_notify
from handlers.common import (
    answer_callback,
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    is_private,
    pressed,
    reply,
)
from handlers.guard import chat_admin_check
from handlers.observations_buttons import (
    Handled,
    InboxPage,
    ObsAction,
    ObsDetail,
    ObsFilter,
    ObsListing,
    PoliceDetail,
    TriageAction,
)
from handlers.observations_common import (
    edit_pressed,
    for_coordinator,
    not_allowed,
    press_observation_id,
    refuse_press,
    send_card,
)
from handlers.observations_notify import notifier
from handlers.observations_render import (
    coordinator_keyboard,
    detail_text,
    filter_picker,
    inbox_listing,
    listing,
    police_keyboard,
)

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec(
        "observations",
        "obs.cmd.observations",
        frozenset({Role.COORDINATOR}),
        Where.PRIVATE,
        swedish_alias="observationer",
    ),
    CommandSpec(
        "inbox", "obs.cmd.inbox", frozenset({Role.POLICE}), Where.PRIVATE, swedish_alias="inkorg"
    ),
    *observations_export.COMMANDS,
]


ACTIONS = {
    TriageAction.REVIEWED: "reviewed",
    TriageAction.FORWARD: "forward",
    TriageAction.CLOSED: "closed",
}


# ------------------------------------------------------------------ coordinator


async def observations_command(update: Update, context: BotContext) -> None:
    """/observations: the first page of the person's groups' observations."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    await _render_list(update, context, ListFilter(), edit=False)


async def on_list(update: Update, context: BotContext) -> None:
    flt = ObsListing.unpack(callback_query(update).data).list_filter()
    if flt is None:
        await not_allowed(update, context)
        return
    await _render_list(update, context, flt, edit=True)


async def on_filter(update: Update, context: BotContext) -> None:
    """`ObsFilter`: the filter picker (only for a coordinator; the choices are re-checked)."""
    _, button = pressed(update, ObsFilter)
    flt = button.list_filter()
    services = context.services
    access = await access_following_telegram(
        services.db, services.settings, chat_admin_check(context, update), effective_user(update).id
    )
    if flt is None or not access.coordinator_of:
        await not_allowed(update, context)
        return
    await _show_page(update, context, filter_picker(context.lang, flt), True, "")


async def _render_list(update: Update, context: BotContext, flt: ListFilter, edit: bool) -> None:
    services = context.services
    check = chat_admin_check(context, update)
    user_id = effective_user(update).id
    page = await svc.coordinator_page(
        services.db, services.settings, services.clock, user_id, flt, check
    )
    rendered = None if page is None else listing(context.lang, page, flt, services.settings.tzinfo)
    await _show_page(update, context, rendered, edit, "obs.list.not_coordinator")


async def _show_page(
    update: Update,
    context: BotContext,
    rendered: tuple[str, InlineKeyboardMarkup | None] | None,
    edit: bool,
    refusal_key: str,
) -> None:
    """Show a listing page: edit the message of a pressed button, or answer a command.
    None means the person may not see it (storage said so)."""
    if rendered is None:
        if edit:
            await not_allowed(update, context)
        else:
            await reply(update, context, refusal_key)
        return
    text, markup = rendered
    if edit:
        try:
            await edit_pressed(update, text, markup)
        finally:
            await answer_query(callback_query(update))
    else:
        await without_result(effective_message(update).reply_text(text, reply_markup=markup))


async def on_detail(update: Update, context: BotContext) -> None:
    """`ObsDetail`: the full observation with photos, for a coordinator of its group."""
    await _detail(update, context, Viewer.COORDINATOR)


async def on_police_detail(update: Update, context: BotContext) -> None:
    """`PoliceDetail`: the full observation for a police officer it was forwarded to."""
    await _detail(update, context, Viewer.POLICE)


async def _detail(update: Update, context: BotContext, viewer: Viewer) -> None:
    services = context.services
    obs_id = press_observation_id(
        update, ObsDetail if viewer is Viewer.COORDINATOR else PoliceDetail
    )
    user_id = effective_user(update).id
    if viewer is Viewer.COORDINATOR:
        obs = await for_coordinator(update, context, obs_id, fresh=True)
    else:
        obs, _ = await svc.load_for(services.db, services.settings, user_id, obs_id, viewer)
    if obs is None:
        await (
            refuse_press(update, context, obs_id)
            if viewer is Viewer.COORDINATOR
            else not_allowed(update, context)
        )
        return
    await privacy.record_access(
        services.db, services.clock, user_id, "observation", obs.reference,
        viewer=viewer.value, photos=len(obs.photos),
    )  # fmt: skip
    lang = context.lang
    text = detail_text(lang, obs, viewer, services.settings.tzinfo)
    markup: InlineKeyboardMarkup | None
    if viewer is Viewer.COORDINATOR:
        markup = coordinator_keyboard(lang, obs, details=False)
    else:
        markup = police_keyboard(lang, obs, details=False)
    await send_card(context, user_id, obs, text, markup)
    await answer_query(callback_query(update))


async def on_action(update: Update, context: BotContext) -> None:
    """`ObsAction`: reviewed / forward / close (permission re-checked).

    The work comes first (store; the police's notifications are committed with the
    forward), then the message is edited, and the toast last: a press too old to answer
    still does everything, and pressing again finishes an edit a first press left undone."""
    _, button = pressed(update, ObsAction)
    obs_id = button.observation_id
    if await for_coordinator(update, context, obs_id) is None:
        await refuse_press(update, context, obs_id)
        return
    services = context.services
    action = ACTIONS[button.action]
    try:
        result = await svc.coordinator_action(
            services.db,
            services.settings,
            services.clock,
            effective_user(update).id,
            obs_id,
            action,
            notifier(services),
            chat_admin_check(context, update),
        )
    except Refused:  # e.g. withdrawn since the check
        await refuse_press(update, context, obs_id)
        return
    if result.outcome is ActionOutcome.DONE:  # the police's and the reporter's notices
        services.delivery.wake()
    obs = result.observation
    try:
        if obs is not None:
            lang = context.lang
            text = detail_text(lang, obs, Viewer.COORDINATOR, services.settings.tzinfo)
            await edit_pressed(update, text, coordinator_keyboard(lang, obs, details=True))
    finally:
        await _answer_action(update, context, action, result)


async def _answer_action(
    update: Update, context: BotContext, action: str, result: svc.ActionResult
) -> None:
    query = callback_query(update)
    obs = result.observation
    if result.outcome is ActionOutcome.STALE and obs is not None:
        # Say what it is now (the message was edited to it) and, if stored, who did it.
        status = t_plain(context.lang, f"obs.status.{obs.status}")
        if result.changed_by:
            key, extra = "obs.done.stale_by", {"name": result.changed_by}
        else:
            key, extra = "obs.done.stale_now", {}
        await answer_callback(query, context, key, alert=True, status=status, **extra)
    elif result.outcome is not ActionOutcome.DONE:
        await answer_callback(query, context, f"obs.done.{result.outcome}", alert=True)
    elif action != "forward":
        await answer_callback(query, context, f"obs.done.{action}")
    elif result.police_waiting:
        await answer_callback(
            query,
            context,
            "obs.done.forwarded_held",
            alert=True,
            count=len(result.police_waiting),
        )
    elif result.police:
        await answer_callback(query, context, "obs.done.forwarded", count=len(result.police))
    else:  # no officer of the kommun uses the bot: say so, and what to do if urgent
        reference = obs.reference if obs is not None else ""
        await answer_callback(
            query, context, "fb.forwarded.no_police", alert=True, reference=reference
        )


# ------------------------------------------------------------------ police


async def inbox_command(update: Update, context: BotContext) -> None:
    """/inbox: what was forwarded to the person's kommuner."""
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    await _render_inbox(update, context, 0, edit=False)


async def on_inbox_page(update: Update, context: BotContext) -> None:
    _, button = pressed(update, InboxPage)
    if not 0 <= button.page <= 99_999:
        await not_allowed(update, context)
        return
    await _render_inbox(update, context, button.page, edit=True)


async def _render_inbox(update: Update, context: BotContext, number: int, edit: bool) -> None:
    services = context.services
    page = await svc.inbox_page(services.db, services.settings, effective_user(update).id, number)
    tz = services.settings.tzinfo
    rendered = None if page is None else inbox_listing(context.lang, page, number, tz)
    await _show_page(update, context, rendered, edit, "onb.inbox.not_police")


async def on_handled(update: Update, context: BotContext) -> None:
    """`Handled`: a police officer marks a forwarded observation handled."""
    services = context.services
    obs_id = press_observation_id(update, Handled)
    result = await svc.mark_handled(
        services.db,
        services.settings,
        services.clock,
        effective_user(update).id,
        obs_id,
        services.people,
    )
    if result.outcome is ActionOutcome.DONE:  # the reporter's notice
        services.delivery.wake()
    key = "obs.done.handled" if result.outcome is ActionOutcome.DONE else "obs.done.stale"
    try:
        if result.observation is not None:
            lang = context.lang
            text = detail_text(lang, result.observation, Viewer.POLICE, services.settings.tzinfo)
            await edit_pressed(
                update, text, police_keyboard(lang, result.observation, details=True)
            )
    finally:
        await answer_callback(callback_query(update), context, key)


def register(application: Application) -> None:
    observations_notes.register(application)
    application.add_handler(CommandHandler(["observations", "observationer"], observations_command))
    application.add_handler(CommandHandler(["inbox", "inkorg"], inbox_command))
    for callback, kind in (
        (on_list, ObsListing),
        (on_filter, ObsFilter),
        (on_detail, ObsDetail),
        (on_police_detail, PoliceDetail),
        (on_action, ObsAction),
        (on_inbox_page, InboxPage),
        (on_handled, Handled),
    ):
        application.add_handler(CallbackQueryHandler(callback, pattern=kind.filter()))
    observations_export.register(application)
    observations_notify.register(application)
