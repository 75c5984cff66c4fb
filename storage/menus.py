"""The command menu each person's private chat was given (table command_menus)."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db

MENU_OF = "SELECT menu FROM command_menus WHERE user_id = ?"


async def menu_of(db: Database, user_id: int) -> str | None:
    """The key of the menu last set for the person's private chat (None: never set)."""
    value = await db.fetch_value(MENU_OF, (user_id,))
    return None if value is None else str(value)


async def record_menu(db: Database, user_id: int, menu: str, now: datetime) -> None:
    """Remember that the person's private chat now has the menu `menu`."""
    await db.execute(
        "INSERT INTO command_menus (user_id, menu, set_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET menu = excluded.menu, set_at = excluded.set_at",
        (user_id, menu, to_db(now)),
    )
