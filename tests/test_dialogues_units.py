"""Units: what the catch-all knows of each dialogue, and which steps want buttons."""

from __future__ import annotations

from bot.app import build_application
from config import Settings
from handlers import alerts_draft, tips_library
from handlers.dialogues import INFO_KEY, track_dialogues


def test_every_dialogue_is_tracked_with_its_button_steps(tmp_path):
    settings = Settings(_env_file=None, bot_token="1:x", database_path=str(tmp_path / "d.db"))  # type: ignore[call-arg]
    app = build_application(settings)
    track_dialogues(app)
    found = app.bot_data[INFO_KEY]
    assert set(found) >= {
        "observation_report", "alert_compose", "alert_update", "observation_note", "tips_library"
    }  # fmt: skip
    a = alerts_draft
    assert found["alert_compose"].button_states == {
        a.TYPE, a.TARGET, a.KOMMUN, a.GROUPS, a.RADIUS, a.NEAR, a.CONFIRM
    }  # fmt: skip
    assert found["tips_library"].button_states == {tips_library.FOCUS, tips_library.SEASON}
    assert found["alert_update"].button_states == frozenset()
    assert found["observation_report"].command_for("sv") == "rapportera"
    track_dialogues(app)  # idempotent
    assert app.bot_data[INFO_KEY] is found
