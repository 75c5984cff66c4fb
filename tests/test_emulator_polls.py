"""The emulator's polls: sendPoll, members voting (`poll` updates with totals only), stopPoll."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from telegram import Bot, InputPollOption
from telegram.error import BadRequest

from bot import delivery_ops
from storage import surveys as survey_store
from storage.db import Database
from storage.groups import ensure_group
from storage.outbox import SendOp
from tests.harness import fixed_clock


@pytest.fixture
async def tg(emu):
    b = Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url)
    async with b:
        yield b


async def test_votes_emit_anonymous_totals_and_stop_poll_closes(emu, tg):
    ann, bo = emu.add_user("Ann"), emu.add_user("Bo")
    outsider = emu.add_user("Ulf")
    chat = emu.add_group("G", members=[ann, bo], bot_is_member=True)
    sent = await tg.send_poll(chat.id, "Q?", [InputPollOption("A"), InputPollOption("B")])
    message = emu.last_message(chat.id)
    assert message.kind == "poll" and sent.poll.is_anonymous

    update = emu.vote(ann, message, [0])
    emu.vote(bo, message, [0])
    emu.vote(bo, message, [1])  # changed their mind
    poll = update["poll"]
    assert set(update) == {"update_id", "poll"}  # no poll_answer, nobody named
    assert poll["options"][0]["voter_count"] == 1  # the update is a snapshot
    assert [o["voter_count"] for o in emu.poll_of(message)["options"]] == [1, 1]
    emu.vote(ann, message, [])  # retracted
    assert emu.poll_of(message)["total_voter_count"] == 1
    with pytest.raises(AssertionError):
        emu.vote(outsider, message, [0])
    assert all(str(ann.id) not in str(u) for u in emu.all_updates if "poll" in u)

    stopped = await tg.stop_poll(chat.id, message.message_id)
    assert stopped.is_closed and [o.voter_count for o in stopped.options] == [0, 1]
    assert emu.all_updates[-1]["poll"]["is_closed"] is True
    with pytest.raises(BadRequest, match="already been closed"):
        await tg.stop_poll(chat.id, message.message_id)
    with pytest.raises(AssertionError):
        emu.vote(ann, message, [0])


async def test_a_poll_sent_after_its_survey_closed_is_stopped_at_once(emu, tg, tmp_path):
    """The close happened while the poll was on its way (its row was already claimed)."""
    db = Database(tmp_path / "d.db")
    await db.open()
    try:
        chat = emu.add_group("G", bot_is_member=True)
        now = fixed_clock().now()
        group = await ensure_group(db, chat.id, "G", now)
        async with db.transaction() as conn:
            survey_id = await survey_store.insert_survey(
                conn, 1, "sv", "Q?", ["A", "B"], now, [group.id], now
            )
            await survey_store.mark_closed(conn, survey_id, now)
        poll = SendOp("poll", {"question": "Q?", "options": ["A", "B"]})
        row = SimpleNamespace(ref_id=survey_id, group_id=group.id)
        message_id = await delivery_ops.send(tg, db, chat.id, row, poll, {})  # type: ignore[arg-type]
        assert emu.poll_of(emu.last_message(chat.id))["is_closed"]
        (result,) = await survey_store.poll_results(db, survey_id)
        assert result.message_id == message_id and result.is_closed
    finally:
        await db.close()
