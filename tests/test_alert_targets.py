"""Which kommuner an officer or admin is offered as alert targets."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import alert_targets
from bot.services.kommuner import load_kommuner
from bot.services.roles import Access
from storage import groups as group_store
from storage.db import Database

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


async def test_admin_sees_at_most_forty_kommuner_with_most_groups(tmp_path):
    db = Database(tmp_path / "k.db")
    await db.open()
    try:
        kommuner = load_kommuner()[:50]
        for n, kommun in enumerate(kommuner):
            for extra in range(2 if n < 5 else 1):  # the first five have two groups
                group = await group_store.ensure_group(db, -1000 - n * 10 - extra, "g", NOW)
                await group_store.register_group(db, group.id, f"A{n}", kommun.code, NOW)
        admin = Access(1, True, frozenset(), frozenset())
        choices, left_out = await alert_targets.kommun_choices(db, admin)
        assert len(choices) == alert_targets.KOMMUN_BUTTONS and left_out == 10
        assert {k.code for k in kommuner[:5]} <= {code for code, _, _ in choices}
        assert [name for _, name, _ in choices] == sorted(name for _, name, _ in choices)

        police = Access(2, False, frozenset(), frozenset({kommuner[0].code, "2584"}))
        choices, left_out = await alert_targets.kommun_choices(db, police)
        assert {code for code, _, _ in choices} == {kommuner[0].code, "2584"}
        assert left_out == 0
        assert dict((code, count) for code, _, count in choices)["2584"] == 0
    finally:
        await db.close()
