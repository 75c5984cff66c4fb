"""End to end, in English: the police's event types read in English where the bot speaks
English (the feed's messages to an English group, their edits, the Monday digest and its
lägesbild chart), while the police's own words stay theirs and a Swedish group still reads
the police's Swedish names. The real bot against the emulator, the feed against the local
server (as in test_feed_e2e)."""

from __future__ import annotations

import datetime as dt

import bot.lagesbild_chart as chart_module
from bot.digest_scheduler import digest_scheduler_of
from storage import digest_charts as chart_store
from tests.feed_fixtures import event, window
from tests.feed_server import FeedServer
from tests.scenario import Scenario
from tests.test_feed_e2e import INTERVAL, START, _next_interval, _start

MONDAY_0800 = dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC)  # week 49: the chart, weeks 45–48
SLOW = 60.0  # a chart drawn on a loaded machine; the bench holds the speed goal


async def _group(harness, emu, title, members, language):
    """A registered Sölvesborg group in `language`; the first member is its admin."""
    chat = emu.add_group(title, members=members[1:], admins=members[:1], bot_is_member=True)
    world = Scenario(harness.services.db, START)
    gid = await world.group(chat.id, title, "1083", language=language)
    return chat, gid


def _legend(lang: str, panel: str) -> list[str]:
    """The legend labels of a panel of the last chart drawn in `lang`, as drawn."""
    keys = chart_module._templates[lang].panels[panel].keys
    return [text.get_text() for _, text in keys if text.get_visible()]


async def test_an_english_group_reads_the_police_type_in_english(emu, tmp_path):
    async with FeedServer() as server:
        harness, clock, poller = await _start(emu, tmp_path, server)
        try:
            cora, eve = emu.add_user("Cora"), emu.add_user("Eve", language_code="en")
            swedish, _ = await _group(harness, emu, "Norra Möllebacken", [cora], "sv")
            english, _ = await _group(harness, emu, "Hälleviksstrand", [eve], "en")

            now = START + dt.timedelta(seconds=INTERVAL)
            attempt = event(
                900101, now - dt.timedelta(minutes=3), "Inbrott, försök", "Sölvesborg",
                "Blekinge län", "Försök till inbrott i villa på Storgatan.",
            )  # fmt: skip
            server.serve_events([attempt, *window(START)])
            assert (await _next_interval(clock, poller)).sent == 2

            message = await emu.wait_for_message(english.id)
            assert "From the police's event list" in message.content
            assert "🏠 Burglary, attempted · Sölvesborg" in message.content
            assert "Inbrott" not in message.content.replace("Försök till inbrott", "")
            # The police's own text stays as they wrote it.
            assert "Försök till inbrott i villa på Storgatan." in message.content
            original = await emu.wait_for_message(swedish.id)
            assert "🏠 Inbrott, försök · Sölvesborg" in original.content

            # The police reclassify it: the English copy is edited to the new type, in English.
            server.serve_events([{**attempt, "type": "Stöld"}, *window(START)])
            await _next_interval(clock, poller)
            await emu.wait_until(lambda: "🏠 Theft · Sölvesborg" in message.content, what="edit")
            await emu.wait_for_message(english.id, lambda m: "Updated" in m.content)
            await emu.wait_until(lambda: "🏠 Stöld · Sölvesborg" in original.content, what="sv")
        finally:
            await harness.stop()


async def test_the_monday_digest_and_its_chart_name_the_types_in_english(emu, tmp_path):
    """An English coordinator's digest lists the kommun's police events by English type,
    and the group's chart with it has them in its legend; the counts are the police's."""
    async with FeedServer() as server:
        harness, clock, poller = await _start(emu, tmp_path, server)
        try:
            anna = emu.add_user("Anna", language_code="en")
            anna.started = True
            db = harness.services.db
            _chat, gid = await _group(harness, emu, "Hälleviksstrand", [anna], "en")
            world = Scenario(db, START)
            await world.person(anna, "Anna", "en")
            await world.coordinator(anna, gid)
            await chart_store.set_chart(db, gid, True, anna.id, START)

            now = START + dt.timedelta(seconds=INTERVAL)
            police = [
                event(900201, now - dt.timedelta(minutes=3), "Inbrott"),
                event(900202, now - dt.timedelta(minutes=4), "Inbrott"),
                event(900203, now - dt.timedelta(minutes=5), "Brand", summary="Brand i förråd."),
            ]
            server.serve_events([*police, *window(START)])
            assert (await _next_interval(clock, poller)).outcome == "ok"

            clock.set(MONDAY_0800 + dt.timedelta(minutes=1))
            assert (await digest_scheduler_of(harness.app).tick()).enqueued == 1
            private = emu.private_chat_id(anna)
            chart = await emu.wait_for_message(private, lambda m: m.kind == "photo", timeout=SLOW)
            digest = await emu.wait_for_message(
                private, lambda m: "The police's event list" in m.content, timeout=SLOW
            )
            assert "The police's event list: Burglary 2, Fire 1" in digest.content
            # The chart sent with it was drawn with the English names in its legend.
            assert chart.caption.startswith("📊 Situation picture for Hälleviksstrand")
            assert _legend("en", "feed") == ["Burglary (2)", "Fire (1)"]
            stored = "SELECT type, COUNT(*) FROM feed_events WHERE id > 900200 GROUP BY type"
            rows = await db.fetch_all(stored)
            assert {r[0]: r[1] for r in rows} == {"Inbrott": 2, "Brand": 1}  # keys unchanged
        finally:
            await harness.stop()
