"""The emulator's fault injection behaves as the bot will meet it: typed PTB errors."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError
from telegram.request import HTTPXRequest


@pytest.fixture
async def raw_bot(emu):
    bot = Bot(
        emu.token,
        base_url=emu.base_url,
        request=HTTPXRequest(read_timeout=2.0),
    )
    async with bot:
        yield bot


async def test_5xx_does_nothing_and_raises_network_error(emu, raw_bot):
    user = emu.add_user(first_name="Eva")
    user.started = True
    chat_id = emu.private_chat_id(user)
    emu.faults.add("5xx", "sendMessage")
    with pytest.raises(NetworkError):
        await raw_bot.send_message(chat_id, "hej")
    assert emu.sent_messages(chat_id) == []
    await raw_bot.send_message(chat_id, "hej igen")  # count=1: the next call works
    assert [m.text for m in emu.sent_messages(chat_id)] == ["hej igen"]


async def test_drop_after_effect_sends_but_the_client_sees_an_error(emu, raw_bot):
    user = emu.add_user(first_name="Eva")
    user.started = True
    chat_id = emu.private_chat_id(user)
    emu.faults.add("drop_after", "sendMessage")
    with pytest.raises(NetworkError):
        await raw_bot.send_message(chat_id, "hej")
    assert [m.text for m in emu.sent_messages(chat_id)] == ["hej"]
    assert emu.errors[-1].description.startswith("injected")


async def test_drop_before_effect_sends_nothing(emu, raw_bot):
    user = emu.add_user(first_name="Eva")
    user.started = True
    chat_id = emu.private_chat_id(user)
    emu.faults.add("drop", "sendMessage")
    with pytest.raises(NetworkError):
        await raw_bot.send_message(chat_id, "hej")
    assert emu.sent_messages(chat_id) == []


async def test_error_rule_with_predicate_and_rate(emu, raw_bot):
    user = emu.add_user(first_name="Eva")
    user.started = True
    chat_id = emu.private_chat_id(user)
    emu.faults.add(
        "error",
        "sendMessage",
        predicate=lambda p: "fel" in p.get("text", ""),
        count=None,
        description="Bad Request: chat not found",
    )
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await raw_bot.send_message(chat_id, "fel")
    await raw_bot.send_message(chat_id, "rätt")
    emu.faults.clear()
    rule = emu.faults.add("5xx", "getMe", rate=0.5)
    failures = 0
    for _ in range(40):
        try:
            await raw_bot.get_me()
        except NetworkError:
            failures += 1
    assert failures == rule.fired
    assert 5 < failures < 35
