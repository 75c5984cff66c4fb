"""Review: a change and its audit entry are written together or not at all."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services import groups as group_service
from storage import groups as group_store
from storage import roles as role_store
from storage import users as user_store
from tests.actors import person, telegram_admin

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
async def db(db):
    """The shared database (tests/conftest.py), seeded for this module."""
    await user_store.upsert_user(
        db, 1, first_name="U", last_name=None, username=None,
        telegram_language_code="sv", now=NOW,
    )  # fmt: skip
    return db


async def test_rename_and_its_audit_entry_are_one_transaction(db, monkeypatch):
    result = await group_service.register(
        db,
        NOW,
        chat_id=-100,
        title="G",
        area_name="Norr",
        kommun_code="0180",
        actor=person(1),
        is_chat_admin=telegram_admin,
    )
    group_id = result.group.id

    async def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(role_store, "write_audit", broken_audit)
    monkeypatch.setattr(role_store, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        await group_service.rename(
            db, NOW, person(1, coordinates=[group_id]), telegram_admin, group_id, "Söder"
        )
    group = await group_store.get_group(db, group_id)
    assert group is not None and group.area_name == "Norr"  # no unaudited rename

    monkeypatch.undo()
    await group_service.rename(
        db, NOW, person(1, coordinates=[group_id]), telegram_admin, group_id, "Söder"
    )
    group = await group_store.get_group(db, group_id)
    assert group is not None and group.area_name == "Söder"
    entries = [e for e in await role_store.audit_entries(db) if e.action == "group.rename"]
    assert len(entries) == 1
