"""Helpers for the survey and presence end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.services.dialog_targets import Feature
from handlers.dialog_target import Choice, TargetPick
from storage import roles as role_store
from tests.emulator.state import SentMessage, User

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 5.0) -> T:  # noqa: ASYNC109
    """Await `check()` until it returns something truthy (storage written by the bot)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out; last value {value!r}")
        await asyncio.sleep(0.02)


async def make_coordinator(harness: Any, user: User, group_id: int) -> None:
    services = harness.services
    await role_store.grant_role(
        services.db, user.id, "coordinator", str(group_id), None, services.clock.now()
    )


async def choose_all(emu: Any, user: User, screen: SentMessage, feature: Feature) -> None:
    """Press "all my groups" in a dialogue's target step."""
    data = TargetPick(feature, Choice.ALL).pack()
    await emu.wait_until(lambda: any(d == data for _, d in screen.buttons()) and screen)
    await emu.press_button(user, screen, data=data)


async def next_private(emu: Any, user: User, before: int, predicate=None) -> SentMessage:
    return await emu.wait_for_message(user.id, predicate, after=before)


def polls_in(emu: Any, chat_id: int) -> list[SentMessage]:
    return [m for m in emu.sent_messages(chat_id) if m.kind == "poll"]


def dialog_samples(group_id: int) -> list[str]:
    """Callback data of every survey and presence button (tests/test_security_buttons.py)."""
    from bot.services.presence import RemindMe
    from handlers import presence, presence_manage, surveys

    return [
        TargetPick(Feature.SURVEY, Choice.ALL).pack(),
        TargetPick(Feature.PRESENCE, Choice.TOGGLE, group_id=group_id).pack(),
        TargetPick(Feature.SURVEY, Choice.PICK_KOMMUN, kommun="0180").pack(),
        surveys.Closing(1).pack(),
        surveys.Confirm(True).pack(),
        surveys.SurveyPress(surveys.Action.VIEW, 1).pack(),
        surveys.SurveyPress(surveys.Action.CLOSE, 1).pack(),
        surveys.SurveyPress(surveys.Action.CLOSE_YES, 1).pack(),
        surveys.SurveyPress(surveys.Action.CLOSE_NO, 1).pack(),
        presence.Confirm(True).pack(),
        presence_manage.PresencePress(presence_manage.Manage.CANCEL, 1).pack(),
        presence_manage.PresencePress(presence_manage.Manage.CONFIRM, 1).pack(),
        presence_manage.PresencePress(presence_manage.Manage.KEEP, 1).pack(),
        presence_manage.PresencePress(presence_manage.Manage.MOVE, 1).pack(),
        RemindMe(1).pack(),
    ]
