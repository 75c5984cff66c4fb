"""/group place (/grupp plats): a coordinator gives the group its centre and radius.

* reply to a location shared in the group with `/grupp plats` (optionally a radius:
  `/grupp plats 2 km`; default 1 km), or type it: `/grupp plats 56.05, 14.58 [radius]`;
* `/grupp plats bort` (`remove`) forgets it.

Stateless: the location travels with the command (Telegram includes the replied message),
so this works with privacy mode on and across restarts. The centre is stored rounded
(bot/services/places.py says how much).
"""

from __future__ import annotations

import re

from telegram import Message, Update

from bot.api_request import without_result
from bot.context import BotContext
from bot.i18n import Html, t
from bot.i18n.units import format_distance
from bot.services import places
from bot.services.observation_input import in_sweden
from bot.services.roles import access_of
from bot.textlen import clip
from handlers.common import effective_message, effective_user, reply
from handlers.guard import chat_admin_check
from storage.groups import GroupRecord
from storage.places import GroupPlace

PLACE_WORDS = ("place", "plats")
# What is quoted back of text that is no place: the answer must fit one message.
QUOTE_LIMIT = 100
REMOVE_WORDS = ("remove", "bort", "ta bort", "delete")
# "56.05 14.58", "56.05, 14.58" and, as Swedes write decimals, "56,05 14,58" / "56,05; 14,58".
_COORDINATES = re.compile(
    r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*(?:;|,\s)?\s*(-?\d{1,3}(?:[.,]\d+)?)(?:\s+(.*))?$"
)


def place_line(lang: str, place: GroupPlace | None) -> Html:
    """The /group overview's line about the group's place."""
    if place is None:
        return t(lang, "police.place.group_none")
    return t(
        lang,
        "police.place.group_line",
        lat=f"{place.latitude:.3f}",
        lon=f"{place.longitude:.3f}",
        radius=format_distance(lang, place.radius_m),
    )


def _point_and_rest(message: Message, raw: str) -> tuple[tuple[float, float] | None, str]:
    """The location the command replies to, or typed coordinates; and the rest (radius)."""
    replied = message.reply_to_message
    if replied is not None and replied.location is not None:
        return (replied.location.latitude, replied.location.longitude), raw
    match = _COORDINATES.match(raw)
    if match:
        latitude, longitude = (float(match.group(n).replace(",", ".")) for n in (1, 2))
        return (latitude, longitude), match.group(3) or ""
    return None, raw


async def place_command(
    update: Update, context: BotContext, group: GroupRecord, args: list[str]
) -> None:
    """`/group place …` in a registered group, by one of its coordinators (re-checked in
    the service against storage and Telegram)."""
    services, lang = context.services, context.lang
    raw = " ".join(args).strip()
    access = await access_of(services.db, services.settings, effective_user(update).id)
    check = chat_admin_check(context, update)
    now = services.clock.now()
    if raw.lower() in REMOVE_WORDS:
        removed = await places.remove_group_place(services.db, now, access, check, group.id)
        await reply(update, context, "police.place.removed" if removed else "police.place.none")
        return
    point, rest = _point_and_rest(effective_message(update), raw)
    if point is None:
        current = await places.group_place(services.db, group.id)
        # Something typed that is no place (or a radius without a location to go with it).
        quoted = clip(raw, QUOTE_LIMIT)
        intro = t(lang, "police.place.not_understood", text=quoted) + "\n\n" if raw else ""
        await without_result(
            effective_message(update).reply_text(
                intro + place_line(lang, current) + "\n\n" + t(lang, "police.place.howto")
            )
        )
        return
    if not in_sweden(*point):  # answered here, in the group, with how to do it
        await without_result(
            effective_message(update).reply_text(
                t(lang, "places.outside_sweden") + "\n\n" + t(lang, "police.place.howto")
            )
        )
        return
    radius = places.DEFAULT_RADIUS_M
    if rest.strip():
        parsed = places.parse_radius(rest)
        if parsed is None:
            await reply(update, context, "police.place.bad_radius")
            return
        radius = parsed
    place = await places.set_group_place(
        services.db, now, access, check, group.id, point[0], point[1], radius
    )
    await without_result(
        effective_message(update).reply_text(
            t(lang, "police.place.saved") + "\n" + place_line(lang, place)
        )
    )
