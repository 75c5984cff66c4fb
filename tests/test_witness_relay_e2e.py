"""Issue #14: contacting a witness. The police card of a report whose resident agreed to
show their name offers "Kontakta"; messages are relayed both ways through the bot, each
one audited (who, when — not the text), and either side ends it with /avsluta."""

from __future__ import annotations

import json

from handlers.observations_buttons import PoliceDetail
from handlers.witness_buttons import WitnessContact
from storage import groups as group_store
from storage import observation_status
from storage import observations as obs_store
from storage import roles as role_store
from storage.observations import NewObservation
from tests.alerts_helpers import make_police, register_groups


async def _forwarded(bot, gid: int, reporter, show_identity: bool) -> tuple[int, str]:
    services = bot.services
    now = services.clock.now()
    new = NewObservation(
        gid, "0180", reporter.id, show_identity, "theft", now, "Gatan 2", None, None, False,
        "Röd bil utanför",
    )  # fmt: skip
    obs_id, reference = await obs_store.create_observation(services.db, new, now, 2026, now, 1000)
    forwarder = await services.db.fetch_value(
        "SELECT telegram_id FROM users WHERE first_name = 'Cora'"
    )
    await observation_status.forward(services.db, obs_id, "0180", forwarder, now)
    return obs_id, reference


async def _card(emu, officer, reference: str):
    """/inkorg → the report's button → the police card."""
    await emu.send_text(officer, "/inkorg")
    listing = await emu.wait_for_message(officer.id, lambda m: m.buttons())
    n = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, listing, text=reference)
    return await emu.wait_for_message(officer.id, lambda m: reference in m.text, after=n)


async def _world(bot, lang: str = "sv"):
    emu = bot.emu
    officer = emu.add_user("Pelle", username="pelle_polis", language_code=lang)
    resident = emu.add_user("Rut", username="rut_granne", language_code=lang)
    chat = emu.add_group("G", members=[resident], bot_is_member=True)
    (gid,) = await register_groups(bot, [chat])
    cora = emu.add_user("Cora", language_code=lang)  # the coordinator who forwards
    for person in (officer, resident, cora):
        await emu.send_text(person, "/hjalp")
        await emu.wait_for_message(person.id)
    now = bot.services.clock.now()
    await group_store.add_member(bot.services.db, gid, resident.id, "deep_link", now)
    await make_police(bot, officer, "0180")
    return emu, officer, resident, gid


def _everything(message) -> str:
    """All a person could see of a message: its text/caption with markup, and buttons."""
    return json.dumps([message.html, message.content, message.reply_markup], ensure_ascii=False)


async def test_relay_both_ways_audited_ended_and_never_revealing_ids(bot):
    emu, officer, resident, gid = await _world(bot)
    db = bot.services.db
    obs_id, reference = await _forwarded(bot, gid, resident, show_identity=True)
    card = await _card(emu, officer, reference)
    contact = WitnessContact(obs_id).pack()
    assert ("💬 Kontakta", contact) in card.buttons()
    # no display title yet: the resident must be told who contacts them
    cq = await emu.press_button(officer, card, data=contact)
    assert "avsändarnamn med /profil" in (await emu.wait_for_callback_answer(cq["id"]))["text"]
    await emu.send_text(officer, "/profil Kommunpolisen i Sölvesborg")
    await emu.wait_for_message(officer.id)
    officer_start = len(emu.sent_messages(officer.id))
    resident_start = len(emu.sent_messages(resident.id))
    await emu.press_button(officer, card, data=contact)
    told = await emu.wait_for_message(resident.id, after=resident_start)
    assert "Kommunpolisen i Sölvesborg</b> vill kontakta dig om din rapport" in told.html
    assert reference in told.text and "/avsluta" in told.text
    opened = await emu.wait_for_message(officer.id, after=officer_start)
    assert "Kontakt med vittnet till " + reference in opened.text
    # officer → resident
    n = len(emu.sent_messages(resident.id))
    await emu.send_text(officer, "Hej! Kan du beskriva <bilen>?")
    got = await emu.wait_for_message(resident.id, after=n)
    assert got.text == "👮 Kommunpolisen i Sölvesborg:\nHej! Kan du beskriva <bilen>?"
    await emu.wait_for_message(officer.id, lambda m: m.text == "✓ Skickat.")
    # resident → officer
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(resident, "En röd Volvo, ringer gärna 0701234567")
    got = await emu.wait_for_message(officer.id, lambda m: "Volvo" in m.text, after=n)
    assert got.text == f"💬 Vittnet ({reference}):\nEn röd Volvo, ringer gärna 0701234567"
    # only text is passed on
    await emu.wait_for_message(resident.id, lambda m: m.text == "✓ Skickat.")
    n = len(emu.sent_messages(resident.id))
    await emu.send_photo(resident)
    await emu.wait_for_message(resident.id, lambda m: "bara vidare text" in m.text, after=n)
    # a second contact with the same resident is refused while this one is open
    cq = await emu.press_button(officer, card, data=contact)
    assert "redan en pågående kontakt" in (await emu.wait_for_callback_answer(cq["id"]))["text"]
    # the resident ends it; both are told
    n_off = len(emu.sent_messages(officer.id))
    await emu.send_text(resident, "/avsluta")
    assert "avslutad" in (await emu.wait_for_message(resident.id)).text
    ended = await emu.wait_for_message(officer.id, after=n_off)
    assert "Vittnet har avslutat kontakten" in ended.text
    # afterwards nothing is relayed
    n = len(emu.sent_messages(resident.id))
    n_off = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "Är du kvar?")
    pointer = await emu.wait_for_message(officer.id, after=n_off)
    assert "Skickat" not in pointer.text
    assert all("Är du kvar" not in m.text for m in emu.sent_messages(resident.id)[n:])
    # audited: who and when, never the text
    rows = await db.fetch_all(
        "SELECT actor_id, action, details FROM audit_log WHERE action LIKE 'relay.%' ORDER BY id"
    )
    assert [(r["actor_id"], r["action"]) for r in rows] == [
        (officer.id, "relay.start"),
        (officer.id, "relay.message"),
        (resident.id, "relay.message"),
        (resident.id, "relay.end"),
    ]
    assert not any("Volvo" in r["details"] or "bilen" in r["details"] for r in rows)
    # THE test of the issue: neither side ever saw the other's id or username
    for message in emu.sent_messages(resident.id):
        seen = _everything(message)
        assert str(officer.id) not in seen and "pelle_polis" not in seen and "Pelle" not in seen
    for message in emu.sent_messages(officer.id):
        seen = _everything(message)
        assert str(resident.id) not in seen and "rut_granne" not in seen


async def test_officer_ends_in_english_and_anonymous_reports_offer_no_contact(bot):
    emu, officer, resident, gid = await _world(bot, "en")
    _, anonymous_ref = await _forwarded(bot, gid, resident, show_identity=False)
    card = await _card(emu, officer, anonymous_ref)
    assert not any("Contact" in label for label, _ in card.buttons())
    obs_id, reference = await _forwarded(bot, gid, resident, show_identity=True)
    await emu.send_text(officer, "/profile Community police Lund")
    await emu.wait_for_message(officer.id)
    card = await _card(emu, officer, reference)
    n = len(emu.sent_messages(resident.id))
    await emu.press_button(officer, card, data=WitnessContact(obs_id).pack())
    told = await emu.wait_for_message(resident.id, after=n)
    assert "Community police Lund</b> would like to contact you" in told.html
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(resident, "Hello")
    assert (
        "The witness"
        in (await emu.wait_for_message(officer.id, lambda m: "Hello" in m.text, after=n)).text
    )
    n = len(emu.sent_messages(resident.id))
    await emu.send_text(officer, "/end")
    assert "contact is ended" in (await emu.wait_for_message(officer.id)).text
    await emu.wait_for_message(resident.id, lambda m: "has ended the contact" in m.text, after=n)
    await emu.send_text(resident, "/end")
    assert "no open contact" in (await emu.wait_for_message(resident.id)).text
    for message in emu.sent_messages(resident.id):
        seen = _everything(message)
        assert str(officer.id) not in seen and "pelle_polis" not in seen
    for message in emu.sent_messages(officer.id):
        seen = _everything(message)
        assert str(resident.id) not in seen and "rut_granne" not in seen


async def test_forged_contact_is_refused(bot):
    """Police of another kommun, or a report without consent: the button is refused."""
    emu, officer, resident, gid = await _world(bot)
    anonymous_id, anonymous_ref = await _forwarded(bot, gid, resident, show_identity=False)
    card = await _card(emu, officer, anonymous_ref)
    forged = WitnessContact(anonymous_id).pack()
    card.reply_markup["inline_keyboard"].append([{"text": "x", "callback_data": forged}])
    cq = await emu.press_button(officer, card, data=forged)
    assert "behörighet" in (await emu.wait_for_callback_answer(cq["id"]))["text"]
    assert await bot.services.db.fetch_value("SELECT COUNT(*) FROM relay_sessions") == 0
    assert PoliceDetail(anonymous_id)  # the card was the police's own view


async def test_open_contact_survives_a_restart(harness):
    """Who is in a contact is read from storage at start-up: the relay goes on."""
    await harness.start()
    try:
        emu, officer, resident, gid = await _world(harness)
        obs_id, reference = await _forwarded(harness, gid, resident, show_identity=True)
        await emu.send_text(officer, "/profil Kommunpolisen i Lund")
        await emu.wait_for_message(officer.id)
        card = await _card(emu, officer, reference)
        n = len(emu.sent_messages(resident.id))
        await emu.press_button(officer, card, data=WitnessContact(obs_id).pack())
        await emu.wait_for_message(resident.id, after=n)
        await harness.restart()
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(resident, "Efter omstarten")
        got = await emu.wait_for_message(officer.id, lambda m: "Efter omstarten" in m.text, after=n)
        assert got.text.startswith(f"💬 Vittnet ({reference})")
    finally:
        await harness.stop()


async def test_contact_ends_when_the_officer_loses_the_police_role(bot):
    emu, officer, resident, gid = await _world(bot)
    db = bot.services.db
    obs_id, reference = await _forwarded(bot, gid, resident, show_identity=True)
    await emu.send_text(officer, "/profil Kommunpolisen i Lund")
    await emu.wait_for_message(officer.id)
    card = await _card(emu, officer, reference)
    n = len(emu.sent_messages(resident.id))
    await emu.press_button(officer, card, data=WitnessContact(obs_id).pack())
    await emu.wait_for_message(resident.id, after=n)
    await role_store.revoke_roles(db, officer.id, "police", None, None, bot.services.clock.now())
    n = len(emu.sent_messages(resident.id))
    await emu.send_text(officer, "Hemlig fråga")
    answer = await emu.wait_for_message(officer.id, lambda m: "avslutades" in m.text)
    assert "behörigheten har ändrats" in answer.text
    assert all("Hemlig" not in m.text for m in emu.sent_messages(resident.id)[n:])
    assert await db.fetch_value("SELECT COUNT(*) FROM relay_sessions WHERE ended_at IS NULL") == 0
