"""The emulator's pinChatMessage follows Telegram's rights; ForceReply is stored, not echoed."""

from __future__ import annotations

import pytest
from telegram import Bot, ForceReply
from telegram.error import BadRequest, Forbidden


@pytest.fixture
async def tg(emu):
    bot = Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url)
    async with bot:
        yield bot


async def test_pin_needs_the_pin_right_in_groups(emu, tg):
    anna = emu.add_user("Anna")
    grp = emu.add_group("G", admins=[anna], bot_is_member=True)
    sent = await tg.send_message(grp.id, "hej")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await tg.pin_chat_message(grp.id, sent.message_id)
    await emu.set_admin(grp, emu.bot_user)
    assert await tg.pin_chat_message(grp.id, sent.message_id, disable_notification=True)
    assert emu.pinned[grp.id] == sent.message_id
    with pytest.raises(BadRequest, match=r"(?i)message to pin not found"):
        await tg.pin_chat_message(grp.id, 999)
    emu.deny_bot_right(grp, "can_pin_messages")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await tg.unpin_chat_message(grp.id)
    await emu.remove_bot_from_group(grp, by=anna)
    with pytest.raises(Forbidden):
        await tg.pin_chat_message(grp.id, sent.message_id)


async def test_pin_in_a_private_chat_is_always_allowed(emu, tg):
    anna = emu.add_user("Anna")
    anna.started = True
    sent = await tg.send_message(anna.id, "hej")
    assert await tg.pin_chat_message(anna.id, sent.message_id)
    assert emu.pinned[anna.id] == sent.message_id


async def test_force_reply_is_stored_but_not_echoed(emu, tg):
    anna = emu.add_user("Anna")
    grp = emu.add_group("G", admins=[anna], bot_is_member=True)
    message = await tg.send_message(
        grp.id, "Vilken kommun?", reply_markup=ForceReply(selective=True)
    )
    assert message.reply_markup is None  # Telegram echoes inline keyboards only
    stored = emu.last_message(grp.id)
    assert stored.reply_markup == {"force_reply": True, "selective": True}
    reply = await emu.send_text(anna, "Lund", chat=grp, reply_to=stored)
    assert reply["reply_to_message"]["message_id"] == message.message_id
