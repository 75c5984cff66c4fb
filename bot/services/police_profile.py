"""A police officer's display title ("Kommunpolisen i Sölvesborg"), set once with /profil
and shown as the sender line of their alerts and to residents they contact."""

from __future__ import annotations

from datetime import datetime

from bot.services.roles import Access, require
from bot.textlen import utf16_len
from storage import places as place_store
from storage.db import Database

TITLE_MIN = 3
TITLE_MAX = 64


def may_have_profile(access: Access) -> bool:
    return access.is_admin or bool(access.police_kommuner)


async def display_title(db: Database, access: Access) -> str | None:
    """The person's title; refused (`core.not_allowed`) for anyone but police and admins."""
    require(may_have_profile(access))
    return await place_store.display_title(db, access.user_id)


async def set_display_title(db: Database, now: datetime, access: Access, raw: str) -> str:
    """Store the title (whitespace collapsed), audited. Refused for anyone but police and
    admins, or a title outside TITLE_MIN–TITLE_MAX characters (`police.profile.bad`).
    Any character is kept: every text that shows the title escapes it."""
    require(may_have_profile(access))
    title = " ".join(raw.split())
    require(
        TITLE_MIN <= utf16_len(title) <= TITLE_MAX,
        "police.profile.bad",
        count=utf16_len(title),
        min=TITLE_MIN,
        max=TITLE_MAX,
    )
    await place_store.set_display_title(db, access.user_id, title, now)
    return title
