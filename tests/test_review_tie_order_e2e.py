"""End-to-end: lists of counts ("Stöld 2, Annat 1") put equal counts in the order of the
names the reader sees (storage/name_order.py), in Swedish and English, not in the order
of the codes behind them: the digest's categories and police event types, the
lägesbild's "rose most" (fresh reviewer, 30 Nov)."""

from __future__ import annotations

import datetime as dt
import re

from bot.clock import FixedClock
from bot.digest_scheduler import digest_scheduler_of
from handlers.lagesbild import LagesbildPress, View
from storage import roles as role_store
from tests.harness import BotHarness
from tests.lagesbild_helpers import KOMMUN, NOW, feed_event, make_group, week
from tests.lagesbild_helpers import observe as observe_in_period
from tests.scenario import Scenario
from tests.test_digests import IN_PERIOD, MONDAY_0800, PERIOD_START, observe
from tests.test_digests import make_group as make_digest_group


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


async def test_digest_lists_equal_counts_by_the_names_shown(emu, tmp_path):
    clock = FixedClock(MONDAY_0800 - dt.timedelta(minutes=5))
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    anna, olle = emu.add_user("Anna"), emu.add_user("Olle", "en")
    for user in (anna, olle):
        user.started = True
    await harness.start()
    try:
        db = harness.services.db
        group = await make_digest_group(db, -10, "Ekbacken")
        world = Scenario(db, PERIOD_START)
        await world.coordinator(anna, group)
        await world.police(olle, "0180")
        await world.person(olle, "Olle", "en")
        # theft (Stöld) and vandalism (Skadegörelse) once each: by code theft comes first.
        await observe(db, group, "theft", IN_PERIOD)
        await observe(db, group, "vandalism", IN_PERIOD)
        # The police's "Inbrott" (Burglary) and "Brand" (Fire) once each: by the police's
        # Swedish name Brand comes first, by the English one Burglary.
        await feed_event(db, 1, "burglary", IN_PERIOD, "Inbrott", kommun="0180")
        await feed_event(db, 2, None, IN_PERIOD, "Brand", kommun="0180")
        clock.set(MONDAY_0800 + dt.timedelta(minutes=1))
        assert (await digest_scheduler_of(harness.app).tick()).enqueued == 2
        sv = await emu.wait_for_message(anna.id, lambda m: "lägesbild" in m.text)
        assert "Skadegörelse 1, Stöld 1" in _plain(sv.content), sv.content
        en = await emu.wait_for_message(olle.id, lambda m: "situation report" in m.text)
        assert "Burglary 1, Fire 1" in _plain(en.content), en.content
    finally:
        await harness.stop()


async def test_lagesbild_rises_list_equal_rises_by_the_names_shown(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "lb.db", clock=FixedClock(NOW))
    await harness.start()
    try:
        db = harness.services.db
        group = await make_group(db, -100, "Hamnen")
        # Four categories rise by one each; three are shown. By code: burglary, theft,
        # vandalism. By Swedish name: Fordonsbrott, Inbrott eller försök, Skadegörelse.
        for category in ("theft", "vandalism", "burglary", "vehicle_crime"):
            await observe_in_period(db, group, category, week(1))
        karin = emu.add_user("Karin", "sv")
        karin.started = True
        await Scenario(db, NOW).person(karin, "Karin", "sv")
        await role_store.grant_role(db, karin.id, "kommun", KOMMUN, None, NOW)
        await emu.send_text(karin, "/lagesbild")
        chooser = await emu.wait_for_message(karin.id, lambda m: m.buttons())
        data = next(d for _, d in chooser.buttons() if LagesbildPress.unpack(d).view is View.CHART)
        n = len(emu.sent_messages(karin.id))
        await emu.press_button(karin, chooser, data=data)
        text = await emu.wait_for_message(
            karin.id, lambda m: "Ökat mest" in m.content, after=n, timeout=60
        )
        line = next(x for x in text.content.splitlines() if x.startswith("Ökat mest"))
        assert line == "Ökat mest: Fordonsbrott +1, Inbrott eller försök +1, Skadegörelse +1"
    finally:
        await harness.stop()
