"""Units: the dialogue record that outlives a restart, and which steps want buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import build_application
from bot.services import dialogues as service
from config import Settings
from handlers import alerts_draft, tips_library
from handlers.dialogues import INFO_KEY, track_dialogues
from storage.db import Database

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


async def test_dialogue_record_lifecycle(tmp_path):
    db = Database(tmp_path / "d.db")
    await db.open()
    try:
        await service.moved(db, NOW, 1, 1, "observation_report", 3)
        await service.moved(db, NOW, 1, 1, "observation_report", 4)  # one row per dialogue
        await service.moved(db, NOW - timedelta(days=8), 2, 2, "alert_compose", 4)
        [running] = await service.of_chat(db, 1, 1)
        assert (running.name, running.state, running.interrupted) == (
            "observation_report",
            4,
            False,
        )

        await service.lost_at_startup(db, NOW)
        [lost] = await service.of_chat(db, 1, 1)
        assert lost.interrupted
        assert await service.of_chat(db, 2, 2) == []  # too old to mention: dropped

        await service.moved(db, NOW, 1, 1, "alert_compose", 0)  # a new dialogue is live
        await service.told_interrupted(db, 1, 1)
        [live] = await service.of_chat(db, 1, 1)
        assert (live.name, live.interrupted) == ("alert_compose", False)
        await service.ended(db, 1, 1, "alert_compose")
        assert await service.of_chat(db, 1, 1) == []
    finally:
        await db.close()


def test_every_dialogue_is_tracked_with_its_button_steps(tmp_path):
    settings = Settings(_env_file=None, bot_token="1:x", database_path=str(tmp_path / "d.db"))  # type: ignore[call-arg]
    app = build_application(settings)
    track_dialogues(app)
    found = app.bot_data[INFO_KEY]
    assert set(found) >= {
        "observation_report", "alert_compose", "alert_update", "observation_note", "tips_library"
    }  # fmt: skip
    a = alerts_draft
    assert found["alert_compose"].button_states == {a.TYPE, a.TARGET, a.KOMMUN, a.GROUPS, a.CONFIRM}
    assert found["tips_library"].button_states == {tips_library.FOCUS, tips_library.SEASON}
    assert found["alert_update"].button_states == frozenset()
    assert found["observation_report"].command_for("sv") == "rapportera"
    track_dialogues(app)  # idempotent: callbacks are wrapped once
    conversation = next(h for h in app.handlers[0] if getattr(h, "name", None) == "alert_compose")
    callback = conversation.entry_points[0].callback
    assert callback.__wrapped__.__name__ == "start"
    assert not hasattr(callback.__wrapped__, "__wrapped__")
