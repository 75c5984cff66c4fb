"""The people service on the per-update path: what it reads and writes, and its memory."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FixedClock
from bot.services.people import PeopleService, Profile
from storage import users
from storage.db import Database

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ANNA = Profile(700_000_001, "Anna", None, "anna", "sv")


async def _statements(db: Database, call) -> list[str]:
    """The reads and writes (first word of each statement) a call runs, in order."""
    seen: list[str] = []

    def record(sql: str) -> None:
        word = sql.split()[0].upper()
        if word in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            seen.append(word)

    await db.set_trace_callback(record)
    try:
        result = await call()
    finally:
        await db.set_trace_callback(None)
    seen.append(f"-> {result}")
    return seen


async def test_first_sight_stores_the_person_and_repeats_touch_no_storage(db):
    people = PeopleService(db, FixedClock(NOW), "sv")
    first = await _statements(db, lambda: people.seen(ANNA))
    assert first == ["SELECT", "INSERT", "-> sv"]
    record = await users.get_user(db, ANNA.user_id)
    assert record is not None and record.created_at == NOW and record.username == "anna"
    assert await _statements(db, lambda: people.seen(ANNA)) == ["-> sv"]


async def test_known_unchanged_person_after_a_restart_is_read_not_written(db):
    await PeopleService(db, FixedClock(NOW), "sv").seen(ANNA)
    restarted = PeopleService(db, FixedClock(NOW), "sv")
    assert await _statements(db, lambda: restarted.seen(ANNA)) == ["SELECT", "-> sv"]


async def test_a_changed_telegram_language_is_stored_and_used(db):
    clock = FixedClock(NOW)
    people = PeopleService(db, clock, "sv")
    assert await people.seen(ANNA) == "sv"
    clock.advance(minutes=1)
    english = Profile(ANNA.user_id, "Anna", None, "anna", "en-GB")
    assert await people.seen(english) == "en"
    record = await users.get_user(db, ANNA.user_id)
    assert record is not None
    assert record.telegram_language_code == "en-GB" and record.created_at == NOW
    assert record.updated_at > NOW
    assert await PeopleService(db, clock, "sv").language_of(ANNA.user_id) == "en"


async def test_an_explicit_choice_outlives_profile_changes_and_restarts(db):
    people = PeopleService(db, FixedClock(NOW), "sv")
    await people.seen(ANNA)
    await people.choose_language(ANNA.user_id, "en")
    renamed = Profile(ANNA.user_id, "Anna-Karin", None, "anna", "sv")
    assert await people.seen(renamed) == "en"
    restarted = PeopleService(db, FixedClock(NOW), "sv")
    assert await restarted.seen(renamed) == "en"
    record = await users.get_user(db, ANNA.user_id)
    assert record is not None and record.first_name == "Anna-Karin" and record.language == "en"


async def test_memory_is_bounded_and_a_forgotten_person_costs_one_read(db):
    people = PeopleService(db, FixedClock(NOW), "sv", cache_size=3)
    crowd = [Profile(800_000_000 + n, f"P{n}", language_code="en") for n in range(10)]
    for person in crowd:
        await people.seen(person)
    assert len(people._profiles) == 3 and len(people._languages) == 3
    assert await _statements(db, lambda: people.seen(crowd[0])) == ["SELECT", "-> en"]
    assert await _statements(db, lambda: people.seen(crowd[-1])) == ["-> en"]
    assert len(people._profiles) == 3


async def test_a_row_another_process_removed_is_put_back_once_the_memory_is_stale(db, monkeypatch):
    """`grannvakt retention run` may erase a person while the bot runs: the bot's memory of
    them is trusted only for CACHE_FRESH_FOR, then their row is read (and written) again."""
    from bot.services import people as people_module

    people = PeopleService(db, FixedClock(NOW), "sv")
    await people.seen(ANNA)
    await db.execute("DELETE FROM users WHERE telegram_id = ?", (ANNA.user_id,))
    assert await _statements(db, lambda: people.seen(ANNA)) == ["-> sv"]  # still fresh
    monkeypatch.setattr(people_module, "CACHE_FRESH_FOR", 0.0)
    assert await _statements(db, lambda: people.seen(ANNA)) == ["SELECT", "INSERT", "-> sv"]
    assert await users.get_user(db, ANNA.user_id) is not None
