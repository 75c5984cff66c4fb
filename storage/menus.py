"""The command menu each person's private chat was given (table command_menus)."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.timeutil import to_db

MENU_OF = "SELECT menu FROM command_menus WHERE user_id = ?"
#: Outbox kind of the row that removes an erased person's own menu (storage.privacy_erasure).
MENU_RESET_KIND = "menu_reset"


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


async def forget_menu_reset(db: Database, outbox_id: int) -> None:
    """Delete a finished menu-reset row: it names the chat of a person who was erased."""
    await db.execute(
        "DELETE FROM outbox WHERE id = ? AND kind = ? AND status NOT IN ('pending', 'sending')",
        (outbox_id, MENU_RESET_KIND),
    )
