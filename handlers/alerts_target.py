"""The /alert dialogue's first steps: the alert's type, then its target (all my kommuner,
one kommun, or chosen groups). Every button re-checks the person's roles from storage.
"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import alerts as service
from bot.services.alerts import AlertError, Draft
from bot.services.roles import Access
from handlers.alerts_draft import (
    GROUPS,
    KOMMUN,
    PREFIX,
    TARGET,
    TYPE,
    alert_button,
    ask_text,
    button_rows,
    check_step,
    refuse,
    save_draft,
)
from handlers.common import answer_query, callback_query, callback_query_data, show_step

MAX_GROUP_BUTTONS = 40


async def type_chosen(update: Update, context: BotContext) -> int:
    query, data = callback_query_data(update)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    category = data.removeprefix(PREFIX + "t:")
    if category not in service.CATEGORIES:
        await answer_query(query, t_plain(context.lang, "core.stale_button"))
        return TYPE
    draft.category = category
    save_draft(context, draft)
    await answer_query(query)
    count = len(await service.reachable_groups(context.services.db, access))
    lang = context.lang
    all_key = "alerts.target.everywhere" if access.is_admin else "alerts.target.all"
    buttons = [
        alert_button(t_plain(lang, all_key, count=count), "to:all"),
        alert_button(t_plain(lang, "alerts.target.kommun"), "to:kommun"),
        alert_button(t_plain(lang, "alerts.target.groups"), "to:groups"),
    ]
    await show_step(query, t(lang, "alerts.ask.target"), button_rows(buttons, 1))
    return TARGET


async def target_chosen(update: Update, context: BotContext) -> int:
    query, data = callback_query_data(update)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    db, lang = context.services.db, context.lang
    choice = data.removeprefix(PREFIX + "to:")
    if choice == "all":
        if not await service.reachable_groups(db, access):
            await answer_query(query, t_plain(lang, "alerts.no_groups"), show_alert=True)
            return TARGET
        draft.target_kind = "all"
        save_draft(context, draft)
        return await ask_text(update, context)
    if choice == "kommun":
        await answer_query(query)
        choices, left_out = await service.kommun_choices(db, access)
        buttons = [
            alert_button(t_plain(lang, "alerts.kommun.button", name=name, count=count), f"k:{code}")
            for code, name, count in choices
        ]
        text: str = t(lang, "alerts.ask.kommun")
        if left_out:
            text += "\n" + t(lang, "alerts.kommun.more", count=left_out)
        await show_step(query, text, button_rows(buttons))
        return KOMMUN
    if choice == "groups":
        await answer_query(query)
        draft.target_kind, draft.group_ids = "groups", []
        save_draft(context, draft)
        await _show_groups(update, context, access, draft)
        return GROUPS
    await answer_query(query, t_plain(lang, "core.stale_button"))
    return TARGET


async def kommun_chosen(update: Update, context: BotContext) -> int:
    query, data = callback_query_data(update)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    code = data.removeprefix(PREFIX + "k:")
    if not (access.is_admin or access.polices(code)):  # forged or roles changed
        await answer_query(query, t_plain(context.lang, "core.not_allowed"), show_alert=True)
        return KOMMUN
    draft.target_kind, draft.kommun = "kommun", code
    try:
        groups = await service.target_groups(context.services.db, access, draft)
    except AlertError as exc:
        await answer_query(query, t_plain(context.lang, exc.key), show_alert=True)
        return KOMMUN
    if not groups:
        await answer_query(query, t_plain(context.lang, "alerts.no_groups"), show_alert=True)
        return KOMMUN
    save_draft(context, draft)
    return await ask_text(update, context)


async def _show_groups(update: Update, context: BotContext, access: Access, draft: Draft) -> None:
    lang = context.lang
    groups = await service.reachable_groups(context.services.db, access)
    buttons = [
        alert_button(
            ("✅ " if g.id in draft.group_ids else "") + (g.area_name or g.title), f"g:{g.id}"
        )
        for g in groups[:MAX_GROUP_BUTTONS]
    ]
    buttons.append(
        alert_button(t_plain(lang, "alerts.groups.done", count=len(draft.group_ids)), "g:done")
    )
    text: str = t(lang, "alerts.ask.groups", count=len(draft.group_ids))
    if len(groups) > MAX_GROUP_BUTTONS:
        text += "\n" + t(lang, "alerts.groups.too_many", shown=MAX_GROUP_BUTTONS, count=len(groups))
    await show_step(callback_query(update), text, button_rows(buttons))


async def group_toggled(update: Update, context: BotContext) -> int:
    query, data = callback_query_data(update)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    value = data.removeprefix(PREFIX + "g:")
    if value == "done":
        if not draft.group_ids:
            await answer_query(
                query, t_plain(context.lang, "alerts.groups.none_chosen"), show_alert=True
            )
            return GROUPS
        return await ask_text(update, context)
    try:
        group = await service.check_group_choice(context.services.db, access, int(value))
    except (ValueError, AlertError):
        await answer_query(query, t_plain(context.lang, "core.not_allowed"), show_alert=True)
        return GROUPS
    if group.id in draft.group_ids:
        draft.group_ids.remove(group.id)
    else:
        draft.group_ids.append(group.id)
    save_draft(context, draft)
    await answer_query(query)
    await _show_groups(update, context, access, draft)
    return GROUPS
