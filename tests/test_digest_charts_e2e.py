"""End to end: a coordinator turns the group's lägesbild chart in the Monday digest on and
off in /grupp (off by default), the digest then comes with the group's chart as a photo or
as text only, and a forged button pressed by a resident changes nothing (#17)."""

from __future__ import annotations

import datetime as dt

from bot.clock import FixedClock
from bot.digest_scheduler import digest_scheduler_of
from handlers.groups_settings import GroupDigestChart
from storage import digest_charts as chart_store
from storage import groups as group_store
from tests.harness import BotHarness
from tests.lagesbild_helpers import PNG, observe, png_size

UTC = dt.UTC
MONDAY_0800 = dt.datetime(2026, 11, 30, 7, tzinfo=UTC)  # week 49; the chart: weeks 45–48
SLOW = 60.0  # a chart drawn on a loaded machine; the bench holds the speed goal


def photo_bytes(emu, message) -> bytes:
    return emu.files[message.raw["photo"][-1]["file_id"]]["content"]


def digests_to(emu, chat_id: int) -> list:
    return [m for m in emu.sent_messages(chat_id) if "lägesbild" in (m.text or "").lower()]


def photos_to(emu, chat_id: int) -> list:
    return [m for m in emu.sent_messages(chat_id) if m.kind == "photo"]


async def test_the_group_chart_in_the_monday_digest_follows_the_setting(emu, tmp_path):
    clock = FixedClock(MONDAY_0800 - dt.timedelta(minutes=5))
    harness = BotHarness(emu, tmp_path / "chart.db", clock=clock)
    anna, cia = emu.add_user("Anna"), emu.add_user("Cia")
    anna.started = cia.started = True
    chat = emu.add_group("G", members=[cia], admins=[anna], bot_is_member=True)
    await harness.start()
    try:
        db = harness.services.db
        await emu.send_text(anna, "/registrera Torget, Lund", chat=chat)
        await emu.wait_for_message(chat.id, lambda m: m.buttons())
        group = await group_store.get_group_by_chat(db, chat.id)
        assert group is not None
        await observe(db, group.id, "theft", MONDAY_0800 - dt.timedelta(days=5), kommun="1281")

        before = len(emu.sent_messages(chat.id))
        await emu.send_text(anna, "/grupp", chat=chat)
        info = await emu.wait_for_message(chat.id, after=before)
        assert "📊 Diagram i måndagsbrevet: av" in info.text  # off by default

        # A resident presses a forged "on" button: refused, nothing stored or audited.
        forged = GroupDigestChart(group.id, True).pack()
        info.reply_markup["inline_keyboard"].append([{"text": "x", "callback_data": forged}])
        await emu.press_button(cia, info, data=forged)
        assert "inte" in (await emu.wait_for_callback_answer())["text"]
        assert await chart_store.chart_groups(db, [group.id]) == set()
        audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'group.digest_chart'"
        assert await db.fetch_value(audited) == 0

        # The coordinator turns it on: stored, audited, and the overview says so.
        await emu.press_button(anna, info, text="📊 Skicka diagram med måndagsbrevet")
        answer = await emu.wait_for_callback_answer()
        assert "Kontaktombuden får gruppens diagram" in answer["text"]
        await emu.wait_until(lambda: "Diagram i måndagsbrevet: på" in info.content)
        assert await chart_store.chart_groups(db, [group.id]) == {group.id}
        row = await db.fetch_one(
            "SELECT actor_id, subject, details FROM audit_log WHERE action = 'group.digest_chart'"
        )
        assert tuple(row) == (anna.id, str(group.id), '{"on": true}')

        # Monday 08:01: the digest comes with the group's chart.
        clock.set(MONDAY_0800 + dt.timedelta(minutes=1))
        assert (await digest_scheduler_of(harness.app).tick()).enqueued == 1
        chart = await emu.wait_for_message(anna.id, lambda m: m.kind == "photo", timeout=SLOW)
        assert chart.caption.startswith("📊 Lägesbild för Torget, v. 45–48 2026 (2 nov – 29 nov")
        png = photo_bytes(emu, chart)
        assert png[:8] == PNG and png_size(png) == (1080, 1350)
        assert len(digests_to(emu, anna.id)) == 1
        assert photos_to(emu, cia.id) == []  # residents get no digest

        # Turned off: next Monday's digest is text only.
        await emu.press_button(anna, info, text="📊 Sluta skicka diagram med måndagsbrevet")
        assert "utan diagram" in (await emu.wait_for_callback_answer())["text"]
        await emu.wait_until(lambda: "Diagram i måndagsbrevet: av" in info.content)
        assert await chart_store.chart_groups(db, [group.id]) == set()
        await observe(db, group.id, "drugs", MONDAY_0800 + dt.timedelta(days=2), kommun="1281")
        clock.set(MONDAY_0800 + dt.timedelta(days=7, minutes=1))
        assert (await digest_scheduler_of(harness.app).tick()).enqueued == 1
        await emu.wait_until(lambda: len(digests_to(emu, anna.id)) == 2, timeout=SLOW)
        await harness.services.delivery.wait_idle()
        assert len(photos_to(emu, anna.id)) == 1  # still only last week's
    finally:
        await harness.stop()
