"""Invented feed events in the real answer format (never copies of recorded answers)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]  # fmt: skip


def _recorded_dir() -> Path:
    """`shared/polisen` next to the repo (…/main/ and …/shared/), or a level higher (worktrees)."""
    here = Path(__file__).resolve()
    for parent in here.parents[2:4]:
        candidate = parent / "shared" / "polisen"
        if candidate.is_dir():
            return candidate
    return here.parents[2] / "shared" / "polisen"


#: The recorded answers (real, read-only; outside the project). Tests skip when absent.
RECORDED = _recorded_dir()


def recorded_files() -> list[Path]:
    return sorted(RECORDED.glob("events-*.json")) if RECORDED.is_dir() else []


def feed_time(moment: datetime) -> str:
    """The feed's `datetime` form, with the one-digit hours the real feed uses."""
    local = moment.astimezone(STOCKHOLM)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d} {local.hour}:{local:%M:%S} {offset[:3]}:{offset[3:]}"


def event(
    event_id: int,
    published: datetime,
    type_: str = "Inbrott",
    place: str = "Sölvesborg",
    location: str = "Blekinge län",
    summary: str = "Inbrott i villa under natten.",
    incident: datetime | None = None,
    title_place: str | None = None,
) -> dict:
    """One invented event object; the title carries the incident time and the place."""
    incident = (incident or published - timedelta(minutes=30)).astimezone(STOCKHOLM)
    title_tail = place if title_place is None else title_place
    name = f"{incident.day} {MONTHS_SV[incident.month - 1]} {incident:%H.%M}, {type_}, {title_tail}"
    slug = name.lower().replace(" ", "-").replace(",", "")
    return {
        "id": event_id,
        "datetime": feed_time(published),
        "name": name,
        "summary": summary,
        "url": f"/aktuellt/handelser/{incident.year}/{slug}/",
        "type": type_,
        "location": {"name": location, "gps": "56.05,14.58"},
    }


def window(now: datetime, count: int = 30, start_id: int = 700000) -> list[dict]:
    """A normal-looking window: mixed types and places, the newest a few minutes old."""
    kinds = [("Trafikolycka", "Karlshamn", "Blekinge län"), ("Brand", "Kävlinge", "Skåne län"),
             ("Stöld", "Malmö", "Skåne län"), ("Rattfylleri", "Köping", "Västmanlands län"),
             ("Sammanfattning natt", "Skåne län", "Skåne län")]  # fmt: skip
    events = []
    for i in range(count):
        type_, place, lan = kinds[i % len(kinds)]
        published = now - timedelta(minutes=10 + 37 * i)
        events.append(event(start_id - i, published, type_, place, lan, f"Händelse {i}."))
    return events


def body(events: list[dict]) -> bytes:
    return json.dumps(events, ensure_ascii=False, indent=2).encode()
