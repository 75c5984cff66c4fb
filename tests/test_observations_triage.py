"""End-to-end: coordinator triage, forwarding to police, the police inbox, notes, export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from handlers.observations_buttons import (
    Export,
    Handled,
    ObsAction,
    ObsDetail,
    ObsListing,
    ObsNote,
    PoliceDetail,
    TriageAction,
)
from storage import observation_status
from storage import observations as store
from storage.observations import NewObservation
from tests.test_observations_support import World, file_report


async def _stored(
    w: World,
    group_id: int,
    reporter,
    *,
    category="theft",
    description="x",
    show_identity=False,
    minutes_ago=0,
) -> int:
    services = w.harness.services
    now = services.clock.now() - timedelta(minutes=minutes_ago)
    new = NewObservation(
        group_id,
        "0180" if group_id == w.group_a else "1480",
        reporter.id,
        show_identity,
        category,
        now,
        "Gatan 2",
        None,
        None,
        False,
        description,
    )
    obs_id, _ = await store.create_observation(services.db, new, now, 2026, now, 1000)
    return obs_id


async def _tap(w: World, user, message, data: str):
    await w.emu.press_button(user, message, data=data)
    return await w.emu.wait_for_callback_answer()


async def test_resident_to_coordinator_to_police(world: World):
    w, emu = world, world.emu
    confirmation = await file_report(
        w,
        w.anna,
        "Okänd <i>bil</i> & man",
        location=(59.3123456, 18.0712345),
        photos=2,
        show_identity=True,
    )
    assert "O-2026-0001" in confirmation
    note = await emu.wait_for_message(w.carl.id)
    assert "59.3123456" in note.html  # the resident chose exact
    assert "Okänd <i>bil</i> & man" in note.content and "Anna" in note.content

    # Coordinator opens the detail with photos.
    answer = await _tap(w, w.carl, note, ObsDetail(1).pack())
    assert answer.get("text") in (None, "")
    photos = await emu.wait_until(
        lambda: (
            [m for m in emu.sent_messages(w.carl.id) if m.kind == "photo"][:2]
            if len([m for m in emu.sent_messages(w.carl.id) if m.kind == "photo"]) >= 2
            else None
        )
    )
    # The photos carry the card (an album, the card as the first photo's caption) and
    # the actions follow in one short line: the text is not sent twice.
    assert "O-2026-0001" in photos[0].caption and "Okänd <i>bil</i> & man" in photos[0].caption
    assert photos[1].caption is None and photos[0].method == "sendMediaGroup"
    actions = await emu.wait_for_message(w.carl.id, lambda m: "Vad vill du göra" in m.content)
    assert ("📝 Lägg till anteckning", ObsNote(1).pack()) in actions.buttons()
    assert not [
        m for m in emu.sent_messages(w.carl.id) if m.kind == "text" and "Okänd" in m.content
    ][1:]

    # Note as a short follow-up step.
    await emu.press_button(w.carl, note, data=ObsNote(1).pack())
    ask = await emu.wait_for_message(w.carl.id, lambda m: "anteckning" in m.content)
    await emu.send_text(w.carl, "Pratat med <grannen>")
    saved = await emu.wait_for_message(w.carl.id, after=ask)
    assert "sparad" in saved.content

    # Forward to police of kommun 0180: Pia gets it, Olle (1480) does not.
    answer = await _tap(w, w.carl, note, ObsAction(1, TriageAction.FORWARD).pack())
    assert "1 mottagare" in answer["text"]
    police = await emu.wait_for_message(w.pia.id)
    assert "grannsamverkan" in police.content and "Anna" in police.content
    assert "Pratat med" not in police.content  # coordinators' notes stay with coordinators
    assert emu.sent_messages(w.olle.id) == []
    await emu.wait_until(lambda: "skickad till polisen" in note.content)
    assert (
        "✔️ Markera som granskad",
        ObsAction(1, TriageAction.REVIEWED).pack(),
    ) not in note.buttons()

    # Police inbox, detail, handled.
    await emu.send_text(w.pia, "/inkorg")
    inbox = await emu.wait_for_message(w.pia.id, lambda m: "inkorg" in m.content)
    assert "🔔 O-2026-0001" in inbox.content
    await _tap(w, w.pia, inbox, PoliceDetail(1).pack())
    await emu.wait_until(lambda: [m for m in emu.sent_messages(w.pia.id) if m.kind == "photo"])
    answer = await _tap(w, w.pia, police, Handled(1).pack())
    assert "hanterad" in answer["text"].lower()
    obs = await store.get_observation(w.harness.services.db, 1)
    assert obs is not None and obs.status == "forwarded" and obs.handled_at is not None
    assert [n.text for n in obs.notes] == ["Pratat med <grannen>"]

    # The resident sees the new status.
    await emu.send_text(w.anna, "/minarapporter")
    mine = await emu.wait_for_message(w.anna.id, lambda m: "Dina rapporter" in m.content)
    assert "skickad till polisen" in mine.content and mine.buttons() == []


async def test_forged_and_cross_group_callbacks_are_refused(world: World):
    w, emu = world, world.emu
    obs_a = await _stored(w, w.group_a, w.anna)
    await emu.send_text(w.dora, "/observations")
    listing = await emu.wait_for_message(w.dora.id)
    assert "No observations" in listing.content
    for data in (
        ObsDetail(obs_a).pack(),
        ObsAction(obs_a, TriageAction.CLOSED).pack(),
        ObsNote(obs_a).pack(),
        PoliceDetail(obs_a).pack(),
        Handled(obs_a).pack(),
        ObsListing("z", "a", 30, 0).pack(),
        ObsAction.head() + ":1:zz",
        Export(9999).pack(),
    ):
        listing.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
        answer = await _tap(w, w.dora, listing, data)
        assert "not allowed" in answer["text"], data
    obs = await store.get_observation(w.harness.services.db, obs_a)
    assert obs is not None and obs.status == "new" and not obs.notes
    # Police of another kommun cannot see it even once forwarded.
    await observation_status.forward(
        w.harness.services.db, obs_a, "0180", w.carl.id, w.harness.clock.now()
    )
    await emu.send_text(w.olle, "/inbox")
    inbox = await emu.wait_for_message(w.olle.id)
    assert "Nothing has been forwarded" in inbox.content
    inbox.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": PoliceDetail(obs_a).pack()}]]
    }
    assert "not allowed" in (await _tap(w, w.olle, inbox, PoliceDetail(obs_a).pack()))["text"]
    # A resident has no coordinator views.
    await emu.send_text(w.anna, "/observationer")
    assert "kontaktombud" in (await emu.wait_for_message(w.anna.id)).content
    await emu.send_text(w.anna, "/inkorg")
    assert "poliser" in (await emu.wait_for_message(w.anna.id)).content


async def test_listing_pages_and_filters(world: World):
    w, emu = world, world.emu
    for i in range(7):
        await _stored(w, w.group_a, w.anna, category="theft" if i % 2 else "drugs", minutes_ago=i)
    await _stored(w, w.group_b, w.bo)  # Dora's group: never in Carl's list
    await emu.send_text(w.carl, "/observationer")
    page = await emu.wait_for_message(w.carl.id)
    assert "sida 1" in page.content and page.content.count("O-2026-") == 5
    assert "O-2026-0007" in page.content and "Majorna" not in page.content
    await _tap(w, w.carl, page, ObsListing("a", "a", 30, 1).pack())
    await emu.wait_until(lambda: "sida 2" in page.content)
    assert page.content.count("O-2026-") == 2
    # The filter is a picker that shows every choice (✓ on the chosen), not cycling buttons.
    await emu.press_button(w.carl, page, text="🔎 Välj filter")
    await emu.wait_until(lambda: "Välj filter" in page.content)
    texts = [text for text, _ in page.buttons()]
    assert "✓ alla" in texts and "Misstänkt person" in texts and "✓ 30 dagar" in texts
    assert {"ny", "granskad", "skickad till polisen", "avslutad", "allt"} <= set(texts)
    await emu.press_button(w.carl, page, text="Misstänkt person")
    await emu.wait_until(lambda: "✓ Misstänkt person" in str(page.buttons()))
    await emu.press_button(w.carl, page, text="✅ Visa iakttagelserna")
    await emu.wait_until(lambda: "kategori Misstänkt person" in page.content)
    assert "Inga iakttagelser" in page.content
    await emu.press_button(w.carl, page, text="🔎 Välj filter")
    await emu.wait_until(lambda: "Välj filter" in page.content)
    await emu.press_button(w.carl, page, text="Narkotika")
    await emu.wait_until(lambda: "✓ Narkotika" in str(page.buttons()))
    await emu.press_button(w.carl, page, text="ny")
    await emu.wait_until(lambda: "✓ ny" in str(page.buttons()))
    await emu.press_button(w.carl, page, text="✅ Visa iakttagelserna")
    await emu.wait_until(lambda: "status ny · kategori Narkotika" in page.content)
    assert page.content.count("Narkotika") == 5  # the filter line and four items
    # Reset from the list: everything again.
    await emu.press_button(w.carl, page, text="↺ Återställ filtret")
    await emu.wait_until(lambda: "status alla · kategori alla · 30 dagar" in page.content)
    assert page.content.count("O-2026-") == 5
    page.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": ObsListing("c", "a", 0, 0).pack()}]]
    }
    await _tap(w, w.carl, page, ObsListing("c", "a", 0, 0).pack())
    await emu.wait_until(lambda: "Inga iakttagelser" in page.content)
    # All data stays well under 64 bytes.
    assert all(len((d or "").encode()) <= 64 for _, d in page.buttons())


async def test_export_csv_round_trip_with_formula_guard(world: World):
    w, emu = world, world.emu
    await _stored(w, w.group_a, w.anna, description='=HYPERLINK("http://x")', show_identity=True)
    await _stored(w, w.group_a, w.bo, description='-5 + @bilar, "citat"\nrad två')
    await _stored(w, w.group_b, w.bo, description="Majorna")
    await emu.send_text(w.carl, "/export")
    ask = await emu.wait_for_message(w.carl.id)
    await emu.press_button(w.carl, ask, data=Export(30).pack())
    doc = await emu.wait_for_message(w.carl.id, lambda m: m.kind == "document")
    assert doc.document.startswith(b"\xef\xbb\xbf") and doc.filename.endswith(".csv")
    assert "2 iakttagelser" in doc.caption
    rows = list(csv.DictReader(io.StringIO(doc.document.decode("utf-8-sig"))))
    assert [r["Referens"] for r in rows] == ["O-2026-0001", "O-2026-0002"]
    assert rows[0]["Beskrivning"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["Rapportör"] == "Anna" and rows[1]["Rapportör"] == ""
    assert rows[1]["Beskrivning"] == '\'-5 + @bilar, "citat"\nrad två'
    assert rows[0]["Område"] == "Björkhagen <Norra>" and rows[0]["Kommunkod"] == "0180"
    assert rows[0]["Status"] == "ny" and rows[0]["Kategori"] == "Stöld"
    # Police get only what was forwarded to their kommun.
    await observation_status.forward(
        w.harness.services.db, 2, "0180", w.carl.id, w.harness.clock.now()
    )
    await emu.send_text(w.pia, "/export")
    ask = await emu.wait_for_message(w.pia.id)
    await emu.press_button(w.pia, ask, data=Export(7).pack())
    doc = await emu.wait_for_message(w.pia.id, lambda m: m.kind == "document")
    rows = list(csv.DictReader(io.StringIO(doc.document.decode("utf-8-sig"))))
    assert [r["Referens"] for r in rows] == ["O-2026-0002"] and rows[0]["Till polisen"]
    # Residents may not export: told at the command, not after choosing a period.
    await emu.send_text(w.anna, "/export")
    refusal = await emu.wait_for_message(w.anna.id)
    assert "kontaktombud" in refusal.text and not refusal.buttons()
