"""Dialogues that could not be resumed, so the person is told how to start again.

A dialogue's state is PTB's (persisted by bot/persistence.py); a stored dialogue that a
new start cannot resume (its steps changed, or its draft could not be read) is kept as
lost until its person has been told.
"""

from __future__ import annotations

from storage import persistence as store
from storage.db import Database

__all__ = ["lost", "told_interrupted"]


async def lost(db: Database, user_id: int, chat_id: int) -> list[str]:
    """Names of the person's lost dialogues in a chat, most recently active first."""
    return await store.lost_of_chat(db, user_id, chat_id)


async def told_interrupted(db: Database, user_id: int, chat_id: int) -> None:
    """The person was told about their lost dialogues: forget them."""
    await store.forget_lost(db, user_id, chat_id)
