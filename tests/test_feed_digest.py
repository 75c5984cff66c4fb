"""The weekly lägesbild gains the police feed's counts per type for the kommun."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.feed.service import process_body
from bot.services import digests as svc
from bot.services.digest_content import FeedCounts
from config import Settings
from storage import feed as feed_store
from storage.digests import Recipient
from tests.feed_fixtures import body, event
from tests.scenario import Scenario

MONDAY_0800 = datetime(2026, 11, 30, 7, tzinfo=UTC)
START = MONDAY_0800 - timedelta(days=7)
WEDNESDAY = datetime(2026, 11, 25, 12, tzinfo=UTC)


async def test_digest_counts_feed_events_per_type_for_the_kommun(db):
    group_id = await Scenario(db, WEDNESDAY).group(-1, "Möllebacken", "1083", title="G")
    settings = Settings(_env_file=None, bot_token="1:x")  # type: ignore[call-arg]
    answer = [
        event(1, WEDNESDAY, "Inbrott"),
        event(2, WEDNESDAY, "Inbrott"),
        event(3, WEDNESDAY, "Brand", summary="Brand."),
        event(4, WEDNESDAY, "Stöld", place="Karlshamn"),  # another kommun
        event(5, WEDNESDAY, "Sammanfattning natt", place="Blekinge län"),  # län-level
        event(6, WEDNESDAY - timedelta(days=9), "Inbrott"),  # before the period
    ]
    await process_body(db, settings, WEDNESDAY, body(answer), replay=True)
    recipients = [Recipient(7, (group_id,), ()), Recipient(8, (), ("1083",))]
    coordinator, police = await svc.collect(db, recipients, START, MONDAY_0800)
    assert coordinator.groups[0].feed == FeedCounts({"Inbrott": 2, "Brand": 1}, 1)
    assert police.kommuner[0].feed == coordinator.groups[0].feed
    week = svc.digest_week(MONDAY_0800, settings.tzinfo)
    text = svc.render(coordinator, week, "sv")
    assert "Polisens händelselista: Inbrott 2, Brand 1" in text.replace("<b>", "").replace(
        "</b>", ""
    )
    assert "hela länet (utan kommun): 1" in text
    # In English the same counts name the police's types in English.
    english = svc.render(police, week, "en").replace("<b>", "").replace("</b>", "")
    assert "The police's event list: Burglary 2, Fire 1" in english
    assert "Inbrott" not in english and "Brand" not in english
    # Counts only: the feed alone makes the week worth a digest.
    assert coordinator.has_content
    assert await feed_store.kommun_type_counts(db, [], START, MONDAY_0800) == {}
