"""Units: dialogue persistence (bot/persistence.py, storage/persistence.py) and the
idempotent report submission."""

from __future__ import annotations

import os
import pickle
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.clock import FixedClock
from bot.persistence import (
    SqlitePersistence,
    UnreadableData,
    current_states,
    decode_user_data,
    encode_user_data,
    fingerprint,
)
from bot.services.observations import Reach, ReportDraft
from bot.user_data import SavedReport, TipDraft, UserData
from storage import observations as obs_store
from storage import persistence as store
from storage import update_inbox
from storage.db import Database
from storage.observations import NewObservation, Photo
from tests.scenario import Scenario

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _draft() -> ReportDraft:
    return ReportDraft(
        group_id=1, category="theft", observed_at=NOW, place_text="Gatan", description="x",
        photos=[Photo("f1", "u1", 10)], show_identity=False,
    )  # fmt: skip


def test_a_draft_round_trips_and_the_language_cache_is_not_stored():
    draft = _draft()
    saved = SavedReport(5, "O-1", Reach.REACHED)
    blob = encode_user_data(UserData(lang="sv", report_draft=draft, report_saved=saved))
    assert blob is not None
    assert decode_user_data(blob) == UserData(report_draft=draft, report_saved=saved)
    assert encode_user_data(UserData(lang="en")) is None  # nothing worth a row


def test_every_kind_of_draft_value_round_trips():
    from zoneinfo import ZoneInfo

    from bot.services.alerts import Draft

    local = NOW.astimezone(ZoneInfo("Europe/Stockholm"))  # ZoneInfo pickles via getattr
    draft = _draft()
    draft.observed_at = local
    data = UserData(
        alert_draft=Draft(category="burglary", group_ids=[1, 2], photo="file-id"),
        alert_update_id=7,
        report_draft=draft,
        report_step=3,
        report_editing=True,
        report_location=(59.3, 18.0),
        note_observation_id=9,
        tip_draft=TipDraft(tip_id=3, language="en"),
    )
    blob = encode_user_data(data)
    assert blob is not None and decode_user_data(blob) == data


def test_user_data_of_a_version_with_other_attributes_is_read_with_defaults():
    old = UserData(alert_update_id=4)
    del old.__dict__["tip_draft"]  # an attribute this version added
    old.__dict__["gone"] = 1  # one this version removed
    value = decode_user_data(pickle.dumps(old, protocol=5))
    assert value == UserData(alert_update_id=4) and not hasattr(value, "gone")


def test_the_plain_dict_of_older_versions_is_unreadable():
    with pytest.raises(UnreadableData, match="not UserData"):
        decode_user_data(pickle.dumps({"report_draft": _draft()}, protocol=5))


@pytest.mark.parametrize(
    "blob",
    [
        b"\x80\x05junk",
        pickle.dumps(["not", "a", "dict"]),
        pickle.dumps({"x": os.system}),  # a class/function outside the project: refused
    ],
)
def test_unreadable_blobs_are_refused(blob):
    with pytest.raises(UnreadableData):
        decode_user_data(blob)


def test_a_draft_from_a_version_without_a_field_is_refused():
    draft = _draft()
    del draft.__dict__["idempotency_key"]  # as pickled by a version before the field
    with pytest.raises(UnreadableData, match="idempotency_key"):
        decode_user_data(pickle.dumps(UserData(report_draft=draft), protocol=5))


def _conversation(callback_name: str = "step") -> ConversationHandler:
    async def step(update, context):
        return 1

    step.__qualname__ = callback_name
    return ConversationHandler(
        entry_points=[], states={1: [MessageHandler(filters.TEXT, step)]}, fallbacks=[], name="d",
        persistent=True,
    )  # fmt: skip


def test_fingerprint_changes_with_the_steps_only():
    assert fingerprint(_conversation()) == fingerprint(_conversation())
    assert fingerprint(_conversation()) != fingerprint(_conversation("other_step"))


async def test_save_stores_state_and_done_mark_together(db):
    await update_inbox.store_batch(db, [(7, "{}")], NOW)
    changes = store.Changes(user_data={1: b"blob"}, conversations={("d", 10, 1): (3, "fp")})
    await store.save(db, changes, NOW, [7])
    assert await update_inbox.count_unfinished(db) == 0
    assert await store.load_user_data(db) == [(1, b"blob")]
    [row] = await store.load_conversations(db, "d")
    assert (row.chat_id, row.user_id, row.state, row.fingerprint) == (10, 1, 3, "fp")

    await store.mark_lost(db, users=[1])  # unreadable draft: its dialogues are lost
    assert await store.load_conversations(db, "d") == []
    assert await store.load_user_data(db) == []
    assert await store.lost_of_chat(db, 1, 10) == ["d"]
    # Starting the dialogue again replaces the lost one.
    await store.save(db, store.Changes(conversations={("d", 10, 1): (0, "fp")}), NOW)
    assert await store.lost_of_chat(db, 1, 10) == []
    await store.save(db, store.Changes(conversations={("d", 10, 1): None}), NOW)
    assert await store.load_conversations(db, "d") == []


async def test_loading_drops_unreadable_data_changed_steps_and_idle_dialogues(db):
    conversation = _conversation()
    good = encode_user_data(UserData(report_draft=_draft()))
    assert good is not None
    changes = store.Changes(
        user_data={1: good, 2: b"\x80\x05junk"},
        conversations={
            ("d", 10, 1): (1, fingerprint(conversation)),
            ("d", 20, 2): (1, fingerprint(conversation)),
            ("d", 30, 3): (1, "older steps"),
        },
    )
    await store.save(db, changes, NOW)
    await store.save(
        db, store.Changes(conversations={("d", 40, 4): (1, "x")}), NOW - timedelta(days=8)
    )
    persistence = SqlitePersistence(db, FixedClock(NOW))
    persistence._conversations = [conversation]
    persistence._fingerprints = {"d": fingerprint(conversation)}
    assert list(await persistence.get_user_data()) == [1]
    assert await persistence.get_conversations("d") == {(10, 1): 1}
    assert await store.lost_of_chat(db, 2, 20) == ["d"]  # its draft was unreadable
    assert await store.lost_of_chat(db, 3, 30) == ["d"]  # its steps changed
    assert await store.lost_of_chat(db, 4, 40) == []  # idle for 8 days: forgotten


def test_current_states_reads_ptbs_conversation_states(tmp_path):
    """Pins the PTB internal `ConversationHandler._conversations` the persistence reads."""
    from bot.app import build_application
    from config import Settings

    settings = Settings(_env_file=None, bot_token="1:x", database_path=str(tmp_path / "d.db"))  # type: ignore[call-arg]
    app = build_application(settings)
    report = next(h for h in app.handlers[0] if getattr(h, "name", None) == "observation_report")
    report._conversations[(5, 6)] = 7
    assert current_states(app, 5, 6) == [("observation_report", 7)]
    assert current_states(app, 5, 7) == []


async def test_submitting_one_draft_twice_stores_one_report(db):
    group_id = await Scenario(db, NOW).group(-100, "Området", title="G")
    new = NewObservation(group_id, "0180", 1, False, "theft", NOW, "Gatan", None, None, False, "x")
    first = await obs_store.create_observation(db, new, NOW, 2026, NOW, 10, idempotency_key="k")
    again = await obs_store.create_observation(db, new, NOW, 2026, NOW, 10, idempotency_key="k")
    other = await obs_store.create_observation(db, new, NOW, 2026, NOW, 10, idempotency_key="l")
    assert first == again and other is not None and other != first
    assert await db.fetch_value("SELECT COUNT(*) FROM observations") == 2


async def test_upgrading_keeps_dialogues_of_the_in_memory_version_as_lost(tmp_path, monkeypatch):
    """Dialogues recorded by a version without persistence cannot be resumed: after the
    upgrade their people are still told how to start again."""
    import aiosqlite

    import storage.migrations as runner

    every = runner.discover_migrations()
    conn = await aiosqlite.connect(tmp_path / "old.db", isolation_level=None)
    try:
        monkeypatch.setattr(
            runner, "discover_migrations", lambda: [m for m in every if m.version < 15]
        )
        await runner.apply_migrations(conn)
        await conn.execute(
            "INSERT INTO dialogues (user_id, chat_id, name, state, interrupted, updated_at)"
            " VALUES (1, 1, 'observation_report', 7, 0, '2026-11-25T12:00:00.000000Z')"
        )
        monkeypatch.setattr(runner, "discover_migrations", lambda: every)
        await runner.apply_migrations(conn)
    finally:
        await conn.close()
    db = Database(tmp_path / "old.db")
    await db.open()
    try:
        assert await store.lost_of_chat(db, 1, 1) == ["observation_report"]
        assert await store.load_conversations(db, "observation_report") == []
    finally:
        await db.close()


async def test_a_group_update_never_stores_the_persons_half_changed_draft(db):
    """A group update of a person can finish while their private update is half way
    through changing the draft; only updates in the person's own line store it."""
    from types import SimpleNamespace

    from telegram import Chat, Message, Update, User

    person = User(1, "Anna", False)
    group, private = Chat(-100, Chat.SUPERGROUP), Chat(1, Chat.PRIVATE)
    app = SimpleNamespace(user_data={1: UserData(report_draft=_draft())})
    persistence = SqlitePersistence(db, FixedClock(NOW))
    await update_inbox.store_batch(db, [(1, "{}"), (2, "{}")], NOW)

    in_group = Update(1, message=Message(1, NOW, group, from_user=person, text="/hjalp"))
    await persistence.save_taken(persistence.take_changes(app, in_group), [1])  # type: ignore[arg-type]
    assert await store.load_user_data(db) == []
    in_private = Update(2, message=Message(2, NOW, private, from_user=person, text="x"))
    await persistence.save_taken(persistence.take_changes(app, in_private), [2])  # type: ignore[arg-type]
    assert [user for user, _ in await store.load_user_data(db)] == [1]
    assert await update_inbox.count_unfinished(db) == 0


async def test_a_draft_dropped_within_one_batch_of_done_marks_stays_dropped(db):
    """The intake stores the marks of ~50 ms together: a person's second update in that
    time (the draft dropped again) must be compared with the first one's state, not with
    the older one still in the database, or the batch would store the dropped draft."""
    import asyncio
    from types import SimpleNamespace

    from telegram import Chat, Message, Update, User

    from bot.intake import UpdateIntake

    person, private = User(1, "Anna", False), Chat(1, Chat.PRIVATE)
    persistence = SqlitePersistence(db, FixedClock(NOW))
    app = SimpleNamespace(
        user_data={1: UserData(report_draft=_draft())},
        persistence=persistence,
        bot=None,
        update_queue=asyncio.Queue(),
    )
    intake = UpdateIntake(app, db, FixedClock(NOW))  # type: ignore[arg-type]
    await update_inbox.store_batch(db, [(1, "{}"), (2, "{}")], NOW)

    await intake.mark_done(Update(1, message=Message(1, NOW, private, from_user=person, text="a")))
    app.user_data[1] = UserData()  # the next update dropped the draft
    await intake.mark_done(Update(2, message=Message(2, NOW, private, from_user=person, text="b")))
    assert intake.unstored_marks == 2  # one batch
    await intake.flush()
    assert await store.load_user_data(db) == []
    assert await update_inbox.count_unfinished(db) == 0
