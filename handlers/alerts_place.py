"""/alert, "near a place": the officer shares a location or types "street or area,
kommun", chooses a radius, sees the matching groups with distance and members and may
untick any. The rule for which groups match is in bot/services/places.py."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import Html, t, t_plain
from bot.i18n.units import format_distance
from bot.services import places
from bot.services.alerts import Draft
from bot.services.refusals import Refused
from bot.services.roles import Access
from bot.textlen import utf16_len
from handlers.alerts_buttons import AlertNear, AlertRadius
from handlers.alerts_draft import (
    NEAR,
    PLACE,
    RADIUS,
    alert_button,
    ask_text,
    check_step,
    refuse,
    save_draft,
)
from handlers.common import (
    answer_query,
    effective_message,
    pressed,
    reply,
    send_step,
    show_step,
)
from handlers.target_screen import GroupLines, groups_screen, toggled
from storage.groups import GroupRecord

MAX_PLACE_TEXT = 200


def ask_place_text(lang: str) -> str:
    return t(lang, "police.place.ask")


async def place_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The PLACE step's question (no buttons: a location is shared with 📎)."""
    return ask_place_text(context.lang), None


def _radius_buttons(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[alert_button(format_distance(lang, r), AlertRadius(r)) for r in places.SEARCH_RADII_M]]
    )


async def _ask_radius(update: Update, context: BotContext, draft: Draft, where: str) -> int:
    save_draft(context, draft)
    text = t(context.lang, "police.place.ask_radius", where=where)
    await send_step(effective_message(update), text, _radius_buttons(context.lang))
    return RADIUS


async def location_shared(update: Update, context: BotContext) -> int:
    """PLACE: a shared Telegram location is the point."""
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    _, draft = checked
    location = effective_message(update).location
    assert location is not None  # the step's filter
    draft.latitude, draft.longitude = location.latitude, location.longitude
    where = t_plain(context.lang, "police.place.shared")
    return await _ask_radius(update, context, draft, where)


async def place_typed(update: Update, context: BotContext) -> int:
    """PLACE: 'street or area, kommun', resolved against the groups' names and places."""
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    text = effective_message(update).text or ""
    if utf16_len(text) > MAX_PLACE_TEXT:
        await reply(
            update, context, "core.text.too_long", length=utf16_len(text), max=MAX_PLACE_TEXT
        )
        return PLACE
    try:
        found = await places.resolve_text(context.services.db, access, text)
    except Refused as exc:
        await without_result(
            effective_message(update).reply_text(
                t(context.lang, exc.key, **exc.params) + "\n\n" + ask_place_text(context.lang)
            )
        )
        return PLACE
    draft.latitude, draft.longitude = found.latitude, found.longitude
    where = found.group.area_name or found.group.title
    return await _ask_radius(update, context, draft, where)


async def _near(context: BotContext, access: Access, draft: Draft) -> list[places.NearGroup]:
    assert draft.latitude is not None and draft.longitude is not None
    return await places.groups_near(
        context.services.db, access, draft.latitude, draft.longitude, draft.radius_m or 0
    )


def _near_screen(
    lang: str, draft: Draft, near: list[places.NearGroup]
) -> tuple[Html, InlineKeyboardMarkup]:
    """The shared groups screen with a line per group: its distance and members."""
    by_id = {item.group.id: item for item in near}

    def line(group: GroupRecord, chosen: bool) -> str:
        item = by_id[group.id]
        key = "police.near.line" if chosen else "police.near.line_off"
        name = group.area_name or group.title
        return t(
            lang,
            key,
            name=name,
            distance=format_distance(lang, item.distance_m),
            count=item.members,
        )

    radius = format_distance(lang, draft.radius_m or 0)
    return groups_screen(
        lang,
        [item.group for item in near],
        draft.group_ids,
        AlertNear,
        ask_key="police.near.title",
        ask_params={"radius": radius, "count": len(near)},
        done_key="alerts.groups.done",
        too_many_key="alerts.groups.too_many",
        lines=GroupLines(line),
    )


async def radius_chosen(update: Update, context: BotContext) -> int:
    """RADIUS: find the groups near the point; all of them are ticked to begin with."""
    query, button = pressed(update, AlertRadius)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    if draft.latitude is None or button.radius_m not in places.SEARCH_RADII_M:
        await answer_query(query, t_plain(context.lang, "core.stale_button"), show_alert=True)
        return RADIUS
    draft.radius_m = button.radius_m
    near = await _near(context, access, draft)
    if not near:
        await answer_query(
            query,
            t_plain(
                context.lang,
                "police.near.none",
                radius=format_distance(context.lang, button.radius_m),
            ),
            show_alert=True,
        )
        return RADIUS
    draft.group_ids = [item.group.id for item in near]
    save_draft(context, draft)
    await answer_query(query)
    await show_step(query, *_near_screen(context.lang, draft, near))
    return NEAR


async def _near_choice(near: list[places.NearGroup], group_id: int) -> GroupRecord:
    """The rule of this screen (see `toggled`): only a group near the place, as found in
    storage for this press. Raises Refused("core.not_allowed") for any other."""
    for item in near:
        if item.group.id == group_id:
            return item.group
    raise Refused("core.not_allowed")


async def near_toggled(update: Update, context: BotContext) -> int:
    """NEAR: untick/tick a group (it must be one of the matching groups), or done."""
    query, button = pressed(update, AlertNear)
    checked = await check_step(update, context)
    if checked is None:
        return await refuse(update, context, "core.not_allowed")
    access, draft = checked
    if draft.latitude is None or draft.radius_m is None:
        await answer_query(query, t_plain(context.lang, "core.stale_button"), show_alert=True)
        return NEAR
    near = await _near(context, access, draft)
    near_ids = {item.group.id for item in near}
    # roles or groups changed since the list was shown: keep only groups still near
    draft.group_ids = [g for g in draft.group_ids if g in near_ids]
    if button.group_id is None:
        if not draft.group_ids:
            await answer_query(
                query, t_plain(context.lang, "alerts.groups.none_chosen"), show_alert=True
            )
            return NEAR
        save_draft(context, draft)
        return await ask_text(update, context)
    try:
        draft.group_ids = await toggled(
            draft.group_ids, button.group_id, lambda g: _near_choice(near, g)
        )
    except Refused:  # forged, or no longer near
        await answer_query(query, t_plain(context.lang, "core.not_allowed"), show_alert=True)
        return NEAR
    save_draft(context, draft)
    await answer_query(query)
    await show_step(query, *_near_screen(context.lang, draft, near))
    return NEAR
