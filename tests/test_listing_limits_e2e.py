"""End-to-end: listings that grow with the data stay within Telegram's limits (4096 UTF-16
units of text, a keyboard of reasonable size) at large counts with the longest names
allowed: /minadata for a person in 60 groups, coordinator of 60, with 40 reports and 1060
log entries; /grupp in private and /start for a coordinator and member of 60 groups.
(/minagrupper: tests/test_my_groups_pages_e2e.py; the near-place screen of /larm:
tests/test_police_places_e2e.py.)"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services.group_input import AREA_MAX_LENGTH
from bot.textlen import utf16_len
from storage import groups as group_store
from storage import observations as obs_store
from storage import roles as role_store
from storage.observations import NewObservation
from tests.emulator.state import SentMessage

LONG_NAME = "Å" * 64  # Telegram's longest first and last name


def _area(n: int) -> str:
    head = f"Grupp {n:02d} "
    return head + "ö" * (AREA_MAX_LENGTH - len(head))


def _within_limits(message: SentMessage, max_buttons: int = 100) -> None:
    assert utf16_len(message.content) <= 4096
    assert len(message.buttons()) <= max_buttons


async def _groups(bot, count: int, person, *, member: bool, coordinator: bool):
    """`count` registered groups with the longest area names; the person is a member and
    a coordinator (stored role, and an admin of the chat, as Telegram is asked) of each."""
    db, now = bot.services.db, bot.services.clock.now()
    ids = []
    for n in range(count):
        chat = bot.emu.add_group(f"G{n}", admins=[person], bot_is_member=True)
        group = await group_store.ensure_group(db, chat.id, f"G{n}", now)
        await group_store.register_group(db, group.id, _area(n), "1083", now)
        if member:
            await group_store.add_member(db, group.id, person.id, "deep_link", now)
        if coordinator:
            await role_store.grant_role(db, person.id, "coordinator", str(group.id), None, now)
        ids.append(group.id)
    return ids


async def _ask(bot, person, command: str, chat=None) -> SentMessage:
    n = len(bot.emu.sent_messages(person.id))
    await bot.emu.send_text(person, command)
    return await bot.emu.wait_for_message(person.id, lambda m: m.kind == "text", after=n)


@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_mydata_summary_of_a_very_busy_person(bot, lang):
    person = bot.emu.add_user(LONG_NAME, lang, username="u" * 32, last_name=LONG_NAME)
    person.started = True
    await _ask(bot, person, "/start")
    ids = await _groups(bot, 60, person, member=True, coordinator=True)
    db, now = bot.services.db, bot.services.clock.now()
    at = now - dt.timedelta(days=1)
    for n in range(40):
        new = NewObservation(
            group_id=ids[n], kommun_code="1083", reporter_id=person.id, show_identity=True,
            category="burglary", observed_at=at, place_text=None, latitude=None,
            longitude=None, location_exact=False, description=f"Rapport {n}",
        )  # fmt: skip
        assert await obs_store.create_observation(db, new, at, at.year, at, 10_000)
    # The longest status text, on every report.
    await db.execute("UPDATE observations SET status = 'forwarded'")
    # Years of coordinating: over a thousand log entries about her.
    await db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
        " INSERT INTO audit_log (at, actor_id, action, subject) SELECT ?, ?, 'obs.review', i"
        " FROM n",
        ("2026-01-01T00:00:00+00:00", person.id),
    )
    summary = await _ask(bot, person, "/minadata")
    assert ("Det här sparar jag om dig" if lang == "sv" else "What I store") in summary.content
    _within_limits(summary)
    assert "Grupp 00" in summary.content and "O-" in summary.content
    assert summary.content.count("… och" if lang == "sv" else "… and") == 3  # every list
    assert not bot.emu.errors


async def test_group_in_private_for_a_coordinator_of_many_groups(bot):
    person = bot.emu.add_user("Cora", "sv")
    person.started = True
    await _ask(bot, person, "/start")
    await _groups(bot, 60, person, member=False, coordinator=True)
    answer = await _ask(bot, person, "/grupp")
    _within_limits(answer)
    assert "Grupp 00" in answer.content and "… och 35 till" in answer.content
    assert not bot.emu.errors


async def test_start_for_a_member_and_coordinator_of_many_groups(bot):
    person = bot.emu.add_user(LONG_NAME, "sv", last_name=LONG_NAME)
    person.started = True
    await _ask(bot, person, "/start")
    await _groups(bot, 60, person, member=True, coordinator=True)
    answer = await _ask(bot, person, "/start")
    _within_limits(answer)
    assert "Grupp 00" in answer.content and "… och 35 till" in answer.content
    assert not bot.emu.errors
