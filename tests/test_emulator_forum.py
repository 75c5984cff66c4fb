"""The emulator's forum supergroups: topics, General, closed and deleted topics."""

from __future__ import annotations

import pytest
from telegram import Bot, Message
from telegram.error import BadRequest

from tests.emulator import BotApiEmulator

TOKEN = "123456:TEST"


@pytest.fixture
async def emu():
    async with BotApiEmulator(token=TOKEN) as e:
        yield e


@pytest.fixture
async def bot(emu):
    b = Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url)
    async with b:
        yield b


async def test_topic_messages_and_sends_land_in_their_topic(emu, bot):
    anna = emu.add_user("Anna")
    grp = emu.add_group("Forum", admins=[anna], bot_is_member=True, forum=True)
    thread = emu.add_topic(grp, "Larm")
    raw = await emu.send_text(anna, "/grupp", chat=grp, thread=thread)
    assert raw["message_thread_id"] == thread and raw["is_topic_message"] is True
    assert raw["chat"]["is_forum"] is True
    general = await emu.send_text(anna, "/grupp", chat=grp)
    assert "message_thread_id" not in general and "is_topic_message" not in general
    message = Message.de_json(raw, bot)
    answer = await message.reply_text("svar")  # PTB passes the topic on by itself
    assert answer.message_thread_id == thread and answer.is_topic_message
    assert emu.sent_messages(grp.id)[-1].message_thread_id == thread
    await bot.send_message(grp.id, "i General")
    assert emu.sent_messages(grp.id)[-1].message_thread_id is None


async def test_closed_and_missing_topics_refuse_the_bot(emu, bot):
    anna = emu.add_user("Anna")
    grp = emu.add_group("Forum", admins=[anna], bot_is_member=True, forum=True)
    thread = emu.add_topic(grp, "Larm", thread_id=7)
    emu.close_topic(grp, None)
    with pytest.raises(BadRequest, match=r"(?i)topic_closed"):
        await bot.send_message(grp.id, "General är stängt")
    await bot.send_message(grp.id, "men ämnet fungerar", message_thread_id=thread)
    emu.close_topic(grp, thread)
    with pytest.raises(BadRequest, match=r"(?i)topic_closed"):
        await bot.send_message(grp.id, "x", message_thread_id=thread)
    emu.close_topic(grp, None, closed=False)
    await bot.send_message(grp.id, "General öppet igen")
    emu.delete_topic(grp, thread)
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(grp.id, "x", message_thread_id=thread)
    plain = emu.add_group("Vanlig", admins=[anna], bot_is_member=True)
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(plain.id, "x", message_thread_id=3)
    assert [m.text for m in emu.sent_messages(grp.id)] == [
        "men ämnet fungerar",
        "General öppet igen",
    ]
