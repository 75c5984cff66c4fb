"""End-to-end: /minagrupper lists a person's groups in the order people expect
(storage/name_order.py): "Område 2" before "Område 10", case-insensitive, å, ä, ö after
z, equal names by id, the same order on every page (each press reads the list again)."""

from __future__ import annotations

import re

from bot.services.my_groups import GROUPS_PER_PAGE
from handlers.alerts_buttons import AlertGroup, AlertTarget, AlertType
from handlers.alerts_buttons import Target as AlertTargetKind
from handlers.my_groups import MyGroupLeave
from storage import groups as group_store
from tests.scenario import Scenario

# Registered in this (SQL's) order on purpose: text order would keep it.
NAMES = ["Område 1", "Område 10", "Område 11", "Område 2", "almvägen", "Ängen"]
NAMES += [f"Område {n}" for n in range(3, 10)] + ["Område 2"]  # two groups "Område 2"
EXPECTED = [
    "almvägen",
    "Område 1",
    "Område 2",
    "Område 2",
    *(f"Område {n}" for n in range(3, 10)),
    "Område 10",
    "Område 11",
    "Ängen",
]


def _areas(content: str) -> list[str]:
    return re.findall(r"🏘 (.+) \(", content)


async def test_my_groups_in_natural_swedish_order_across_pages(bot):
    person = bot.emu.add_user("Cia", language_code="sv")
    person.started = True
    await bot.emu.send_text(person, "/start")
    await bot.emu.wait_for_message(person.id)
    db, now = bot.services.db, bot.services.clock.now()
    ids = []
    for n, name in enumerate(NAMES):
        group = await group_store.ensure_group(db, -7100 - n, f"G{n}", now)
        await group_store.register_group(db, group.id, name, "1083", now)
        await group_store.add_member(db, group.id, person.id, "deep_link", now)
        ids.append(group.id)
    n = len(bot.emu.sent_messages(person.id))
    await bot.emu.send_text(person, "/minagrupper")
    mine = await bot.emu.wait_for_message(person.id, after=n)
    first = _areas(mine.content)
    assert len(first) == GROUPS_PER_PAGE
    await bot.emu.press_button(person, mine, text="Nästa ▶")
    await bot.emu.wait_for_callback_answer()
    second = _areas(mine.content)
    assert first + second == EXPECTED
    await bot.emu.press_button(person, mine, text="◀ Föregående")
    await bot.emu.wait_for_callback_answer()
    assert _areas(mine.content) == first  # the same page again
    # The two "Område 2" groups by id (the leave buttons carry each group's id).
    leaving = [
        MyGroupLeave.unpack(data).group_id
        for text, data in mine.buttons()
        if text == "🚪 Lämna Område 2"
    ]
    assert leaving == [ids[3], ids[-1]]


async def test_alert_group_picker_in_natural_swedish_order(bot):
    """/larm → chosen groups: the group buttons in the same order as every list."""
    officer = bot.emu.add_user("Olle", language_code="sv")
    world = Scenario.of(bot)
    await world.police(officer, "1083")
    for n, name in enumerate(["Område 10", "Ängen", "Område 2", "almvägen", "Björk"]):
        chat = bot.emu.add_group(f"G{n}", bot_is_member=True)
        await world.group(chat.id, name, "1083", title=chat.title)
    await bot.emu.send_text(officer, "/larm")
    prompt = await bot.emu.wait_for_message(officer.id, lambda m: m.buttons())
    await bot.emu.press_button(officer, prompt, data=AlertType("burglary").pack())
    groups = AlertTarget(AlertTargetKind.GROUPS).pack()
    await bot.emu.wait_until(lambda: groups in [d for _, d in prompt.buttons()])
    await bot.emu.press_button(officer, prompt, data=groups)
    await bot.emu.wait_until(lambda: any(AlertGroup.filter()(d) for _, d in prompt.buttons()))
    labels = [text for text, data in prompt.buttons() if AlertGroup.unpack(data).group_id]
    assert labels == ["almvägen", "Björk", "Område 2", "Område 10", "Ängen"]
