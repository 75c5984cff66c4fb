"""The delivery worker inside the real bot, against the emulator: 403, migration, restart."""

from __future__ import annotations

from storage import groups as group_store
from storage import outbox
from storage.outbox import OutgoingMessage, SendText
from tests.scenario import Scenario


async def _register(bot, chat) -> int:
    return await Scenario.of(bot).group(chat.id, chat.title)


async def _enqueue(bot, messages: list[OutgoingMessage]) -> None:
    services = bot.services
    async with services.db.transaction() as conn:
        await outbox.enqueue_many(conn, messages, services.clock.now())
    services.delivery.wake()


async def test_worker_delivers_handles_403_and_migration(bot):
    emu = bot.emu
    ok = emu.add_group("Ekbacken", bot_is_member=True)
    kicked = emu.add_group("Björkvägen", bot_is_member=False)
    old = emu.add_group("Tallstigen", bot_is_member=True)
    ids = [await _register(bot, chat) for chat in (ok, kicked, old)]
    new_chat_id = await emu.upgrade_group(old)
    await _enqueue(
        bot,
        [OutgoingMessage(1, "alert", SendText(f"<b>Larm</b> {n}"), group_id=g, ref_id=1)
         for n, g in enumerate(ids)],
    )  # fmt: skip
    await bot.services.delivery.wait_idle(5)
    assert emu.last_message(ok.id).text == "Larm 0"
    assert emu.sent_messages(kicked.id) == []
    assert emu.last_message(new_chat_id).text == "Larm 2"
    db = bot.services.db
    rows = await outbox.rows_for(db, "alert", 1)
    assert [r.status for r in rows] == ["sent", "skipped", "sent"]
    assert not (await group_store.get_group(db, ids[1])).bot_present
    assert (await group_store.get_group(db, ids[2])).chat_id == new_chat_id
    assert emu.stats.rate_limited == 0


async def test_pending_rows_survive_a_restart(harness):
    emu = harness.emu
    await harness.start()
    try:
        chats = [emu.add_group(f"G{n}", bot_is_member=True) for n in range(3)]
        ids = [await _register(harness, chat) for chat in chats]
        await harness.services.delivery.stop()  # as if the process died before sending
        await _enqueue(
            harness,
            [OutgoingMessage(1, "alert", SendText("hej"), group_id=g, ref_id=2) for g in ids],
        )
        await harness.restart()
        await harness.services.delivery.wait_idle(5)
        for chat in chats:
            assert [m.text for m in emu.sent_messages(chat.id)] == ["hej"]
    finally:
        await harness.stop()
