"""End-to-end: /alerts → "Per group" shows each group's delivery, members known and reads
exactly as the emulator delivered them (one group removed the bot → 403), the CSV has the
same figures, the delivery report names the failed group, and only the sender or an admin
may see them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n.dates import format_when
from bot.services import alert_figures
from bot.services.refusals import Refused
from bot.services.roles import Access
from handlers.alerts_buttons import AlertFigures
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of
from tests.scenario import Scenario


async def _members(bot, group_id: int, users) -> None:
    world = Scenario.of(bot)
    for user in users:
        await world.person(user, user.first_name, "sv")
        await world.residents(group_id, user, source="message")


async def _scenario(bot):
    """Three groups in Stockholm (0180); the bot was removed from the third one without
    noticing, so its copy fails with 403. Returns (officer, chats, group ids, report)."""
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    people = [emu.add_user(f"R{n}", language_code="sv") for n in range(6)]
    chats = [
        emu.add_group("Norr", members=people[:3], bot_is_member=True),
        emu.add_group("Söder", members=people[3:4], bot_is_member=True),
        emu.add_group("Väster", members=people[4:], bot_is_member=True),
    ]
    ids = await register_groups(bot, chats)
    for group_id, users in zip(ids, (people[:3], people[3:4], people[4:]), strict=True):
        await _members(bot, group_id, users)
    chats[2].bot_status = "kicked"
    await make_police(bot, officer)
    confirm = await compose_alert(emu, officer, "Inbrott i källarförråd")
    report = await text_of(emu, confirm, "Levererat:")
    for person, chat in ((people[0], chats[0]), (people[1], chats[0]), (people[3], chats[1])):
        await emu.press_button(person, emu.sent_messages(chat.id)[0], text="✅ Läst")
        assert "Tack" in (await emu.wait_for_callback_answer())["text"]
    return officer, chats, ids, report


async def test_per_group_figures_match_what_was_delivered(bot):
    emu = bot.emu
    officer, chats, _ids, report = await _scenario(bot)
    # The delivery report names the group that was not reached, and why.
    assert "Grupper som inte nåddes:" in report.text
    assert "• Område 2 (Stockholm): jag får inte skriva där, troligen borttagen" in report.text
    assert "bot was kicked" in report.text

    await emu.send_text(officer, "/larmlista")
    listing = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, listing, text="📊 Per grupp #1")
    figures = await emu.wait_for_message(officer.id, lambda m: "per grupp" in m.text)
    lines = figures.text.splitlines()
    assert "Larm #1 per grupp (3 grupper)" in lines[0]
    norr = next(line for line in lines if "Område 0" in line)
    soder = next(line for line in lines if "Område 1" in line)
    vaster = next(line for line in lines if "Område 2" in line)
    assert "(Stockholm): levererat " in norr and "3 kända medlemmar · 2 har läst" in norr
    assert "1 känd medlem · 1 har läst" in soder
    assert "inte levererat" in vaster and "bot was kicked" in vaster
    # Delivered where the emulator has the alert, at the time it got it (the worker
    # records it a moment after the emulator's whole-second date: this or the next minute).
    assert not emu.sent_messages(chats[2].id)
    tz = bot.services.settings.tzinfo
    for line, chat in ((norr, chats[0]), (soder, chats[1])):
        got = datetime.fromtimestamp(emu.sent_messages(chat.id)[0].date, UTC)
        whens = {format_when("sv", got + timedelta(seconds=s), tz) for s in (0, 59)}
        assert any(f"levererat {when} ·" in line for when in whens), (line, whens)

    await emu.press_button(officer, figures, text="📄 CSV")
    document = await emu.wait_for_message(officer.id, lambda m: m.kind == "document")
    assert document.filename == "larm-1-grupper.csv"
    assert document.document.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(document.document.decode("utf-8-sig"))))
    assert rows[0] == ["Grupp", "Kommun", "Status", "Levererat", "Kända medlemmar", "Läst", "Orsak"]
    by_group = {row[0]: row for row in rows[1:]}
    assert by_group["Område 0"][1:3] == ["Stockholm", "levererat"]
    assert by_group["Område 0"][4:] == ["3", "2", ""]
    assert by_group["Område 1"][4:6] == ["1", "1"]
    assert by_group["Område 2"][2:4] == ["inte skickat", ""]
    assert "bot was kicked" in by_group["Område 2"][6]
    assert len(rows) == 4


async def test_police_of_another_kommun_may_not_see_the_figures(bot):
    emu = bot.emu
    await _scenario(bot)
    other = emu.add_user("Annan", language_code="sv")
    await make_police(bot, other, "1083")
    await emu.send_text(other, "/larmlista")
    theirs = await emu.wait_for_message(other.id)
    data = AlertFigures(1, csv=True).pack()
    theirs.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
    await emu.press_button(other, theirs, data=data)
    assert "inte behörighet" in (await emu.wait_for_callback_answer())["text"]
    assert not [m for m in emu.sent_messages(other.id) if m.kind == "document"]


NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TZ = ZoneInfo("Europe/Stockholm")


async def test_who_may_see_an_alerts_figures(db):
    world = Scenario(db, NOW)
    await world.group(-100, "Område", "1083", title="G")
    officer = Access(7, False, frozenset(), frozenset({"1083"}))
    alert_id = await world.alert(officer, "Inbrott")
    alert, groups = await alert_figures.figures(db, officer, alert_id)
    assert [(g.status, g.delivered_at, g.members, g.seen) for g in groups] == [
        ("pending", None, 0, 0)
    ]
    assert "väntar på att skickas" in alert_figures.render("sv", TZ, alert, groups)
    admin = Access(1, True, frozenset(), frozenset())
    assert (await alert_figures.figures(db, admin, alert_id))[0].id == alert.id
    for someone in (
        Access(8, False, frozenset(), frozenset({"1083"})),  # another officer, same kommun
        Access(7, False, frozenset(), frozenset()),  # the sender, no longer police
    ):
        with pytest.raises(Refused) as refused:
            await alert_figures.figures(db, someone, alert_id)
        assert refused.value.key == "core.not_allowed"
    with pytest.raises(Refused):
        await alert_figures.figures(db, admin, 999)
