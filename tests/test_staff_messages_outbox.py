"""Messages the bot sends on its own account (not answers to the person's own update) go
through the outbox (issue #11 §5): the group explanation after /register and the
officer's alert report. A failed send is retried by the delivery worker instead of being
lost in a handler's own error handling."""

from __future__ import annotations

from bot.services.alerts import KIND_REPORT
from tests.alerts_helpers import compose_alert, make_police, register_groups, text_of


async def test_group_explanation_survives_a_failed_send(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    grp = emu.add_group("Möllebacken", admins=[anna], bot_is_member=True)
    # Telegram answers the explanation's first send with a 502: a direct send lost it.
    rule = emu.faults.add("5xx", "sendMessage", predicate=lambda p: "112" in str(p.get("text")))
    await emu.send_text(anna, "/registrera Norra Möllebacken, Sölvesborg", chat=grp)
    explanation = await emu.wait_for_message(grp.id, lambda m: m.buttons(), timeout=15)
    assert rule.fired == 1
    assert "112" in explanation.text
    # Sent directly (it is pinned where the bot may pin, which needs its message id) and
    # retried after the 502: it arrives once.
    assert len([m for m in emu.sent_messages(grp.id) if "112" in (m.text or "")]) == 1


async def test_alert_report_is_an_outbox_row_and_survives_a_failed_edit(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="en")
    chats = [emu.add_group("G", bot_is_member=True)]
    await register_groups(bot, chats, language="en")
    await make_police(bot, officer)
    rule = emu.faults.add(
        "5xx", "editMessageText", predicate=lambda p: "Delivered" in str(p.get("text"))
    )
    confirm = await compose_alert(emu, officer, "Bike thefts at the station")
    await text_of(emu, confirm, "Delivered: 1 of 1", wait=15)
    assert rule.fired == 1
    await bot.services.delivery.wait_idle()
    rows = await bot.services.db.fetch_all(
        "SELECT status, chat_id FROM outbox WHERE kind = ?", (KIND_REPORT,)
    )
    assert [tuple(r) for r in rows] == [("sent", officer.id)]
