"""A 429 for one chat pauses that chat only (issue #9 §5), end to end through the emulator:
an alert to four groups, Telegram answers 429 "retry after 15" for one of them; the other
groups get the alert and a resident's /help is answered while that one group waits."""

from __future__ import annotations

from storage import outbox
from tests.alerts_helpers import compose_alert, make_police, register_groups

RETRY_AFTER = 15


async def test_429_for_one_group_pauses_only_that_group(bot):
    emu = bot.emu
    officer = emu.add_user("Olle", language_code="sv")
    resident = emu.add_user("Rut", language_code="sv")
    chats = [emu.add_group(f"Grupp {n}", bot_is_member=True) for n in range(4)]
    await register_groups(bot, chats)
    await make_police(bot, officer, "0180")
    flooded = chats[1]
    rule = emu.faults.add(
        "error",
        "sendMessage",
        count=None,
        predicate=lambda p: int(p["chat_id"]) == flooded.id,
        code=429,
        description=f"Too Many Requests: retry after {RETRY_AFTER}",
        parameters={"retry_after": RETRY_AFTER},
    )
    await compose_alert(emu, officer, "Inbrott i området, lås dörrarna.")
    others = [c for c in chats if c is not flooded]
    # Before the fix everyone waited the 15 s; these waits are far shorter than that.
    for chat in others:
        await emu.wait_for_message(chat.id, timeout=8)
    await emu.wait_until(lambda: rule.fired >= 1, 5, "the injected 429")
    before = len(emu.sent_messages(resident.id))
    await emu.send_text(resident, "/help")
    await emu.wait_for_message(resident.id, after=before, timeout=8)

    assert emu.sent_messages(flooded.id) == []
    assert rule.fired == 1  # the paused group was not asked again (and refused again)
    limiter = bot.app.bot.rate_limiter
    assert limiter.chat_paused_for(flooded.id) > RETRY_AFTER - 8
    assert not limiter.globally_paused
    services = bot.services
    alert_rows = [r for r in await outbox.rows_for(services.db, "alert", 1)]
    waiting = [r for r in alert_rows if r.status == "pending"]
    assert len(waiting) == 1 and waiting[0].not_before is not None
    ahead = (waiting[0].not_before - services.clock.now()).total_seconds()
    assert ahead > RETRY_AFTER - 8  # back in the outbox until the pause ends
    assert services.delivery.in_flight == 0  # holding no send slot meanwhile
    assert [r.status for r in alert_rows].count("sent") == 3
