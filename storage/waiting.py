"""What waits for a person, counted for /start: new observations, an unhandled inbox."""

from __future__ import annotations

from storage.db import Database


def _marks(values: list[int] | list[str]) -> str:
    return ",".join("?" * len(values))


async def new_observations(db: Database, group_ids: list[int]) -> int:
    """Observations of these groups still marked new (index observations_group_status)."""
    if not group_ids:
        return 0
    value = await db.fetch_value(
        f"SELECT COUNT(*) FROM observations WHERE status = 'new' "
        f"AND group_id IN ({_marks(group_ids)})",
        group_ids,
    )
    return int(value or 0)


async def unhandled_forwards(db: Database, kommun_codes: list[str]) -> int:
    """Observations forwarded to the police of these kommuner and not yet marked handled."""
    if not kommun_codes:
        return 0
    value = await db.fetch_value(
        f"SELECT COUNT(*) FROM observation_forwards WHERE handled_at IS NULL "
        f"AND kommun_code IN ({_marks(kommun_codes)})",
        kommun_codes,
    )
    return int(value or 0)
