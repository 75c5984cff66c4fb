"""Review: forged callback data with odd numbers never makes the bot apologise for a crash.

Callback data is user input. Numbers that pass `str.isdigit()` but are not ASCII ("²"),
or that are too large for SQLite (OverflowError), must get the short "not allowed /
expired" answer like any other forged button, never the generic error message.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.services.alert_ack import AlertAck
from handlers.alerts_buttons import AlertManage, ManageAction
from handlers.groups import RegisterKommun
from handlers.groups_manage_buttons import (
    CoordinatorList,
    CoordinatorToggle,
    Unregister,
    UnregisterStep,
)
from handlers.observations_buttons import ObsListing, Withdraw
from handlers.tips_buttons import LibraryEdit, LibraryTip, PanelAction, TipsPanel
from tests.alerts_helpers import make_police, register_groups
from tests.emulator import BotApiEmulator
from tests.emulator.state import SentMessage, User
from tests.harness import BotHarness

HUGE = "9" * 30
ERROR_MARKERS = ("något gick fel", "went wrong")


def forge_press(emu: BotApiEmulator, user: User, message: SentMessage, data: str) -> str:
    """Press a button that does not exist on `message` (as a modified client could)."""
    cq: dict[str, Any] = {
        "id": str(next(emu._ids) * 7919),
        "from": user.to_dict(),
        "message": dict(message.raw),
        "chat_instance": str(abs(message.chat_id) * 31),
        "data": data,
    }
    emu.pending_callbacks[cq["id"]] = cq
    emu.enqueue_update("callback_query", cq)
    return cq["id"]


def apologies(emu: BotApiEmulator, chat_id: int) -> list[SentMessage]:
    return [
        m
        for m in emu.sent_messages(chat_id)
        if any(marker in (m.content or "") for marker in ERROR_MARKERS)
    ]


async def _sentinel(emu: BotApiEmulator, user: User) -> None:
    """Updates are handled in order: once /help is answered, the forged press is done."""
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, "/help")
    await emu.wait_for_message(user.id, after=n)


PRIVATE_DATA = [
    AlertAck(HUGE).pack(),
    "ack:²",  # the pre-codec acknowledgement, forged
    AlertAck.head() + ":²",
    AlertManage(ManageAction.UPDATE, HUGE).pack(),
    AlertManage(ManageAction.WITHDRAW, HUGE).pack(),
    AlertManage(ManageAction.WITHDRAW_CONFIRMED, HUGE).pack(),
    CoordinatorList(HUGE).pack(),
    CoordinatorToggle(HUGE, 1).pack(),
    Unregister(HUGE, UnregisterStep.ASK).pack(),
    TipsPanel(PanelAction.PANEL, HUGE).pack(),
    TipsPanel(PanelAction.DAY, HUGE, "1").pack(),
    LibraryTip(HUGE).pack(),
    LibraryTip(HUGE, enable=False).pack(),
    LibraryEdit(HUGE, "sv").pack(),
    Withdraw(HUGE).pack(),
    Withdraw.head() + ":²",
    ObsListing.head() + ":a:a:²:0",
    ObsListing.head() + ":a:a:30:²",
]


@pytest.fixture
async def admin_bot(emu, tmp_path):
    admin = emu.add_user("Ada", language_code="en")
    harness = BotHarness(emu, tmp_path / "f.db", admin_user_ids=frozenset({admin.id}))
    await harness.start()
    harness.admin = admin  # type: ignore[attr-defined]
    yield harness
    await harness.stop()


@pytest.mark.parametrize("data", PRIVATE_DATA)
async def test_forged_numbers_in_private_get_a_short_answer(admin_bot, data):
    emu, admin = admin_bot.emu, admin_bot.admin
    await make_police(admin_bot, admin, "0180")
    await emu.send_text(admin, "/language")
    message = await emu.wait_for_message(admin.id)
    callback_id = forge_press(emu, admin, message, data)
    answer = await emu.wait_for_callback_answer(callback_id)
    await _sentinel(emu, admin)
    assert apologies(emu, admin.id) == [], data
    assert answer.get("text"), f"{data}: the press got no explanation"


async def test_forged_numbers_in_a_group_post_nothing_there(bot):
    emu = bot.emu
    resident = emu.add_user("Rut", language_code="sv")
    chat = emu.add_group("Grannar", members=[resident], admins=[resident], bot_is_member=True)
    await register_groups(bot, [chat])
    await emu.send_text(resident, "/help", chat=chat)
    message = await emu.wait_for_message(chat.id)
    for data in (
        AlertAck(HUGE).pack(),
        "ack:²",
        AlertAck.head() + ":²",
        RegisterKommun.head() + ":²:0180",
        CoordinatorList(HUGE).pack(),
    ):
        callback_id = forge_press(emu, resident, message, data)
        answer = await emu.wait_for_callback_answer(callback_id)
        assert answer.get("text"), data
    n = len(emu.sent_messages(chat.id))
    await emu.send_text(resident, "/help", chat=chat)
    await emu.wait_for_message(chat.id, after=n)
    assert apologies(emu, chat.id) == []
