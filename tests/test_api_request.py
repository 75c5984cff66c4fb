"""The Bot API client (bot/api_request.py): calls without files go as JSON bodies, uploads
stay multipart, errors keep PTB's types, and `without_result` sends without PTB building a
`Message` from Telegram's answer. Against the emulator over real HTTP."""

from __future__ import annotations

import asyncio

import pytest
import telegram
from telegram import Message
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.api_request import VersionedRequest, without_result
from tests.test_request_gate import SlowServer


@pytest.fixture
def built_messages(monkeypatch):
    """Every `Message` PTB builds from JSON, as (sender is a bot, text) pairs."""
    built: list[tuple[bool, str | None]] = []
    original = Message.de_json.__func__  # type: ignore[attr-defined]

    def counting(cls, data, bot=None):
        if isinstance(data, dict):
            built.append((bool((data.get("from") or {}).get("is_bot")), data.get("text")))
        return original(cls, data, bot)

    monkeypatch.setattr(Message, "de_json", classmethod(counting))
    return built


async def test_answers_go_as_json_and_arrive_as_written(bot):
    emu = bot.emu
    asa = emu.add_user("Åsa 🌻 <b>&", language_code="sv")
    await emu.send_text(asa, "/start")
    answer = await emu.wait_for_message(asa.id)
    assert emu.content_types["sendMessage"] == "application/json"
    assert answer.text.startswith("Hej Åsa 🌻 <b>&!")  # escaped, then parsed back by Telegram
    assert "boten för grannsamverkan" in answer.text
    utf16 = answer.text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    bold = [
        utf16[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in answer.entities
    ]
    assert "Grannvakt" in bold
    # A keyboard (a nested object in the JSON body) arrives as buttons that work.
    await emu.send_text(asa, "/sprak")
    prompt = await emu.wait_for_message(asa.id)
    await emu.press_button(asa, prompt, text="🇬🇧 English")
    await emu.wait_until(lambda: prompt.edited, what="the language saved")
    assert "English" in (prompt.text or "")
    assert emu.content_types["editMessageText"] == "application/json"
    assert emu.content_types["answerCallbackQuery"] == "application/json"


async def test_the_polling_call_goes_as_json_too(bot):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    await emu.send_text(anna, "/start")
    await emu.wait_for_message(anna.id)
    assert emu.content_types["getUpdates"] == "application/json"


async def _person_who_started(emu):
    """Anna, who has written /start (the bot may not begin a private chat)."""
    anna = emu.add_user("Anna", language_code="sv")
    await emu.send_text(anna, "/start")
    await emu.wait_for_message(anna.id)
    return anna


async def test_a_file_upload_stays_multipart(bot):
    emu = bot.emu
    anna = await _person_who_started(emu)
    assert bot.app is not None
    sent = await bot.app.bot.send_document(anna.id, b"rad 1\nrad 2\n", filename="lista.csv")
    assert emu.content_types["sendDocument"] == "multipart/form-data"
    assert sent.document is not None and sent.document.file_name == "lista.csv"
    stored = emu.sent_messages(anna.id)[-1]
    assert stored.document == b"rad 1\nrad 2\n"


def _a_call_with_parameters() -> RequestData:
    """What PTB hands the client for e.g. getChat: parameters, no files (the JSON path;
    a call without any RequestData goes through PTB's own request)."""
    return RequestData([RequestParameter.from_input("chat_id", 700000001)])


async def test_json_calls_keep_ptbs_errors():
    async with SlowServer(delay=0.5) as server:
        request = VersionedRequest(connection_pool_size=1, pool_timeout=1.0)
        await request.initialize()
        try:
            with pytest.raises(TimedOut):  # the answer takes 0.5 s
                await request.post(server.url, _a_call_with_parameters(), read_timeout=0.05)
        finally:
            await request.shutdown()
    # Nothing listens on the closed server's port any more.
    request = VersionedRequest(connection_pool_size=1, pool_timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match=r"^httpx\.ConnectError"):
            await request.post(server.url, _a_call_with_parameters())
    finally:
        await request.shutdown()


async def test_without_result_sends_and_builds_no_message(bot, built_messages):
    emu = bot.emu
    anna = await _person_who_started(emu)
    built_messages.clear()
    assert bot.app is not None
    returned = await without_result(bot.app.bot.send_message(anna.id, "Första"))
    assert returned is None
    assert built_messages == []
    assert emu.sent_messages(anna.id)[-1].text == "Första"
    # The next call in the same task gets its Message as usual.
    second = await bot.app.bot.send_message(anna.id, "Andra")
    assert isinstance(second, telegram.Message) and second.text == "Andra"
    assert built_messages == [(True, "Andra")]


async def test_without_result_still_raises_telegrams_refusals(bot):
    assert bot.app is not None
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await without_result(bot.app.bot.send_message(999_999_999, "Till ingen"))
    # ... and the refusal did not leave the task skipping results.
    anna = await _person_who_started(bot.emu)
    assert isinstance(await bot.app.bot.send_message(anna.id, "Hej"), telegram.Message)


async def test_without_result_is_per_task(bot):
    """Nothing leaks into a task running at the same time, nor into a task started inside
    the call (it copies the context): each gets its Message."""
    assert bot.app is not None
    app_bot = bot.app.bot
    anna = await _person_who_started(bot.emu)
    other = asyncio.create_task(app_bot.send_message(anna.id, "Parallell"))
    await without_result(app_bot.send_message(anna.id, "Utan svar"))
    assert isinstance(await other, telegram.Message)

    started_inside: list[asyncio.Task[telegram.Message]] = []

    async def send_and_start_a_task() -> None:
        started_inside.append(asyncio.create_task(app_bot.send_message(anna.id, "Inifrån")))
        await app_bot.send_message(anna.id, "Utan svar igen")

    await without_result(send_and_start_a_task())
    sent = await started_inside[0]
    assert isinstance(sent, telegram.Message) and sent.text == "Inifrån"


async def test_answers_to_people_build_no_message_of_the_bots_own(bot, built_messages):
    """/start, /hjalp, /sprak and its button: each answer is sent, none is built back into
    a Message (PTB did so for every answer: ~0.1 ms each, more than the rest of /start)."""
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    for command in ("/start", "/hjalp", "/sprak"):
        await emu.send_text(anna, command)
        await emu.wait_for_message(anna.id)
    assert len(emu.sent_messages(anna.id)) == 3
    assert any(not from_bot for from_bot, _ in built_messages)  # the person's own messages
    assert [text for from_bot, text in built_messages if from_bot] == []
    prompt = emu.sent_messages(anna.id)[-1]
    await emu.press_button(anna, prompt, text="🇬🇧 English")
    await emu.wait_until(lambda: prompt.edited, what="the edit")
    # The press's handler builds any Message before it finishes.
    processor = bot.app.update_processor
    await emu.wait_until(lambda: processor.running == 0, what="the press handled")
    # The press carries the prompt (built with the update); the edit's answer is not built.
    assert [text for from_bot, text in built_messages if from_bot] == [
        "Välj språk / Choose language:"
    ]


async def test_dialogue_steps_and_closings_build_no_message(bot, built_messages):
    """handlers.common's send_step and send_closing (every dialogue's questions and its
    closing confirmation) send without building the Message; their callers never read it."""
    from handlers.common import send_closing, send_step

    emu = bot.emu
    anna = await _person_who_started(emu)
    assert bot.app is not None
    chat_message = await bot.app.bot.send_message(anna.id, "Början")
    built_messages.clear()
    await send_step(chat_message, "Var såg du det?")
    await send_closing(chat_message, "Tack! Referens ABC-123.")
    assert [m.text for m in emu.sent_messages(anna.id)[-2:]] == [
        "Var såg du det?",
        "Tack! Referens ABC-123.",
    ]
    assert built_messages == []
