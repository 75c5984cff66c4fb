"""How timestamps are stored: ISO-8601 strings in UTC, which sort and compare as text."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime) -> str:
    """Serialise an aware datetime as a UTC ISO string with fixed width (sortable)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db(text: str | None) -> datetime | None:
    """Parse a stored timestamp back into an aware UTC datetime (None stays None)."""
    if text is None:
        return None
    return from_db_required(text)


def from_db_required(text: str) -> datetime:
    """Parse a timestamp of a NOT NULL column back into an aware UTC datetime.

    Raises TypeError for None and ValueError for text not written by `to_db`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
