"""End-to-end: scheduled tips reach the group through the outbox, restarts catch up once."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.clock import FixedClock
from bot.tip_scheduler import tip_scheduler_of
from storage import groups as group_store
from storage import tips as tip_store
from tests.harness import BotHarness
from tests.scenario import Scenario

UTC = dt.UTC
WEDNESDAY = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)
MONDAY_1800 = dt.datetime(2026, 11, 30, 17, tzinfo=UTC)  # 18:00 in Stockholm
TIP_SV = "Tips från grannsamverkan"


async def register(harness: BotHarness, chat, coordinator=None, lang: str = "sv") -> int:
    coordinators = [] if coordinator is None else [coordinator]
    world = Scenario.of(harness)
    return await world.group(
        chat.id, "Centrum", title=chat.title, coordinators=coordinators, language=lang
    )


def tips_in(emu, chat_id: int, marker: str = TIP_SV) -> list:
    return [m for m in emu.sent_messages(chat_id) if marker in m.text]


async def test_scheduled_tip_reaches_groups_in_their_language(emu, tmp_path):
    clock = FixedClock(WEDNESDAY)
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    await harness.start()
    try:
        anna = emu.add_user("Anna")
        sv_chat = emu.add_group("Björkvägen", members=[anna], bot_is_member=True)
        en_chat = emu.add_group("Birch Road", members=[anna], bot_is_member=True)
        gone_chat = emu.add_group("Gone", members=[anna], bot_is_member=True)
        sv_id = await register(harness, sv_chat)
        en_id = await register(harness, en_chat, lang="en")
        gone_id = await register(harness, gone_chat)
        scheduler = tip_scheduler_of(harness.app)
        assert (await scheduler.tick()).created == 3
        await group_store.set_bot_present(harness.services.db, gone_id, False, WEDNESDAY)
        clock.set(MONDAY_1800 - dt.timedelta(seconds=5))
        assert (await scheduler.tick()).sent == 0
        clock.set(MONDAY_1800 + dt.timedelta(seconds=10))
        assert (await scheduler.tick()).sent == 2
        message = await emu.wait_for_message(sv_chat.id, lambda m: TIP_SV in m.text)
        assert message.parse_mode == "HTML"
        await emu.wait_for_message(en_chat.id, lambda m: "Neighbourhood watch tip" in m.text)
        await harness.services.delivery.wait_idle()
        sends = await tip_store.sends_for_group(harness.services.db, sv_id)
        assert [s.outcome for s in sends] == ["sent"]
        assert await tip_store.sends_for_group(harness.services.db, en_id)
        assert emu.sent_messages(gone_chat.id) == []
        assert (await scheduler.tick()).sent == 0  # nothing more
    finally:
        await harness.stop()


async def test_restart_catch_up_sends_once_and_skips_old_slots(emu, tmp_path):
    clock = FixedClock(WEDNESDAY)
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    await harness.start()
    anna = emu.add_user("Anna")
    chat = emu.add_group("Björkvägen", members=[anna], bot_is_member=True)
    try:
        gid = await register(harness, chat)
        await tip_scheduler_of(harness.app).tick()
        await harness.stop()

        # Down over Monday 18:00; back five hours later: the tip comes once, at start-up.
        clock.set(MONDAY_1800 + dt.timedelta(hours=5))
        await harness.start()
        await emu.wait_for_message(chat.id, lambda m: TIP_SV in m.text, after=0)
        await harness.services.delivery.wait_idle()
        for _ in range(2):
            await harness.restart()
            await tip_scheduler_of(harness.app).tick()
            await harness.services.delivery.wait_idle()
        await asyncio.sleep(0.1)
        assert len(tips_in(emu, chat.id)) == 1

        # Down over the next Monday; back 25 hours late: skipped, nothing sent.
        await harness.stop()
        clock.set(MONDAY_1800 + dt.timedelta(weeks=1, hours=25))
        await harness.start()
        await harness.services.delivery.wait_idle()
        assert len(tips_in(emu, chat.id)) == 1
        schedule = await tip_store.get_schedule(harness.services.db, gid)
        assert schedule.next_run_at == MONDAY_1800 + dt.timedelta(weeks=2)
        assert len(await tip_store.sends_for_group(harness.services.db, gid)) == 1
    finally:
        await harness.stop()
