"""Who asks, for service tests: a person's Access built by hand, Telegram's answer, the CLI."""

from __future__ import annotations

from collections.abc import Iterable

from bot.services.roles import Access, system

CLI = system("cli")


def person(
    user_id: int,
    *,
    admin: bool = False,
    coordinates: Iterable[int] = (),
    polices: Iterable[str] = (),
) -> Access:
    """An Access as `roles.access_of` would read it (the test stores matching roles)."""
    return Access(user_id, admin, frozenset(coordinates), frozenset(polices))


async def telegram_admin(chat_id: int, user_id: int) -> bool:
    """A ChatAdminCheck where Telegram calls everyone an admin."""
    return True


async def telegram_nobody(chat_id: int, user_id: int) -> bool:
    """A ChatAdminCheck where Telegram calls no one an admin."""
    return False
