"""End-to-end (issue #13, feedback loops): the reporter is told privately, once per change,
when their report is reviewed, forwarded, handled or closed: reference only, no notes;
held for their next private message when Telegram refuses them; a forward no officer can
receive says so plainly, with 114 14, to the coordinator and the reporter."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest

from handlers.observations_buttons import (
    Export,
    Handled,
    ObsAction,
    ObsDetail,
    ObsNote,
    PoliceDetail,
    TriageAction,
)
from storage import observation_reach as reach
from storage import observation_status, roles
from tests.test_observations_support import World, file_report, messages_with, told_of

pytestmark = pytest.mark.asyncio


async def _tap(w: World, user, message, data: str) -> dict:
    await w.emu.press_button(user, message, data=data)
    return await w.emu.wait_for_callback_answer()


async def test_reporter_is_told_each_change_once_in_swedish(world: World):
    w, emu = world, world.emu
    await file_report(w, w.anna)
    card = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    await observation_status.add_note(
        w.harness.services.db, 1, w.carl.id, "Hemlig anteckning", w.harness.clock.now()
    )
    await _tap(w, w.carl, card, ObsAction(1, TriageAction.REVIEWED).pack())
    reviewed = await told_of(w, w.anna, "granskat")
    assert "O-2026-0001" in reviewed.content and "Hemlig" not in reviewed.content
    # A second press of the same action is no change: nothing more is sent.
    card.reply_markup = {
        "inline_keyboard": [
            [{"text": "x", "callback_data": ObsAction(1, TriageAction.REVIEWED).pack()}]
        ]
    }
    await _tap(w, w.carl, card, ObsAction(1, TriageAction.REVIEWED).pack())
    await _tap(w, w.carl, card, ObsAction(1, TriageAction.FORWARD).pack())
    forwarded = await told_of(w, w.anna, "skickats till polisen")
    assert "O-2026-0001" in forwarded.content
    police = await emu.wait_for_message(w.pia.id, lambda m: "O-2026-0001" in m.content)
    await _tap(w, w.pia, police, Handled(1).pack())
    handled = await told_of(w, w.anna, "hanterat")
    assert "O-2026-0001" in handled.content
    await _tap(w, w.carl, card, ObsAction(1, TriageAction.CLOSED).pack())
    await told_of(w, w.anna, "avslutad av kontaktombuden")
    assert len(messages_with(w, w.anna, "granskat")) == 1
    assert len(messages_with(w, w.anna, "skickats till polisen")) == 1
    assert not messages_with(w, w.anna, "Hemlig")


async def test_reporter_is_told_in_english(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.bo, "/start")  # Bo belongs to two groups: report via storage
    from tests.test_observations_triage import _stored

    obs_id = await _stored(w, w.group_b, w.bo)
    await emu.send_text(w.dora, "/observations")
    listing = await emu.wait_for_message(w.dora.id, lambda m: "O-2026" in m.content)
    await _tap(w, w.dora, listing, ObsDetail(obs_id).pack())
    card = await emu.wait_for_message(w.dora.id, lambda m: "Status" in m.content)
    assert [text for text, _ in card.buttons()] == [
        "✔️ Mark as reviewed",
        "👮 Send to the police",
        "🗂 Close the report",
        "📝 Add a note",
    ]
    await _tap(w, w.dora, card, ObsAction(obs_id, TriageAction.CLOSED).pack())
    closed = await told_of(w, w.bo, "has been closed")
    assert "O-2026-0001" in closed.content and "/myreports" in closed.content


async def test_no_officer_in_the_kommun_says_so_to_both_with_114_14(world: World):
    w, emu = world, world.emu
    db = w.harness.services.db
    await roles.revoke_roles(db, w.pia.id, "police", "0180", None, w.harness.clock.now())
    await file_report(w, w.anna)
    card = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    answer = await _tap(w, w.carl, card, ObsAction(1, TriageAction.FORWARD).pack())
    assert "Ingen polis" in answer["text"] and "114 14" in answer["text"]
    told = await told_of(w, w.anna, "ingen polis")
    assert "114 14" in told.content and "O-2026-0001" in told.content


async def test_unreachable_reporter_gets_the_notice_on_next_private_message(world: World):
    w, emu = world, world.emu
    await file_report(w, w.anna)
    card = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    services = w.harness.services
    await reach.set_open(services.db, w.anna.id, False, services.clock.now())
    await _tap(w, w.carl, card, ObsAction(1, TriageAction.REVIEWED).pack())
    held = await services.db.fetch_value(
        "SELECT COUNT(*) FROM held_notices WHERE user_id = ? AND viewer = 'resident'",
        (w.anna.id,),
    )
    assert held == 1 and not messages_with(w, w.anna, "granskat")
    w.harness.app.bot_data.get("obs_private_open", set()).discard(w.anna.id)
    await emu.send_text(w.anna, "/hjalp")
    told = await told_of(w, w.anna, "granskat")
    assert "O-2026-0001" in told.content


async def test_details_show_one_photo_with_the_card_and_its_buttons(world: World):
    w, emu = world, world.emu
    await file_report(w, w.anna, "Röd skåpbil", photos=1)
    card = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    assert [text for text, _ in card.buttons()] == [
        "✔️ Markera som granskad",
        "👮 Skicka till polisen",
        "🗂 Avsluta rapporten",
        "📝 Lägg till anteckning",
        "🔎 Visa detaljer och foton",
    ]
    await _tap(w, w.carl, card, ObsDetail(1).pack())
    photo = await emu.wait_for_message(w.carl.id, lambda m: m.kind == "photo")
    assert "Röd skåpbil" in (photo.caption or "") and "O-2026-0001" in (photo.caption or "")
    assert ("📝 Lägg till anteckning", ObsNote(1).pack()) in photo.buttons()
    texts = [m for m in emu.sent_messages(w.carl.id) if m.kind == "text" and "Röd" in m.content]
    assert len(texts) == 1  # the notification only: the details are not repeated as text


async def _export(w: World, user, days: int = 30):
    await w.emu.send_text(user, "/export")
    ask = await w.emu.wait_for_message(user.id, lambda m: bool(m.buttons()))
    await w.emu.press_button(user, ask, data=Export(days).pack())
    doc = await w.emu.wait_for_message(user.id, lambda m: m.kind == "document")
    return doc, list(csv.DictReader(io.StringIO(doc.document.decode("utf-8-sig"))))


async def test_a_note_is_read_by_the_groups_coordinators_only_card_detail_and_csv(world: World):
    w, emu = world, world.emu
    await file_report(w, w.anna)
    card = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    await emu.press_button(w.carl, card, data=ObsNote(1).pack())
    ask = await emu.wait_for_message(w.carl.id, lambda m: "anteckning" in m.content)
    assert "bara läsas av gruppens kontaktombud" in ask.content and "polisen" in ask.content
    await emu.send_text(w.carl, "Pratat med grannen")
    saved = await emu.wait_for_message(w.carl.id, lambda m: "sparad" in m.content)
    assert "Bara gruppens kontaktombud" in saved.content
    await _tap(w, w.carl, card, ObsAction(1, TriageAction.FORWARD).pack())
    # The coordinator: card and CSV both show the note.
    await emu.wait_until(lambda: "Pratat med grannen" in card.content)
    _, rows = await _export(w, w.carl)
    assert rows[0]["Anteckningar"].endswith("Pratat med grannen")
    # The police: card, detail and CSV all leave it out.
    police = await emu.wait_for_message(w.pia.id, lambda m: "O-2026-0001" in m.content, after=0)
    await _tap(w, w.pia, police, PoliceDetail(1).pack())
    detail = await emu.wait_for_message(w.pia.id, lambda m: "Status" in m.content, after=police)
    assert "Pratat" not in police.content and "Pratat" not in detail.content
    doc, rows = await _export(w, w.pia)
    assert rows[0]["Referens"] == "O-2026-0001" and rows[0]["Anteckningar"] == ""
    assert "Kolumner:" in doc.caption and doc.filename.startswith("iakttagelser-")
    assert doc.caption.startswith("1 iakttagelse,")


async def test_csv_in_english_for_an_english_coordinator(world: World):
    w = world
    from tests.test_observations_triage import _stored

    await _stored(w, w.group_b, w.bo, category="theft")
    doc, rows = await _export(w, w.dora)
    assert list(rows[0])[:5] == ["Reference", "Reported", "Observed", "Status", "Category"]
    assert rows[0]["Status"] == "new" and rows[0]["Category"] == "Theft"
    assert rows[0]["Exact location"] == "no" and "Columns:" in doc.caption
    assert doc.document.startswith(b"\xef\xbb\xbf") and doc.filename.startswith("observations-")


async def test_filter_picker_in_english_and_refused_to_a_resident(world: World):
    w, emu = world, world.emu
    from handlers.observations_buttons import ObsFilter

    await emu.send_text(w.dora, "/observations")
    page = await emu.wait_for_message(w.dora.id)
    await emu.press_button(w.dora, page, text="🔎 Choose a filter")
    await emu.wait_until(lambda: "Choose a filter" in page.content)
    await emu.press_button(w.dora, page, text="Theft")
    await emu.wait_until(lambda: "✓ Theft" in str(page.buttons()))
    await emu.press_button(w.dora, page, text="↺ Reset the filter")
    await emu.wait_until(lambda: "✓ Theft" not in str(page.buttons()))
    await emu.press_button(w.dora, page, text="✅ Show the observations")
    await emu.wait_until(lambda: "status all · category all · 30 days" in page.content)
    await emu.wait_for_callback_answer()  # the press is answered before the next one
    # A resident pressing a (forged) picker button is refused; so is a forged value.
    await emu.send_text(w.anna, "/minarapporter")
    mine = await emu.wait_for_message(w.anna.id)
    for user, message, data in (
        (w.anna, mine, ObsFilter("a", "a", 30).pack()),
        (w.dora, page, "obsf1:z:a:30"),
    ):
        message.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
        answer = await _tap(w, user, message, data)
        assert "allowed" in str(answer.get("text")) or "inte" in str(answer.get("text")), answer


async def test_reporter_who_blocked_the_bot_gets_the_change_after_coming_back(world: World):
    """Telegram refuses the notice (403, blocked): it is held, not lost, and delivered in
    the report's current state on the reporter's next private message."""
    w, emu = world, world.emu
    await file_report(w, w.anna)
    card = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    w.anna.blocked = True
    await _tap(w, w.carl, card, ObsAction(1, TriageAction.CLOSED).pack())
    db = w.harness.services.db
    for _ in range(100):
        held = await db.fetch_value(
            "SELECT COUNT(*) FROM held_notices WHERE user_id = ? AND viewer = 'resident'",
            (w.anna.id,),
        )
        if held:
            break
        w.harness.clock.advance(seconds=2)
        w.harness.services.delivery.wake()
        await asyncio.sleep(0.05)
    assert held == 1 and not messages_with(w, w.anna, "avslutad av kontaktombuden")
    w.anna.blocked = False
    await emu.send_text(w.anna, "/minarapporter")
    told = await told_of(w, w.anna, "avslutad av kontaktombuden")
    assert "O-2026-0001" in told.content
