"""End to end: the real bot against the emulator, the feed pointed at the local server.

The bot's start-up pass is the first poll (it sends nothing); each later pass is driven
with `PoliceFeedPoller.tick()` after moving the injected clock by one interval.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.clock import FixedClock
from bot.feed.poller import PoliceFeedPoller
from storage import feed as feed_store
from storage import groups as group_store
from storage.feed import GroupFeedSettings
from tests.feed_fixtures import event, window
from tests.feed_server import FeedServer
from tests.harness import BotHarness
from tests.scenario import Scenario

UTC = dt.UTC
START = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)
INTERVAL = 300


async def _group(harness, emu, title, kommun, members):
    # The first member is a Telegram admin of the group (a coordinator must be one).
    chat = emu.add_group(title, members=members[1:], admins=members[:1], bot_is_member=True)
    return chat, await Scenario(harness.services.db, START).group(chat.id, title, kommun)


async def _start(emu, tmp_path, server, **overrides):
    clock = FixedClock(START)
    server.serve_events(window(START))
    harness = BotHarness(
        emu, tmp_path / "feed.db", clock=clock, police_feed_url=server.url,
        police_feed_interval=INTERVAL, police_feed_enabled=True, **overrides,
    )  # fmt: skip
    await harness.start()
    poller = PoliceFeedPoller.of(harness.app)
    await _startup_poll_done(server, poller)
    return harness, clock, poller


async def _startup_poll_done(server, poller):
    """The start-up poll runs in the job queue right after start; wait until it is done."""
    for _ in range(2000):  # up to 20 s on a loaded machine; usually a few ms
        if server.requests:
            break
        await asyncio.sleep(0.01)
    assert len(server.requests) == 1
    # Waits for the start-up pass's lock; then (same clock, 10 s rule) makes no call itself.
    assert (await poller.tick()).outcome == "wait"


async def _next_interval(clock, poller):
    clock.advance(seconds=INTERVAL)
    return await poller.tick()


def _feed_messages(emu, chat_id):
    return [m for m in emu.sent_messages(chat_id) if "polisens händelselista" in m.content.lower()
            or "police's event list" in m.content]  # fmt: skip


async def test_new_solvesborg_burglary_reaches_every_active_solvesborg_group_once(emu, tmp_path):
    async with FeedServer() as server:
        harness, clock, poller = await _start(emu, tmp_path, server)
        try:
            cora = emu.add_user("Cora")
            solv_a, _ = await _group(harness, emu, "Norra Möllebacken", "1083", [cora])
            solv_b, _ = await _group(harness, emu, "Hälleviksstrand", "1083", [cora])
            karlshamn, _ = await _group(harness, emu, "Väggavägen", "1082", [cora])
            gone, gone_id = await _group(harness, emu, "Ljungskogen", "1083", [cora])
            await group_store.set_bot_present(harness.services.db, gone_id, False, START)
            assert len(server.requests) == 1  # the start-up pass: the baseline, nothing sent
            assert emu.sent_messages(solv_a.id) == []

            now = START + dt.timedelta(seconds=INTERVAL)
            burglary = event(
                900001, now - dt.timedelta(minutes=3), "Inbrott", "Sölvesborg", "Blekinge län",
                "Inbrott i villa på <Norra> Storgatan.",
            )  # fmt: skip
            server.serve_events([burglary, *window(START)])
            report = await _next_interval(clock, poller)
            assert report.outcome == "ok" and report.sent == 2

            for chat in (solv_a, solv_b):
                message = await emu.wait_for_message(chat.id)
                assert "Inbrott" in message.content and "Sölvesborg" in message.content
                assert "Inbrott i villa på <Norra> Storgatan." in message.content
                assert "Läs mer på polisen.se" in message.content
            # Once: another pass with the same window sends nothing more.
            await _next_interval(clock, poller)
            await harness.services.delivery.wait_idle(timeout=5)
            assert [len(_feed_messages(emu, c.id)) for c in (solv_a, solv_b)] == [1, 1]
            assert _feed_messages(emu, karlshamn.id) == [] and _feed_messages(emu, gone.id) == []
        finally:
            await harness.stop()


async def test_edit_updates_the_copy_and_quiet_hours_are_silent(emu, tmp_path):
    async with FeedServer() as server:
        harness, clock, poller = await _start(emu, tmp_path, server)
        try:
            cora = emu.add_user("Cora")
            chat, gid = await _group(harness, emu, "Norra Möllebacken", "1083", [cora])
            await feed_store.save_group_settings(
                harness.services.db, GroupFeedSettings(gid, quiet=("12:00", "18:00")), None, START
            )  # 13:05 local is inside these quiet hours
            now = START + dt.timedelta(seconds=INTERVAL)
            burglary = event(900002, now - dt.timedelta(minutes=3), summary="Inbrott i förråd.")
            server.serve_events([burglary, *window(START)])
            await _next_interval(clock, poller)
            message = await emu.wait_for_message(chat.id)
            sends = [c for c in emu.calls if c.method == "sendMessage" and c.ok]
            assert str(sends[-1].params.get("disable_notification")).lower() == "true"

            server.serve_events([{**burglary, "summary": "Inbrott i förråd. En person gripen."},
                                 *window(START)])  # fmt: skip
            await _next_interval(clock, poller)
            await emu.wait_until(lambda: "gripen" in message.content, what="edited copy")
            reply = await emu.wait_for_message(chat.id, lambda m: "Uppdaterad" in m.content)
            assert reply.raw.get("reply_to_message", {}).get("message_id") == message.message_id
        finally:
            await harness.stop()


async def test_panel_changes_categories_and_lan_setting(emu, tmp_path):
    async with FeedServer() as server:
        harness, _clock, _poller = await _start(emu, tmp_path, server)
        try:
            cora = emu.add_user("Cora")
            rolf = emu.add_user("Rolf")
            chat, gid = await _group(harness, emu, "Norra Möllebacken", "1083", [cora, rolf])
            db = harness.services.db
            await Scenario(db, START).coordinator(cora, gid)

            await emu.send_text(rolf, "/polisen", chat=chat)
            refusal = await emu.wait_for_message(chat.id)
            assert "Bara gruppens kontaktombud" in refusal.content

            await emu.send_text(cora, "/polisen", chat=chat)
            panel = await emu.wait_for_message(chat.id, lambda m: "Kategorier" in m.content)
            assert "Inbrott och stöld" in panel.content and "22.00–07.00" in panel.content
            await emu.press_button(cora, panel, text="⬜ Trafik")
            await emu.wait_until(lambda: "✅ Trafik" in panel.button_texts())
            await emu.press_button(cora, panel, text="🗺️ Hela länet")
            await emu.wait_until(lambda: "Hur ska händelser" in panel.content)
            assert panel.button_texts()[:3] == [
                "Som meddelanden", "✅ Bara i veckans lägesbild", "Inte alls",
            ]  # fmt: skip
            await emu.press_button(cora, panel, text="Som meddelanden")
            await emu.wait_until(
                lambda: "Händelser för hela länet: som meddelanden" in panel.content
            )
            await emu.press_button(cora, panel, text="🌙 Tysta timmar")
            await emu.wait_until(lambda: "Vilka tysta" in panel.content)
            assert panel.button_texts()[0] == "✅ 22.00–07.00"
            await emu.press_button(cora, panel, text="Inga tysta timmar")
            await emu.wait_until(lambda: "Tysta timmar: av" in panel.content)
            stored = await feed_store.group_settings(db, gid)
            assert (stored.categories, stored.lan_mode, stored.quiet) == (
                "burglary,traffic", "message", None,
            )  # fmt: skip

            # A resident pressing the coordinator's button changes nothing.
            press = await emu.press_button(rolf, panel, text="⬜ Skadegörelse")
            answer = await emu.wait_for_callback_answer(press["id"])
            assert "kontaktombud" in answer.get("text", "") and answer.get("show_alert")
            assert (await feed_store.group_settings(db, gid)).categories == "burglary,traffic"
        finally:
            await harness.stop()


async def test_admin_sees_the_feed_health(emu, tmp_path):
    async with FeedServer() as server:
        admin = None
        harness = None
        try:
            clock = FixedClock(START)
            server.serve_events([*window(START), event(1, START, type_="Drönarlarm")])
            emu_admin = emu.add_user("Ada", language_code="en")
            admin = emu_admin
            harness = BotHarness(
                emu, tmp_path / "feed.db", clock=clock, police_feed_url=server.url,
                admin_user_ids=str(admin.id), police_feed_enabled=True,
            )  # fmt: skip
            await harness.start()
            await _startup_poll_done(server, PoliceFeedPoller.of(harness.app))
            await emu.send_text(admin, "/feed")
            status = await emu.wait_for_message(
                emu.private_chat_id(admin), lambda m: "Last call" in m.content
            )
            assert "first fetch: the events were saved, nothing was sent" in status.content
            assert "Drönarlarm (1)" in status.content
            assert "Messages to groups in the last day: 0" in status.content
        finally:
            if harness is not None:
                await harness.stop()


async def test_start_up_warns_when_the_contact_is_unset(emu, tmp_path, caplog):
    async with FeedServer() as server:
        for contact, warned in ((None, True), ("ops@example.se", False)):
            caplog.clear()
            harness = BotHarness(
                emu, tmp_path / "w.db", clock=FixedClock(START), police_feed_url=server.url,
                police_feed_enabled=True, police_feed_contact=contact,
            )  # fmt: skip
            await harness.start()
            try:
                assert ("POLICE_FEED_CONTACT is not set" in caplog.text) is warned
            finally:
                await harness.stop()


async def test_coordinator_opens_the_panel_privately(emu, tmp_path):
    async with FeedServer() as server:
        harness, _clock, _poller = await _start(emu, tmp_path, server)
        try:
            cora = emu.add_user("Cora")
            rolf = emu.add_user("Rolf")
            _chat, gid = await _group(harness, emu, "Norra Möllebacken", "1083", [cora])
            await Scenario(harness.services.db, START).coordinator(cora, gid)
            await emu.send_text(cora, "/polisen")
            panel = await emu.wait_for_message(emu.private_chat_id(cora))
            assert "Norra Möllebacken" in panel.content and "Kategorier" in panel.content
            await emu.send_text(rolf, "/feed")
            answer = await emu.wait_for_message(emu.private_chat_id(rolf))
            assert "inga grupper" in answer.content
        finally:
            await harness.stop()


async def test_odd_answers_send_nothing_until_a_normal_one(emu, tmp_path, monkeypatch):
    import httpx

    from bot.feed import client as feed_client

    monkeypatch.setattr(feed_client, "TIMEOUT", httpx.Timeout(0.3))
    async with FeedServer() as server:
        ada = emu.add_user("Ada")
        harness, clock, poller = await _start(emu, tmp_path, server, admin_user_ids=str(ada.id))
        try:
            await emu.send_text(ada, "/start")  # so the bot may write to the admin
            await emu.wait_for_message(emu.private_chat_id(ada))
            cora = emu.add_user("Cora")
            chat, _gid = await _group(harness, emu, "Norra Möllebacken", "1083", [cora])
            fresh_at = START + dt.timedelta(seconds=INTERVAL - 60)
            burglary = event(900003, fresh_at, summary="Inbrott i garage.")
            foreign = [burglary] + [
                event(400000 + i, START - dt.timedelta(days=9 * i + 1), place="Lund")
                for i in range(20)
            ]  # someone else's cached type=Inbrott query
            server.serve_events(foreign)
            assert (await _next_interval(clock, poller)).outcome == "suspect:one_type"
            server.push(status=200, body=b"")
            assert (await _next_interval(clock, poller)).outcome == "suspect:empty"
            server.push(status=200, body=b"[]", delay=1.0)
            assert (await _next_interval(clock, poller)).outcome == "error:timeout"
            clock.advance(seconds=60)  # the back-off after one failure
            server.push(status=429, headers={"Retry-After": "600"})
            assert (await poller.tick()).outcome == "http_429"
            calls = len(server.requests)
            assert (await _next_interval(clock, poller)).outcome == "wait"
            assert len(server.requests) == calls
            assert emu.sent_messages(chat.id) == []

            clock.advance(seconds=300)
            server.serve_events([burglary, *window(START)])
            assert (await poller.tick()).outcome == "ok"
            message = await emu.wait_for_message(chat.id)
            assert "Inbrott i garage." in message.content

            server.push(status=404)
            assert (await _next_interval(clock, poller)).outcome == "gone"
            notice = await emu.wait_for_message(
                emu.private_chat_id(ada), lambda m: "404" in m.content
            )
            assert "POLICE_FEED_URL" in notice.content
            assert (await _next_interval(clock, poller)).outcome == "gone"
            await harness.services.delivery.wait_idle(timeout=5)
            assert len(_feed_messages(emu, chat.id)) == 1
        finally:
            await harness.stop()


async def test_miscased_kommun_and_lan_level_events_follow_the_setting(emu, tmp_path):
    async with FeedServer() as server:
        harness, clock, poller = await _start(emu, tmp_path, server)
        try:
            cora = emu.add_user("Cora")
            vasby, _ = await _group(harness, emu, "Runby", "0114", [cora])  # Upplands Väsby
            lan_msg, lan_gid = await _group(harness, emu, "Väggavägen", "1082", [cora])
            lan_sum, _ = await _group(harness, emu, "Möllebacken", "1083", [cora])
            await feed_store.save_group_settings(
                harness.services.db, GroupFeedSettings(lan_gid, lan_mode="message"), None, START
            )
            now = START + dt.timedelta(seconds=INTERVAL)
            miscased = event(900004, now - dt.timedelta(minutes=2), "Stöld", "Upplands väsby",
                             "Stockholms län", "Stöld ur bil.")  # fmt: skip
            lan_wide = event(900005, now - dt.timedelta(minutes=2), "Inbrott", "Blekinge län",
                             "Blekinge län", "Flera inbrott i länet.")  # fmt: skip
            server.serve_events([miscased, lan_wide, *window(START)])
            assert (await _next_interval(clock, poller)).sent == 2
            assert "Stöld ur bil." in (await emu.wait_for_message(vasby.id)).content
            assert "Flera inbrott" in (await emu.wait_for_message(lan_msg.id)).content
            await harness.services.delivery.wait_idle(timeout=5)
            assert _feed_messages(emu, lan_sum.id) == []  # summary only (the default)
        finally:
            await harness.stop()


async def test_edit_of_a_deleted_copy_sends_the_update_as_a_new_message(emu, tmp_path):
    async with FeedServer() as server:
        harness, clock, poller = await _start(emu, tmp_path, server)
        try:
            cora = emu.add_user("Cora")
            chat, gid = await _group(harness, emu, "Norra Möllebacken", "1083", [cora])
            await feed_store.save_group_settings(
                harness.services.db, GroupFeedSettings(gid, quiet=("12:00", "18:00")), None, START
            )  # 13:05 local is inside these quiet hours
            now = START + dt.timedelta(seconds=INTERVAL)
            burglary = event(900006, now - dt.timedelta(minutes=3), summary="Inbrott i förråd.")
            server.serve_events([burglary, *window(START)])
            await _next_interval(clock, poller)
            original = await emu.wait_for_message(chat.id)
            original.deleted = True  # a coordinator deleted it in the group

            edited = {**burglary, "summary": "Inbrott i förråd. En person gripen."}
            server.serve_events([edited, *window(START)])
            await _next_interval(clock, poller)
            update = await emu.wait_for_message(
                chat.id, lambda m: "Polisen har uppdaterat händelsen" in m.content
            )
            assert (
                "En person gripen." in update.content and "Läs mer på polisen.se" in update.content
            )
            fallback_call = next(
                c for c in emu.calls
                if c.method == "sendMessage" and c.ok
                and "uppdaterat" in str(c.params.get("text"))
            )  # fmt: skip
            assert str(fallback_call.params.get("disable_notification")).lower() == "true"
            await harness.services.delivery.wait_idle(timeout=5)
            rows = await harness.services.db.fetch_all(
                "SELECT status FROM outbox WHERE kind = 'police_feed'"
            )
            assert {r["status"] for r in rows} == {"sent"}  # nothing failed, nothing retried
        finally:
            await harness.stop()
