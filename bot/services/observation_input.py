"""What a resident types or shares in a report: categories, limits, location, time.

Pure validation (no storage, no Telegram types); re-exported by bot.services.observations.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# Category name in storage -> short code used in callback data.
CATEGORIES: dict[str, str] = {
    "suspicious_person": "sp",
    "suspicious_vehicle": "sv",
    "burglary": "bu",
    "theft": "th",
    "vehicle_crime": "vc",
    "vandalism": "va",
    "drugs": "dr",
    "traffic": "tr",
    "other": "ot",
}
CATEGORY_BY_CODE = {code: name for name, code in CATEGORIES.items()}

MAX_DESCRIPTION = 2000
MAX_PLACE = 200
MAX_NOTE = 1000
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
FUTURE_SLACK = timedelta(minutes=5)
OLDEST = timedelta(days=365)

# Sweden's bounding box with a margin of about half a degree.
LAT_RANGE = (54.5, 70.0)
LON_RANGE = (10.0, 25.0)


def in_sweden(latitude: float, longitude: float) -> bool:
    """True when a location is in or near Sweden (a generous bounding box)."""
    return LAT_RANGE[0] <= latitude <= LAT_RANGE[1] and LON_RANGE[0] <= longitude <= LON_RANGE[1]


def stored_location(latitude: float, longitude: float, exact: bool) -> tuple[float, float]:
    """The location as stored: rounded to 3 decimals (about 100 m) unless exact."""
    if exact:
        return latitude, longitude
    return round(latitude, 3), round(longitude, 3)


class WhenError(StrEnum):
    FORMAT = "format"
    FUTURE = "future"
    TOO_OLD = "too_old"


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_DATE_TIME = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2}))\s+(\d{1,2})[:.](\d{2})\s*$"
)


def _check_moment(moment: datetime, now: datetime) -> datetime | WhenError:
    if moment > now + FUTURE_SLACK:
        return WhenError.FUTURE
    if moment < now - OLDEST:
        return WhenError.TOO_OLD
    return min(moment, now)


def parse_time_today(text: str, now: datetime, tz: ZoneInfo) -> datetime | WhenError:
    """'HH:MM' earlier today (local time), not in the future."""
    match = _TIME.match(text)
    if not match:
        return WhenError.FORMAT
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return WhenError.FORMAT
    local = now.astimezone(tz).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return _check_moment(local, now)


def parse_day_time(text: str, now: datetime, tz: ZoneInfo) -> datetime | WhenError:
    """'YYYY-MM-DD HH:MM' or 'D/M HH:MM' (this year) in local time, not in the future."""
    match = _DATE_TIME.match(text)
    if not match:
        return WhenError.FORMAT
    iso_y, iso_m, iso_d, dm_d, dm_m, hour, minute = match.groups()
    local_now = now.astimezone(tz)
    try:
        if iso_y:
            moment = datetime(int(iso_y), int(iso_m), int(iso_d), int(hour), int(minute), tzinfo=tz)
        else:
            moment = datetime(
                local_now.year, int(dm_m), int(dm_d), int(hour), int(minute), tzinfo=tz
            )
    except ValueError:
        return WhenError.FORMAT
    return _check_moment(moment, now)
