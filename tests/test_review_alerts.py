"""Review: an alert with a photo must fit Telegram's 1024-character caption in every group.

The header of the Swedish alert is a few characters longer than the English one, so a text
that fits under an English officer's photo may not fit in a Swedish group's caption.
"""

from __future__ import annotations

from bot.services import alerts as service
from handlers.alerts_buttons import AlertConfirm, AlertTarget, AlertType, Target
from tests.alerts_helpers import answer_details, make_police, register_groups


async def test_photo_caption_checked_for_the_groups_language(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    chats = [emu.add_group("Grannar", bot_is_member=True)]
    await register_groups(bot, chats, language="sv")
    await make_police(bot, officer, "0180")
    now, tz = bot.services.clock.now(), bot.services.settings.tzinfo
    chrome = {
        lang: service.visible_length(service.render_alert(lang, "burglary", "", now, tz))
        for lang in ("sv", "en")
    }
    assert chrome["sv"] > chrome["en"]
    body = "x" * (service.CAPTION_LIMIT - chrome["en"])  # fits in English, not in Swedish

    await emu.send_text(officer, "/alert")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("burglary").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target.ALL).pack())
    await emu.wait_until(lambda: not prompt.reply_markup and prompt.edited and prompt)
    await emu.send_text(officer, body)
    await emu.wait_for_message(officer.id, lambda m: "photo" in m.content)
    await emu.send_photo(officer)
    answer = await emu.wait_for_message(officer.id)
    said = f"The text is {len(body)} characters long, but with a photo at most about"
    assert said in answer.content, answer.content
    # the dialogue goes on: skipping the photo still leads to the preview and Send
    n = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "/skip")
    n = await answer_details(emu, officer, n, None, None)
    confirm = await emu.wait_for_message(
        officer.id,
        lambda m: any(d == AlertConfirm(send=True).pack() for _, d in m.buttons()),
        after=n,
    )
    await emu.press_button(officer, confirm, data=AlertConfirm(send=True).pack())
    delivered = await emu.wait_for_message(chats[0].id, after=0)
    assert body in delivered.content


def test_body_fits_photo_in_every_language():
    from datetime import UTC, datetime

    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    for category in service.CATEGORIES:
        for lang in ("sv", "en"):
            chrome = service.visible_length(service.render_alert(lang, category, "", now, UTC))
            body = "y" * (service.CAPTION_LIMIT - chrome)
            if service.body_fits_photo(lang, category, body, now, UTC):
                for other in ("sv", "en"):
                    text = service.render_alert(other, category, body, now, UTC)
                    assert service.fits(text, with_photo=True), (category, lang, other)
