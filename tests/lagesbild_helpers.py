"""A small hand-countable fixture for the lägesbild tests (units and end to end)."""

from __future__ import annotations

import datetime as dt
import io

from storage import groups as group_store
from storage import observations as obs_store
from storage.db import Database
from storage.observations import NewObservation
from storage.timeutil import to_db

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 30, 7, tzinfo=UTC)  # Monday of week 49, 08:00 in Stockholm
# 4 weeks before NOW: within a few hours of the 4-week period (weeks 45-48, from Monday
# 2 Nov 00:00 local): week(n) below is 12 hours into week n either way.
START = NOW - dt.timedelta(weeks=4)
PNG = b"\x89PNG\r\n\x1a\n"
SECRET_NAME = "Hemligsson"
SECRET_TEXT = "HEMLIG-BESKRIVNING"
SECRET_PLACE = "HEMLIG-PLATS"
SECRET_PHOTO = "HEMLIG-FOTO-ID"
KOMMUN = "1083"  # Sölvesborg
BASE = (56.05, 14.58)  # a point in Sölvesborg
CELL = 0.0045  # ≈ 500 m of latitude


async def make_group(db: Database, chat_id: int, area: str, kommun: str = KOMMUN) -> int:
    group = await group_store.ensure_group(db, chat_id, f"Chat {chat_id}", START)
    await group_store.register_group(db, group.id, area, kommun, START)
    return group.id


async def observe(
    db: Database,
    group_id: int,
    category: str,
    at: dt.datetime,
    *,
    kommun: str = KOMMUN,
    where: tuple[float, float] | None = None,
    reporter: int = 999,
) -> int:
    new = NewObservation(
        group_id=group_id,
        kommun_code=kommun,
        reporter_id=reporter,
        show_identity=True,
        category=category,
        observed_at=at,
        place_text=SECRET_PLACE,
        latitude=where[0] if where else None,
        longitude=where[1] if where else None,
        location_exact=True,
        description=SECRET_TEXT,
    )
    created = await obs_store.create_observation(db, new, at, at.year, at, 10_000)
    assert created is not None
    await db.execute(
        "INSERT INTO observation_photos (observation_id, position, file_id, file_unique_id)"
        " VALUES (?, 0, ?, ?)",
        (created[0], SECRET_PHOTO, f"u{created[0]}"),
    )
    return created[0]


async def feed_event(
    db: Database,
    event_id: int,
    category: str | None,
    at: dt.datetime,
    event_type: str = "Inbrott",
    kommun: str = KOMMUN,
) -> None:
    """A police feed event of the police's `event_type`, in our `category` (None: unknown)."""
    await db.execute(
        "INSERT INTO feed_events (id, content_hash, name, summary, url, type, category, routing,"
        " kommun_code, lan_code, published_at, status, first_seen_at, updated_at)"
        " VALUES (?, 'h', 'n', 's', 'u', ?, ?, 'kommun', ?, '10', ?, 'sent', ?, ?)",
        (event_id, event_type, category, kommun, to_db(at), to_db(at), to_db(at)),
    )


def week(n: int, hours: int = 12) -> dt.datetime:
    """A moment in week n (0-3) of the period."""
    return START + dt.timedelta(weeks=n, hours=hours)


async def seed(db: Database) -> dict[str, int]:
    """Hand count (period = 4 weeks before NOW, kommun 1083):

    week 0: burglary ×2, theft ×1        week 2: drugs ×1, traffic ×3
    week 1: burglary ×1                  week 3: theft ×2 (one at BASE + 1 cell)
    withdrawn theft in week 3, a burglary in another kommun, a theft before the period
    (the previous period: theft ×1, vandalism ×1). Located: 4 at BASE, 2 one cell north.
    Feed (the police's type / our category): Inbrott/burglary week 0 ×2,
    Trafikolycka/traffic week 2 ×1, Brand/unknown week 3 ×1.
    """
    g = await make_group(db, -100, "Hamnen")
    other = await make_group(db, -200, "Annanstans", "0180")
    plan = [
        ("burglary", 0, BASE),
        ("burglary", 0, BASE),
        ("theft", 0, BASE),
        ("burglary", 1, BASE),
        ("drugs", 2, (BASE[0] + CELL * 1.5, BASE[1])),
        ("traffic", 2, (BASE[0] + CELL * 1.5, BASE[1])),
        ("traffic", 2, None),
        ("traffic", 2, None),
        ("theft", 3, None),
        ("theft", 3, None),
    ]
    for category, n, where in plan:
        await observe(db, g, category, week(n), where=where)
    withdrawn = await observe(db, g, "theft", week(3))
    await db.execute("UPDATE observations SET status = 'withdrawn' WHERE id = ?", (withdrawn,))
    await observe(db, other, "burglary", week(1), kommun="0180", where=BASE)
    await observe(db, g, "theft", START - dt.timedelta(days=3))
    await observe(db, g, "vandalism", START - dt.timedelta(days=20))
    await feed_event(db, 1, "burglary", week(0))
    await feed_event(db, 2, "burglary", week(0, 30))
    await feed_event(db, 3, "traffic", week(2), "Trafikolycka")
    await feed_event(db, 4, None, week(3), "Brand")
    return {"group": g, "other": other}


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, read with Pillow (raises on a broken image)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size
