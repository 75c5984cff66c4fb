"""Tests of the Bot API emulator itself: raw HTTP, real telegram.Bot and a real Application."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import httpx
import pytest
from telegram import Bot, ChatFullInfo, ChatMemberAdministrator, ChatMemberOwner, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler

from tests.emulator import BotApiEmulator

TOKEN = "123456:TEST"


@pytest.fixture
async def emu():
    async with BotApiEmulator(token=TOKEN) as e:
        yield e


@pytest.fixture
async def http(emu):
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/", timeout=10) as c:
        yield c


@pytest.fixture
async def bot(emu):
    b = Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url)
    async with b:
        yield b


# ---------------------------------------------------------------- raw HTTP


async def test_binds_loopback_ephemeral(emu):
    assert emu.base_url.startswith("http://127.0.0.1:")
    assert emu.port != 0
    assert emu.base_file_url == f"http://127.0.0.1:{emu.port}/file/bot"


async def test_wrong_token_and_unknown_method(emu, http):
    async with httpx.AsyncClient() as c:
        r = await c.post(f"{emu.base_url}999:WRONG/getMe")
    assert r.status_code == 401
    assert r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    r = await http.post("noSuchMethod")
    assert r.status_code == 404
    assert r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_get_me_shape(emu, http):
    r = await http.post("getMe")
    body = r.json()
    assert body["ok"] is True
    me = body["result"]
    assert me["id"] == 123456 and me["is_bot"] is True
    assert me["username"] == "grannvakt_test_bot"
    assert me["can_join_groups"] is True and me["can_read_all_group_messages"] is False


async def test_form_json_and_multipart_params(emu, http):
    emu.enforce_limits = False
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "hej")
    kb = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    r = await http.post(
        "sendMessage",
        data={"chat_id": str(anna.id), "text": "form", "reply_markup": json.dumps(kb)},
    )
    assert r.json()["result"]["reply_markup"] == kb
    r = await http.post("sendMessage", json={"chat_id": anna.id, "text": "json"})
    assert r.json()["result"]["text"] == "json"
    r = await http.post(
        "sendDocument",
        data={"chat_id": str(anna.id), "document": "attach://f"},
        files={"f": ("rapport.csv", b"a,b\n1,2\n", "text/csv")},
    )
    doc = r.json()["result"]["document"]
    assert doc["file_name"] == "rapport.csv" and doc["file_size"] == 8
    assert emu.last_message(anna.id).document == b"a,b\n1,2\n"
    r = await http.post(
        "sendPhoto",
        data={"chat_id": str(anna.id), "caption": "bild"},
        files={"photo": ("p.jpg", b"\xff\xd8" + bytes(100), "image/jpeg")},
    )
    msg = r.json()["result"]
    assert msg["caption"] == "bild" and msg["photo"][-1]["file_size"] == 102
    # file download via getFile + /file/bot<token>/<path>
    r = await http.post("getFile", data={"file_id": doc["file_id"]})
    path = r.json()["result"]["file_path"]
    async with httpx.AsyncClient() as c:
        r = await c.get(f"{emu.base_file_url}{emu.token}/{path}")
    assert r.content == b"a,b\n1,2\n"
    assert [m.kind for m in emu.sent_messages(anna.id)] == ["text", "text", "document", "photo"]
    assert [m.message_id for m in emu.sent_messages(anna.id)] == [2, 3, 4, 5]


async def test_html_validation(emu, http):
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "hej")
    ok = await http.post(
        "sendMessage",
        data={
            "chat_id": anna.id,
            "parse_mode": "HTML",
            "text": (
                '<b>Fet</b> &amp; <a href="https://x.se">länk</a> '
                '<pre><code class="language-py">x</code></pre> &#65;&#x42; 1 > 0'
            ),
        },
    )
    res = ok.json()["result"]
    assert res["text"] == "Fet & länk x AB 1 > 0"
    types = {e["type"] for e in res["entities"]}
    assert {"bold", "text_link", "pre"} <= types
    sent = emu.last_message(anna.id)
    assert sent.html.startswith("<b>Fet</b>") and sent.text.startswith("Fet & länk")
    bad = [
        "<div>x</div>",
        "<b>x",
        "<b><i>x</b></i>",
        "a < b",
        "Q&A",
        "<a>x</a>",
        '<span class="x">y</span>',
        "</b>",
    ]
    for text in bad:
        r = await http.post(
            "sendMessage", data={"chat_id": anna.id, "text": text, "parse_mode": "HTML"}
        )
        assert r.status_code == 400, text
        assert r.json()["description"].startswith("Bad Request: can't parse entities: "), text
    # same text without parse_mode is fine
    r = await http.post("sendMessage", data={"chat_id": anna.id, "text": "a < b & Q&A"})
    assert r.json()["ok"]


async def test_text_length_rules(emu, http):
    anna = emu.add_user("Anna")
    await emu.send_text(anna, "hej")
    emu.enforce_limits = False
    r = await http.post(
        "sendMessage",
        data={"chat_id": anna.id, "text": "<b>" + "x" * 4096 + "</b>", "parse_mode": "HTML"},
    )
    assert r.json()["ok"], "4096 visible characters are allowed"
    r = await http.post("sendMessage", data={"chat_id": anna.id, "text": "x" * 4097})
    assert r.json()["description"] == "Bad Request: message is too long"
    # Telegram counts UTF-16 code units: an emoji outside the BMP counts twice.
    r = await http.post("sendMessage", data={"chat_id": anna.id, "text": "📄" + "x" * 4095})
    assert r.json()["description"] == "Bad Request: message is too long"
    r = await http.post("sendMessage", data={"chat_id": anna.id, "text": "📄" + "x" * 4094})
    assert r.json()["ok"]
    r = await http.post(
        "sendMessage", data={"chat_id": anna.id, "text": "<b></b>", "parse_mode": "HTML"}
    )
    assert r.json()["description"] == "Bad Request: message text is empty"
    r = await http.post(
        "sendPhoto",
        data={"chat_id": anna.id, "caption": "c" * 1025},
        files={"photo": ("p.jpg", b"123", "image/jpeg")},
    )
    assert r.json()["description"] == "Bad Request: message caption is too long"
    assert len(emu.errors) == 4


async def test_get_updates_long_poll_offset_and_allowed(emu, http):
    anna = emu.add_user("Anna")
    t0 = asyncio.get_running_loop().time()
    r = await http.post("getUpdates", data={"timeout": "0.3"})
    assert r.json()["result"] == [] and asyncio.get_running_loop().time() - t0 >= 0.25

    async def later():
        await asyncio.sleep(0.1)
        await emu.send_text(anna, "/start")

    task = asyncio.create_task(later())
    r = await http.post("getUpdates", data={"timeout": "5"})
    await task
    ups = r.json()["result"]
    assert len(ups) == 1 and ups[0]["message"]["text"] == "/start"
    assert ups[0]["message"]["entities"][0]["type"] == "bot_command"
    uid = ups[0]["update_id"]
    # not confirmed yet -> delivered again; confirmed by offset -> gone
    r = await http.post("getUpdates")
    assert [u["update_id"] for u in r.json()["result"]] == [uid]
    await emu.send_text(anna, "två")
    r = await http.post("getUpdates", data={"offset": uid + 1, "limit": 1})
    assert [u["message"]["text"] for u in r.json()["result"]] == ["två"]
    # allowed_updates is remembered; chat_member only when asked for and bot is admin
    grp = emu.add_group("G", members=[anna], creator=anna, bot_is_admin=True)
    bo = emu.add_user("Bo")
    await emu.user_joins(grp, bo)
    r = await http.post(
        "getUpdates", data={"offset": uid + 2, "allowed_updates": json.dumps(["chat_member"])}
    )
    kinds = [next(k for k in u if k != "update_id") for u in r.json()["result"]]
    assert kinds == ["chat_member"]
    await emu.send_text(anna, "ignored")
    r = await http.post("getUpdates", data={"offset": r.json()["result"][-1]["update_id"] + 1})
    assert r.json()["result"] == []


# ---------------------------------------------------------------- real telegram.Bot


@pytest.mark.filterwarnings("ignore:Deprecated since version v22.2")
async def test_ptb_bot_roundtrip_and_errors(emu, bot):
    me = await bot.get_me()
    assert me.username == "grannvakt_test_bot" and me.is_bot
    anna = emu.add_user("Anna", language_code="sv")
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(anna.id, "hej")
    await emu.send_text(anna, "/start")
    msg = await bot.send_message(anna.id, "<b>Hej</b> Anna", parse_mode="HTML")
    assert msg.text == "Hej Anna" and msg.from_user.id == emu.bot_id
    assert msg.chat.id == anna.id and msg.message_id == 2
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(anna.id, "<foo>x</foo>", parse_mode="HTML")
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    kb = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(anna.id, "kb", reply_markup=kb)
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("Svenska", callback_data="lang:sv")]])
    m2 = await bot.send_message(anna.id, "Välj", reply_markup=kb)
    assert m2.reply_markup == kb
    await bot.send_message(anna.id, "tredje")  # burst of 3 now used up
    with pytest.raises(RetryAfter) as ei:
        await bot.send_message(anna.id, "för snabbt")
    assert ei.value.retry_after in (1, dt.timedelta(seconds=1))
    assert emu.stats.rate_limited == 1 and emu.stats.rate_limited_by_kind["private"] == 1
    emu.block_bot(anna)
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(anna.id, "hej")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(42, "hej")


async def test_ptb_groups_members_migration(emu, bot):
    anna, bo = emu.add_user("Anna"), emu.add_user("Bo")
    grp = emu.add_group("Villagatan", members=[anna, bo], admins=[bo], creator=anna)
    with pytest.raises(Forbidden, match=r"(?i)not a member"):
        await bot.send_message(grp.id, "hej")
    await emu.add_bot_to_group(grp, by=anna, as_admin=True)
    await bot.send_message(grp.id, "hej grupp")
    owner = await bot.get_chat_member(grp.id, anna.id)
    assert isinstance(owner, ChatMemberOwner)
    admins = await bot.get_chat_administrators(grp.id)
    assert {a.user.id for a in admins} == {anna.id, bo.id, emu.bot_id}
    assert any(isinstance(a, ChatMemberAdministrator) for a in admins)
    assert await bot.get_chat_member_count(grp.id) == 3
    info = await bot.get_chat(grp.id)
    assert isinstance(info, ChatFullInfo) and info.title == "Villagatan"
    new_id = await emu.upgrade_group(grp)
    assert str(new_id).startswith("-100")
    with pytest.raises(ChatMigrated) as ei:
        await bot.send_message(grp.id, "hej")
    assert ei.value.new_chat_id == new_id
    await bot.send_message(new_id, "hej supergrupp")
    await emu.remove_bot_from_group(emu.chat(new_id), by=anna)
    with pytest.raises(Forbidden, match=r"(?i)kicked from the supergroup chat"):
        await bot.send_message(new_id, "hej")
    ups = await bot.get_updates()
    kinds = [
        u.effective_message.migrate_to_chat_id
        for u in ups
        if u.message and u.message.migrate_to_chat_id
    ]
    assert kinds == [new_id]
    assert ups[-1].my_chat_member.new_chat_member.status == "kicked"


async def test_ptb_edit_callbacks_commands(emu, bot):
    from telegram import BotCommand, BotCommandScopeAllGroupChats, InlineKeyboardButton
    from telegram import InlineKeyboardMarkup as Ikm

    anna = emu.add_user("Anna")
    await emu.send_text(anna, "/start")
    kb = Ikm(
        [
            [
                InlineKeyboardButton("Svenska", callback_data="lang:sv"),
                InlineKeyboardButton("Web", url="https://example.org"),
            ]
        ]
    )
    m = await bot.send_message(anna.id, "Välj språk", reply_markup=kb)
    sent = emu.last_message(anna.id)
    assert sent.buttons() == [("Svenska", "lang:sv"), ("Web", "https://example.org")]
    cq = await emu.press_button(anna, sent, text="Svenska")
    with pytest.raises(AssertionError):
        await emu.press_button(anna, sent, data="nope")
    ups = await bot.get_updates(offset=0)
    assert ups[-1].callback_query.data == "lang:sv"
    assert await bot.answer_callback_query(cq["id"], text="Klart")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(cq["id"])
    assert (await emu.wait_for_callback_answer(cq["id"]))["text"] == "Klart"
    await bot.edit_message_text("Språk: svenska", anna.id, m.message_id, reply_markup=kb)
    assert sent.edited and sent.text == "Språk: svenska"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Språk: svenska", anna.id, m.message_id, reply_markup=kb)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", anna.id, 999)
    await bot.edit_message_reply_markup(anna.id, m.message_id, reply_markup=None)
    assert sent.reply_markup is None
    assert await bot.delete_message(anna.id, m.message_id)
    assert sent.deleted
    await bot.set_my_commands([BotCommand("start", "Starta")], language_code="sv")
    await bot.set_my_commands(
        [BotCommand("register", "Registrera")], scope=BotCommandScopeAllGroupChats()
    )
    assert emu.commands[("default", "sv")] == [{"command": "start", "description": "Starta"}]
    assert emu.commands[("all_group_chats", "")][0]["command"] == "register"
    got = await bot.get_my_commands(language_code="sv")
    assert got[0].command == "start"
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "x")])


async def test_ptb_get_updates_parses_all_scenarios(emu, bot):
    anna, bo = emu.add_user("Anna"), emu.add_user("Bo")
    grp = emu.add_group("G", members=[anna], creator=anna)
    await emu.add_bot_to_group(grp, by=anna)
    await emu.send_text(anna, "/register@grannvakt_test_bot Villagatan", chat=grp)
    await emu.share_location(anna, 56.05, 14.58)
    await emu.send_photo(anna, caption="katt")
    await emu.send_document(anna, "a.txt", b"hello")
    await emu.send_sticker(anna)
    await emu.user_joins(grp, bo)
    await emu.user_leaves(grp, bo)
    await emu.send_anonymous_admin_command(grp, "/register X")
    ups = await bot.get_updates(allowed_updates=Update.ALL_TYPES)
    assert all(isinstance(u, Update) for u in ups)
    msgs = [u.message for u in ups if u.message]
    assert msgs[1].text.startswith("/register@") and msgs[1].entities[0].length == 28
    assert msgs[2].location.latitude == pytest.approx(56.05)
    assert msgs[3].photo[-1].width == 800 and msgs[3].caption == "katt"
    f = await bot.get_file(msgs[4].document.file_id)
    assert bytes(await f.download_as_bytearray()) == b"hello"
    assert msgs[5].sticker is not None
    assert msgs[-1].sender_chat.id == grp.id and msgs[-1].from_user.id == 1087968824


# ---------------------------------------------------------------- real Application


async def test_real_application_start_reply(emu):
    async def start(update, context):
        await update.effective_message.reply_text(f"Hej {update.effective_user.first_name}!")

    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        anna = emu.add_user("Anna")
        await emu.send_text(anna, "/start")
        reply = await emu.wait_for_message(anna.id, timeout=5)
        assert reply.text == "Hej Anna!"
        with pytest.raises(AssertionError, match=r"(?i)timed out"):
            await emu.wait_for_message(anna.id, timeout=0.2, after=reply)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert emu.stats.messages_sent == 1


async def test_malformed_parameters_give_400_not_500(emu, http):
    r = await http.post("getChatMember", data={"chat_id": "-1", "user_id": "abc"})
    assert r.status_code == 400 and r.json()["ok"] is False
    r = await http.post(
        "sendMessage", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert emu.calls[-1].error_code == 400


async def test_force_reply_is_not_echoed_in_returned_message(emu):
    from telegram import Bot, ForceReply

    anna = emu.add_user("Anna")
    await emu.send_text(anna, "hi")
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        message = await bot.send_message(anna.id, "Which kommun?", reply_markup=ForceReply())
    assert message.reply_markup is None
    assert emu.last_message(anna.id).reply_markup == {"force_reply": True}
