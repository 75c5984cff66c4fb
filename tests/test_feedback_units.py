"""Units of the reporter's notices (issue #13): what the text says in each state."""

from __future__ import annotations

from dataclasses import replace

from bot.clock import FixedClock
from bot.services import observation_notices as notices
from bot.services.people import PeopleService
from storage import observations as store
from storage import roles
from tests.test_observations_reach_units import NOW, _world


async def test_status_texts_follow_the_current_state(db):
    _, obs_id = await _world(db)
    obs = await store.get_observation(db, obs_id)
    assert obs is not None
    assert await notices.resident_status_text(db, "sv", obs) is None  # still new: nothing
    reviewed = await notices.resident_status_text(db, "sv", replace(obs, status="reviewed"))
    assert reviewed is not None and "granskat" in reviewed and obs.reference in reviewed
    forwarded = replace(obs, status="forwarded", forward_kommun="0180")
    text = await notices.resident_status_text(db, "en", forwarded)
    assert text is not None and "no police officer" in text and "114 14" in text
    await roles.grant_role(db, 77, "police", "0180", None, NOW)
    text = await notices.resident_status_text(db, "en", forwarded)
    assert text is not None and "sent to the police" in text and "114 14" not in text
    handled = replace(forwarded, handled_at=NOW)
    assert "hanterat" in (await notices.resident_status_text(db, "sv", handled) or "")
    closed = replace(handled, status="closed")
    assert "closed" in (await notices.resident_status_text(db, "en", closed) or "")
    assert await notices.resident_status_text(db, "sv", replace(obs, status="withdrawn")) is None


async def test_an_erased_reporter_is_not_written_to(db):
    _, obs_id = await _world(db)
    obs = await store.get_observation(db, obs_id)
    assert obs is not None
    people = PeopleService(db, FixedClock(NOW), "sv")
    for erased in (0, -123456):
        told = await notices.resident_notice(
            db, people, replace(obs, status="closed", reporter_id=erased)
        )
        assert told == notices.ResidentNotice()
    told = await notices.resident_notice(db, people, replace(obs, status="closed"))
    assert len(told.messages) == 1 and told.messages[0].chat_id == obs.reporter_id
