"""More emulator tests: flood limits, privacy mode, HTML entities, and a full PTB app flow."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
)

from tests.emulator import BotApiEmulator
from tests.emulator.html_check import HtmlParseError, parse_html
from tests.emulator.limits import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


# ---------------------------------------------------------------- limiter unit tests


def test_global_window_and_refusal_does_not_consume():
    clock = FakeClock()
    lim = RateLimiter(global_limit=30, clock=clock)
    for i in range(30):
        assert lim.check(i, is_private=False).allowed  # 30 different groups
        clock.t += 0.01
    d = lim.check(99, is_private=False)
    assert not d.allowed and d.kind == "global" and d.retry_after == 1
    clock.t = 1000.0 + 1.0  # first send (t=1000.00) leaves the window
    assert lim.check(99, is_private=False).allowed
    assert not lim.check(100, is_private=False).allowed


def test_group_window_retry_after():
    clock = FakeClock()
    lim = RateLimiter(group_limit=20, group_window=60.0, clock=clock)
    for _ in range(20):
        assert lim.check(-5, is_private=False).allowed
        clock.t += 1.0  # 1/s keeps the global limit out of play
    d = lim.check(-5, is_private=False)
    assert (d.allowed, d.kind, d.retry_after) == (False, "group", 40)  # 60 - 20 s elapsed
    assert lim.check(-6, is_private=False).allowed  # other groups unaffected
    clock.t += 40.0
    assert lim.check(-5, is_private=False).allowed


def test_private_token_bucket():
    clock = FakeClock()
    lim = RateLimiter(private_rate=1.0, private_burst=3, clock=clock)
    assert all(lim.check(7, is_private=True).allowed for _ in range(3))
    d = lim.check(7, is_private=True)
    assert (d.allowed, d.kind, d.retry_after) == (False, "private", 1)
    clock.t += 0.5
    assert not lim.check(7, is_private=True).allowed  # refusals do not consume
    clock.t += 0.5
    assert lim.check(7, is_private=True).allowed
    assert not lim.check(7, is_private=True).allowed
    clock.t += 10  # refills only up to the burst
    assert sum(lim.check(7, is_private=True).allowed for _ in range(5)) == 3


# ---------------------------------------------------------------- html unit tests


def test_html_entities_use_utf16_offsets():
    text, ents = parse_html("🐱 <b>katt</b> <i>ö</i>")
    assert text == "🐱 katt ö"
    assert ents == [
        {"offset": 3, "length": 4, "type": "bold"},
        {"offset": 8, "length": 1, "type": "italic"},
    ]
    text, ents = parse_html(
        "<blockquote expandable>x</blockquote><tg-spoiler>s</tg-spoiler>"
        '<span class="tg-spoiler">t</span><tg-emoji emoji-id="5">👍</tg-emoji>'
    )
    assert [e["type"] for e in ents] == [
        "expandable_blockquote",
        "spoiler",
        "spoiler",
        "custom_emoji",
    ]
    for bad in ("<br>", "<b>x</i>", "&nbsp;", "<tg-emoji>x</tg-emoji>", "<code><b>x</b></code>"):
        with pytest.raises(HtmlParseError):
            parse_html(bad)


# ---------------------------------------------------------------- HTTP-level scenarios


async def test_group_limit_http_429_and_stats():
    async with BotApiEmulator(group_limit=2) as emu:
        anna = emu.add_user("Anna")
        grp = emu.add_group("G", members=[anna], creator=anna, bot_is_member=True)
        url = f"{emu.base_url}{emu.token}/sendMessage"
        async with httpx.AsyncClient() as c:
            for _ in range(2):
                assert (await c.post(url, data={"chat_id": grp.id, "text": "x"})).json()["ok"]
            r = await c.post(url, data={"chat_id": grp.id, "text": "x"})
            # edits are not counted
            e = await c.post(
                f"{emu.base_url}{emu.token}/editMessageText",
                data={"chat_id": grp.id, "message_id": 1, "text": "y"},
            )
        assert r.status_code == 429
        body = r.json()
        assert body["parameters"]["retry_after"] == 60
        assert body["description"] == "Too Many Requests: retry after 60"
        assert e.json()["ok"]
        assert emu.stats.rate_limited == 1 and emu.stats.rate_limited_by_kind["group"] == 1
        assert emu.stats.messages_sent == 2 and len(emu.stats.send_times) == 2
        assert [c.ok for c in emu.calls] == [True, True, False, True]
        assert emu.calls[2].error_code == 429


async def test_limits_off_benchmark_throughput():
    async with BotApiEmulator(enforce_limits=False) as emu:
        anna = emu.add_user("Anna")
        await emu.send_text(anna, "/start")
        async with Bot(emu.token, base_url=emu.base_url) as bot:
            await asyncio.gather(*(bot.send_message(anna.id, f"m{i}") for i in range(60)))
        assert emu.stats.messages_sent == 60 and emu.stats.rate_limited == 0
        assert emu.stats.max_sends_in_window(1.0) >= 1 and emu.stats.throughput() > 0
        ids = sorted(m.message_id for m in emu.sent_messages(anna.id))
        assert ids == list(range(2, 62))


async def test_privacy_mode_and_membership_delivery():
    async with BotApiEmulator(privacy_mode=True) as emu:
        anna, bo = emu.add_user("Anna"), emu.add_user("Bo")
        grp = emu.add_group("G", members=[anna], creator=anna)
        await emu.send_text(anna, "/start", chat=grp)  # bot not in group: not delivered
        await emu.add_bot_to_group(grp, by=anna)  # my_chat_member + service message
        await emu.send_text(anna, "prat", chat=grp)  # privacy: not delivered
        await emu.send_text(anna, "/help", chat=grp)
        await emu.user_joins(grp, bo)  # service message; bot not admin
        kinds = [(next(k for k in u if k != "update_id")) for u in emu.updates]
        texts = [u["message"].get("text") for u in emu.updates if "message" in u]
        assert kinds == ["my_chat_member", "message", "message", "message"]
        assert texts == [None, "/help", None]
        assert not any("chat_member" in u for u in emu.updates)
        async with Bot(emu.token, base_url=emu.base_url) as bot:
            sent = await bot.send_message(grp.id, "hej")
            await emu.send_text(anna, "svar", chat=grp, reply_to=sent.message_id)
            ups = await bot.get_updates(allowed_updates=Update.ALL_TYPES)
            assert ups[-1].message.reply_to_message.message_id == sent.message_id


async def test_upgrade_redirects_scenario_and_stop_wakes_long_poll():
    emu = BotApiEmulator()
    await emu.start()
    anna = emu.add_user("Anna")
    grp = emu.add_group("G", members=[anna], creator=anna, bot_is_member=True)
    new_id = await emu.upgrade_group(grp)
    msg = await emu.send_text(anna, "/x", chat=grp)
    assert msg["chat"]["id"] == new_id and msg["chat"]["type"] == "supergroup"
    async with httpx.AsyncClient(timeout=10) as c:
        r = await c.post(f"{emu.base_url}{emu.token}/getChat", data={"chat_id": grp.id})
        assert r.json()["parameters"] == {"migrate_to_chat_id": new_id}
        r = await c.post(
            f"{emu.base_url}{emu.token}/getUpdates",
            data={"offset": emu.updates[-1]["update_id"] + 1},
        )
        assert r.json()["result"] == []
        poll = asyncio.create_task(
            c.post(f"{emu.base_url}{emu.token}/getUpdates", data={"timeout": 30})
        )
        await asyncio.sleep(0.1)
        t0 = time.monotonic()
        await emu.stop()
        try:
            await poll
        except httpx.HTTPError:
            pass
        assert time.monotonic() - t0 < 3


# ---------------------------------------------------------------- full Application flow


async def test_application_buttons_callbacks_and_membership():
    async with BotApiEmulator() as emu:
        seen_my_member: list[str] = []

        async def start(update, context):
            kb = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("Svenska", callback_data="l:sv"),
                        InlineKeyboardButton("English", callback_data="l:en"),
                    ]
                ]
            )
            await update.effective_message.reply_text("Välj språk", reply_markup=kb)

        async def pick(update, context):
            await update.callback_query.answer("OK")
            await update.callback_query.edit_message_text(f"Språk: {update.callback_query.data}")

        async def my_member(update, context):
            seen_my_member.append(update.my_chat_member.new_chat_member.status)

        app = (
            ApplicationBuilder()
            .token(emu.token)
            .base_url(emu.base_url)
            .base_file_url(emu.base_file_url)
            .build()
        )
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(pick))
        app.add_handler(ChatMemberHandler(my_member, ChatMemberHandler.MY_CHAT_MEMBER))
        await app.initialize()
        await app.start()
        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        try:
            anna = emu.add_user("Anna")
            await emu.send_text(anna, "/start")
            menu = await emu.wait_for_message(anna.id, lambda m: m.reply_markup is not None)
            assert menu.button_texts() == ["Svenska", "English"]
            cq = await emu.press_button(anna, menu, text="Svenska")
            answer = await emu.wait_for_callback_answer(cq["id"])
            assert answer["text"] == "OK"
            await emu.wait_until(lambda: menu.edited, timeout=5)
            assert menu.text == "Språk: l:sv" and menu.reply_markup is None
            assert emu.messages_edited(anna.id) == [menu]
            call = await emu.wait_for_call("editMessageText", after=0)
            assert call.ok and call.params["text"] == "Språk: l:sv"
            grp = emu.add_group("G", members=[anna], creator=anna)
            await emu.add_bot_to_group(grp, by=anna, as_admin=True)
            await emu.remove_bot_from_group(grp, by=anna)
            await emu.wait_until(lambda: len(seen_my_member) == 2, timeout=5)
            assert seen_my_member == ["administrator", "kicked"]
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


# ---------------------------------------------------------------- uploads, queue control, threads


async def test_ptb_uploads_leave_and_queue_control():
    async with BotApiEmulator(enforce_limits=False) as emu:
        anna = emu.add_user("Anna")
        grp = emu.add_group("G", members=[anna], creator=anna, bot_is_member=True)
        await emu.send_text(anna, "/start")
        async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
            doc = await bot.send_document(
                anna.id,
                b"csv,data\n",
                filename="ut.csv",
                caption="<i>Export</i>",
                parse_mode="HTML",
            )
            assert doc.document.file_name == "ut.csv" and doc.caption == "Export"
            sent = emu.last_message(anna.id)
            assert (sent.kind, sent.document, sent.filename) == (
                "document",
                b"csv,data\n",
                "ut.csv",
            )
            assert sent.html == "<i>Export</i>"
            photo = await bot.send_photo(anna.id, b"\xff\xd8jpegbytes", caption="bild")
            f = await bot.get_file(photo.photo[-1].file_id)
            assert bytes(await f.download_as_bytearray()) == b"\xff\xd8jpegbytes"
            await bot.edit_message_caption(anna.id, photo.message_id, caption="ny")
            assert emu.last_message(anna.id).caption == "ny"
            loc = await bot.send_location(anna.id, 56.05, 14.58)
            poll = await bot.send_poll(anna.id, "Fråga?", ["Ja", "Nej"])
            assert loc.location.longitude == pytest.approx(14.58)
            assert [o.text for o in poll.poll.options] == ["Ja", "Nej"]
            assert await bot.send_chat_action(anna.id, "typing")
            assert emu.stats.messages_sent == 4  # chat actions and edits are not counted
            copy = await bot.copy_message(grp.id, anna.id, doc.message_id)
            assert emu.last_message(grp.id).message_id == copy.message_id
            assert await bot.leave_chat(grp.id)
            await emu.send_text(anna, "a")
            await emu.send_text(anna, "b")
            ups = await bot.get_updates(offset=-1)
            assert [u.message.text for u in ups] == ["b"]
            await emu.send_text(anna, "c")
            assert await bot.delete_webhook(drop_pending_updates=True)
            assert await bot.get_updates() == ()
        kinds = [next(k for k in u if k != "update_id") for u in emu.all_updates]
        assert "my_chat_member" in kinds  # leaveChat reported like Telegram


def test_thread_mode_for_benchmarks():
    emu = BotApiEmulator()
    emu.start_in_thread()
    try:
        anna = emu.add_user("Anna")
        emu.run(emu.send_text(anna, "/start"))
        with httpx.Client() as c:
            r = c.post(f"{emu.base_url}{emu.token}/getUpdates", data={"timeout": 1})
            assert r.json()["result"][0]["message"]["text"] == "/start"
            r = c.post(
                f"{emu.base_url}{emu.token}/sendMessage", data={"chat_id": anna.id, "text": "hej"}
            )
            assert r.json()["ok"]
        got = emu.run(emu.wait_for_message(anna.id, after=0, timeout=1))
        assert got.text == "hej"
    finally:
        emu.stop_thread()


async def test_ptb_member_statuses_and_private_chat_info():
    from telegram import ChatMemberBanned, ChatMemberLeft, ChatMemberMember

    async with BotApiEmulator() as emu:
        anna, bo, cia = emu.add_user("Anna"), emu.add_user("Bo"), emu.add_user("Cia")
        grp = emu.add_group(
            "G", members=[anna, bo], creator=anna, supergroup=True, bot_is_admin=True
        )
        await emu.set_admin(grp, bo, True)
        async with Bot(emu.token, base_url=emu.base_url) as bot:
            assert (await bot.get_chat_member(grp.id, bo.id)).status == "administrator"
            await emu.set_admin(grp, bo, False)
            assert isinstance(await bot.get_chat_member(grp.id, bo.id), ChatMemberMember)
            assert isinstance(await bot.get_chat_member(grp.id, cia.id), ChatMemberLeft)
            me = await bot.get_chat_member(grp.id, emu.bot_id)
            assert me.status == "administrator" and me.can_delete_messages
            await emu.remove_bot_from_group(grp, by=anna)
            assert isinstance(await bot.get_chat_member(grp.id, emu.bot_id), ChatMemberBanned)
            info = await bot.get_chat(anna.id)
            assert info.type == "private" and info.first_name == "Anna"
            ups = await bot.get_updates(allowed_updates=["chat_member", "my_chat_member"])
            statuses = [
                (u.chat_member.old_chat_member.status, u.chat_member.new_chat_member.status)
                for u in ups
                if u.chat_member
            ]
            assert statuses == [("member", "administrator"), ("administrator", "member")]
