"""The /alert dialogue's first steps: the alert's type, then its target (all my kommuner,
one kommun, or chosen groups). Every button re-checks the person's roles from storage.
"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import alert_targets
from bot.services import alerts as service
from bot.services.alerts import Draft
from bot.services.refusals import Refused
from bot.services.roles import Access
from handlers.alerts_buttons import (
    AlertGroup,
    AlertKommun,
    AlertTarget,
    AlertType,
    Target,
)
from handlers.alerts_draft import (
    GROUPS,
    KOMMUN,
    PLACE,
    TARGET,
    TYPE,
    alert_button,
    ask_text,
    button_rows,
    check_step,
    refuse,
    save_draft,
)
from handlers.alerts_place import ask_place_text
from handlers.common import answer_query, callback_query, pressed, show_step
from handlers.target_screen import groups_screen, kommun_screen, toggled


async def type_chosen(update: Update, context: BotContext) -> int:
    query, button = pressed(update, AlertType)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    category = button.category
    if category not in service.CATEGORIES:
        await answer_query(query, t_plain(context.lang, "core.stale_button"))
        return TYPE
    draft.category = category
    save_draft(context, draft)
    await answer_query(query)
    count = len(await alert_targets.reachable_groups(context.services.db, access))
    lang = context.lang
    all_key = "alerts.target.everywhere" if access.is_admin else "alerts.target.all"
    buttons = [
        alert_button(t_plain(lang, all_key, count=count), AlertTarget(Target.ALL)),
        alert_button(t_plain(lang, "alerts.target.kommun"), AlertTarget(Target.KOMMUN)),
        alert_button(t_plain(lang, "alerts.target.groups"), AlertTarget(Target.GROUPS)),
        alert_button(t_plain(lang, "police.target.place"), AlertTarget(Target.PLACE)),
    ]
    await show_step(query, t(lang, "alerts.ask.target"), button_rows(buttons, 1))
    return TARGET


async def target_chosen(update: Update, context: BotContext) -> int:
    query, button = pressed(update, AlertTarget)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    db, lang = context.services.db, context.lang
    choice = button.target
    if choice is Target.ALL:
        if not await alert_targets.reachable_groups(db, access):
            await answer_query(query, t_plain(lang, "alerts.no_groups"), show_alert=True)
            return TARGET
        draft.target_kind = "all"
        save_draft(context, draft)
        return await ask_text(update, context)
    if choice is Target.KOMMUN:
        await answer_query(query)
        choices, left_out = await alert_targets.kommun_choices(db, access)
        screen = kommun_screen(
            lang,
            choices,
            AlertKommun,
            ask_key="alerts.ask.kommun",
            button_key="alerts.kommun.button",
            left_out=left_out,
            more_key="alerts.kommun.more",
        )
        await show_step(query, *screen)
        return KOMMUN
    if choice is Target.PLACE:
        await answer_query(query)
        draft.target_kind, draft.group_ids = "place", []
        draft.latitude = draft.longitude = draft.radius_m = None
        save_draft(context, draft)
        await show_step(query, ask_place_text(lang), None)
        return PLACE
    await answer_query(query)
    draft.target_kind, draft.group_ids = "groups", []
    save_draft(context, draft)
    await _show_groups(update, context, access, draft)
    return GROUPS


async def kommun_chosen(update: Update, context: BotContext) -> int:
    query, button = pressed(update, AlertKommun)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    code = button.kommun
    if not (access.is_admin or access.polices(code)):  # forged or roles changed
        await answer_query(query, t_plain(context.lang, "core.not_allowed"), show_alert=True)
        return KOMMUN
    draft.target_kind, draft.kommun = "kommun", code
    try:
        groups = await alert_targets.target_groups(context.services.db, access, draft)
    except Refused as exc:
        await answer_query(query, t_plain(context.lang, exc.key), show_alert=True)
        return KOMMUN
    if not groups:
        await answer_query(query, t_plain(context.lang, "alerts.no_groups"), show_alert=True)
        return KOMMUN
    save_draft(context, draft)
    return await ask_text(update, context)


async def _show_groups(update: Update, context: BotContext, access: Access, draft: Draft) -> None:
    groups = await alert_targets.reachable_groups(context.services.db, access)
    screen = groups_screen(
        context.lang,
        groups,
        draft.group_ids,
        AlertGroup,
        ask_key="alerts.ask.groups",
        done_key="alerts.groups.done",
        too_many_key="alerts.groups.too_many",
    )
    await show_step(callback_query(update), *screen)


async def group_toggled(update: Update, context: BotContext) -> int:
    query, button = pressed(update, AlertGroup)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    if button.group_id is None:  # "done"
        if not draft.group_ids:
            await answer_query(
                query, t_plain(context.lang, "alerts.groups.none_chosen"), show_alert=True
            )
            return GROUPS
        return await ask_text(update, context)
    db = context.services.db
    try:
        draft.group_ids = await toggled(
            draft.group_ids,
            button.group_id,
            lambda g: alert_targets.check_group_choice(db, access, g),
        )
    except Refused:
        await answer_query(query, t_plain(context.lang, "core.not_allowed"), show_alert=True)
        return GROUPS
    save_draft(context, draft)
    await answer_query(query)
    await _show_groups(update, context, access, draft)
    return GROUPS
