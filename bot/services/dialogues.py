"""Which dialogue a person is in, kept in storage so it outlives a restart.

A ConversationHandler keeps its state in memory; this record lets the bot tell a person
whose dialogue was lost in a restart how to start again, instead of staying silent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import dialogues as store
from storage.db import Database
from storage.dialogues import DialogueRecord

# A lost dialogue older than this is not worth mentioning any more.
FORGET_AFTER = timedelta(days=7)

__all__ = ["DialogueRecord", "ended", "lost_at_startup", "moved", "of_chat", "told_interrupted"]


async def moved(
    db: Database, now: datetime, user_id: int, chat_id: int, name: str, state: int
) -> None:
    """The dialogue `name` of a person in a chat is now at step `state`."""
    await store.set_state(db, user_id, chat_id, name, state, now)


async def ended(db: Database, user_id: int, chat_id: int, name: str) -> None:
    """The dialogue ended (finished, cancelled or refused)."""
    await store.end(db, user_id, chat_id, name)


async def of_chat(db: Database, user_id: int, chat_id: int) -> list[DialogueRecord]:
    """The person's recorded dialogues in a chat, most recently active first."""
    return await store.of_chat(db, user_id, chat_id)


async def told_interrupted(db: Database, user_id: int, chat_id: int) -> None:
    """The person was told about their lost dialogues: forget them."""
    await store.forget_interrupted(db, user_id, chat_id)


async def lost_at_startup(db: Database, now: datetime) -> None:
    """At start-up every recorded dialogue belongs to the previous process: mark it lost."""
    await store.mark_all_interrupted(db, now - FORGET_AFTER)
