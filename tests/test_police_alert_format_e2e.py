"""Issue #14: the richer alert (sender line from /profil, "Läs mer" link, event number),
its preview in each group language, and "Dela vidare" (Telegram's share dialog)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.services import alert_format
from bot.services.refusals import Refused
from handlers.alerts_buttons import AlertConfirm, AlertPhotoSkip, AlertTarget, AlertType, Target
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of

LINK = "https://polisen.se/aktuellt/handelser/2026/november/30/inbrott-solvesborg/"
EVENT = "5000-K123456-26"


@pytest.mark.parametrize(
    "raw",
    ["http://polisen.se/", "javascript:alert(1)", "https://", "polisen.se", "https://x",
     'https://polisen.se/"><b>', "https://user:pw@polisen.se/", "https://a b.se/",
     "https://polisen.se/" + "x" * 600],
)  # fmt: skip
def test_bad_links_are_refused(raw):
    with pytest.raises(Refused):
        alert_format.clean_link(raw)


def test_good_links_and_event_numbers():
    assert alert_format.clean_link(f"  {LINK} ") == LINK
    assert alert_format.clean_link("https://www.krisinformation.se/x?y=1") is not None
    assert alert_format.clean_event_number(" 5000-K123456-26 ") == EVENT
    for bad in ("<b>", "x", "1" * 41, "5000;K1"):
        with pytest.raises(Refused):
            alert_format.clean_event_number(bad)


async def _share_of(message) -> dict[str, str]:
    url = next(
        b["url"] for row in message.reply_markup["inline_keyboard"] for b in row if "url" in b
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "t.me", "/share/url")
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


async def test_sender_line_link_event_number_and_share_in_each_language(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", username="olle_polis", language_code="sv")
    sv_chat, en_chat = (
        emu.add_group("SV", bot_is_member=True),
        emu.add_group("EN", bot_is_member=True),
    )
    await register_groups(bot, [sv_chat], "1083")
    await register_groups(bot, [en_chat], "1083", language="en")
    await make_police(bot, officer, "1083")
    await emu.send_text(officer, "/profil")
    assert "inget avsändarnamn" in (await emu.wait_for_message(officer.id)).text
    await emu.send_text(officer, "/profil   Kommunpolisen i   Sölvesborg ")
    saved = await emu.wait_for_message(officer.id)
    assert "Ditt avsändarnamn är nu Kommunpolisen i Sölvesborg" in saved.text
    await emu.send_text(officer, "/profil x")
    assert "3–64 tecken" in (await emu.wait_for_message(officer.id)).text
    before = len(emu.sent_messages(officer.id))
    confirm = await compose_alert(
        emu, officer, "Inbrott på Ekvägen i natt", link=LINK, event_number=EVENT
    )
    previews = [m for m in emu.sent_messages(officer.id)[before:] if "Polisen informerar" in m.text
                or "Police alert" in m.text]  # fmt: skip
    assert len(previews) == 2  # one preview per group language, the officer's first
    assert "På svenska" in previews[0].text and "In English" in previews[1].text
    assert "Förhandsvisningar ovan" in confirm.text
    report = await text_of(emu, confirm, "Levererat: 2 av 2")
    assert report
    sv_msg, en_msg = emu.last_message(sv_chat.id), emu.last_message(en_chat.id)
    assert "Avsändare: <b>Kommunpolisen i Sölvesborg</b>" in sv_msg.html
    assert f'<a href="{LINK}">Läs mer</a>' in sv_msg.html
    assert f"Händelsenummer: {EVENT}" in sv_msg.text
    assert "From: <b>Kommunpolisen i Sölvesborg</b>" in en_msg.html
    assert (
        f'<a href="{LINK}">Read more</a>' in en_msg.html and f"Event number: {EVENT}" in en_msg.text
    )
    # the preview showed exactly what each group got (below its language heading)
    # The preview is what residents get, but for the minute in its time line (the real clock
    # may pass a minute between preview and sending).
    assert _timeless(previews[0].text).endswith(_timeless(sv_msg.text))
    assert _timeless(previews[1].text).endswith(_timeless(en_msg.text))
    for message, label in ((sv_msg, "📤 Dela vidare"), (en_msg, "📤 Share")):
        assert [label] in [
            [b["text"] for b in row] for row in message.reply_markup["inline_keyboard"]
        ]
        shared = await _share_of(message)
        assert shared["url"] == LINK
        assert "Inbrott på Ekvägen i natt" in shared["text"] and EVENT in shared["text"]
        # plain text, and nothing about the sender or the group
        for personal in (str(officer.id), "olle_polis", "Olle", "Sölvesborg", "SV", "<"):
            assert personal not in shared["text"], personal
    stored = await bot.services.db.fetch_one("SELECT * FROM alert_details")
    assert (stored["sender_title"], stored["link"], stored["event_number"]) == (
        "Kommunpolisen i Sölvesborg", LINK, EVENT,
    )  # fmt: skip


async def test_optional_steps_skipped_and_bad_input_answered_in_english(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    chat = emu.add_group("G", bot_is_member=True)
    await register_groups(bot, [chat], language="en")
    await make_police(bot, officer)
    await emu.send_text(officer, "/alert")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("theft").pack())
    everyone = AlertTarget(Target.ALL).pack()
    await emu.wait_until(lambda: any(d == everyone for _, d in prompt.buttons()))
    await emu.press_button(officer, prompt, data=everyone)
    await text_of(emu, prompt, "Write the alert text")
    await emu.send_text(officer, "Bike thefts at the station")
    photo_ask = await emu.wait_for_message(officer.id, lambda m: m.buttons())
    n = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, photo_ask, data=AlertPhotoSkip().pack())
    link_ask = await emu.wait_for_message(officer.id, after=n)
    assert "Read more" in link_ask.text
    for bad in ("http://polisen.se/x", "javascript:alert(1)"):
        n = len(emu.sent_messages(officer.id))
        await emu.send_text(officer, bad)
        assert "not a valid link" in (await emu.wait_for_message(officer.id, after=n)).text
    n = len(emu.sent_messages(officer.id))
    await emu.share_location(officer, 56.0, 14.0)  # not text: please type, and the question
    again = (await emu.wait_for_message(officer.id, after=n)).text
    assert "please type it" in again and "Read more" in again
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "/skip")
    event_ask = await emu.wait_for_message(officer.id, after=n)
    assert "event number" in event_ask.text
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "<script>")
    assert "may only contain" in (await emu.wait_for_message(officer.id, after=n)).text
    n = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, event_ask, text="Skip")
    confirm = await emu.wait_for_message(
        officer.id, lambda m: any(d == AlertConfirm(True).pack() for _, d in m.buttons()), after=n
    )
    assert "/profile" in confirm.text  # a hint: no sender name chosen yet
    await emu.press_button(officer, confirm, data=AlertConfirm(True).pack())
    await text_of(emu, confirm, "Delivered: 1 of 1")
    delivered = emu.last_message(chat.id)
    assert "From:" not in delivered.text and "Read more" not in delivered.text
    shared = await _share_of(delivered)
    assert shared["url"] == "https://polisen.se/" and "Bike thefts" in shared["text"]


async def test_profile_is_for_police_only(bot):
    emu = bot.emu
    resident = emu.add_user("Rut", language_code="sv")
    await emu.send_text(resident, "/profil Kommunpolisen")
    assert "/profil är för poliser" in (await emu.wait_for_message(resident.id)).text
    assert await bot.services.db.fetch_value("SELECT COUNT(*) FROM police_profiles") == 0


def _timeless(text: str) -> str:
    """The alert text with its clock times ("kl. 06.56", "06:56") blanked."""
    return re.sub(r"\d{2}[.:]\d{2}", "hh:mm", text)
