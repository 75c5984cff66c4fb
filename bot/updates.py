"""Concurrent update processing: in order per person and per group, concurrent across them.

PTB hands every update to `OrderedUpdateProcessor.do_process_update` in the order it was
received. Updates with the same ordering key run one after the other, in that order;
updates with different keys run concurrently, at most `running_limit` at a time.
So one person's slow Telegram call never delays another person's answer, while each
person's dialogue still sees their messages and button presses in the order they sent them.

The ordering key (`ordering_key`):

* an update in a group, supergroup or channel: the chat. A button pressed or a command
  sent in a group by user U is ordered with everything else of that group (registration,
  renames, admins' buttons, members joining, the group becoming a supergroup), because
  group-level state changes must apply in order;
* an update in a private chat, or without a chat (an inline query, a button under an
  inline message): the user;
* an update with neither (a poll's state): no key, it runs unordered.

ConversationHandler and concurrency: PTB warns against concurrent updates with
ConversationHandler because two updates of one conversation could race on its state.
Every ConversationHandler of this project keys conversations by (chat, user) (the
defaults per_chat=True, per_user=True, per_message=False), and both a private (chat, user)
and a group (chat, user) pair map to exactly one ordering key above, so no conversation
ever sees two of its updates at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseUpdateProcessor

# Updates admitted at once, including those waiting for their turn behind an earlier
# update with the same key. PTB counts these with its own semaphore (acquired before
# do_process_update); it is far above the running limit so that one person flooding the
# bot waits in their own line instead of filling every slot.
MAX_ADMITTED = 10_000

DoneCallback = Callable[[object], Awaitable[None]]


def ordering_key(update: object) -> Hashable | None:
    """("chat", id) for a group/channel update, ("user", id) for a private or chat-less
    one with a sender, None when the update has neither (it is not ordered)."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        return ("chat", chat.id)
    user = update.effective_user
    if user is not None:
        return ("user", user.id)
    if chat is not None:
        return ("chat", chat.id)
    return None


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Runs updates concurrently across ordering keys and in arrival order within one.

    Args:
        running_limit: how many updates are handled at the same moment (>= 1).
        on_done: awaited with the update after it was handled (not when the handling was
            cancelled), before the next update of its key starts; the intake uses it to
            take the dialogue state the update left (stored with its done mark in the
            intake's next batch, bot/intake.py).
    """

    def __init__(self, running_limit: int = 64, on_done: DoneCallback | None = None):
        if running_limit < 1:
            raise ValueError("running_limit must be a positive integer")
        super().__init__(max(MAX_ADMITTED, running_limit))
        self._limit = running_limit
        self._running = asyncio.Semaphore(running_limit)
        # key -> a future that completes when the key's latest update has finished; the
        # next update of that key waits for it. Removed when the last one finishes.
        self._tails: dict[Hashable, asyncio.Future[None]] = {}
        self._in_progress = 0
        self.on_done = on_done

    @property
    def running_limit(self) -> int:
        """How many updates run at the same moment at most. (PTB's `max_concurrent_updates`
        is the admission bound, MAX_ADMITTED, which includes updates waiting their turn.)"""
        return self._limit

    @property
    def running(self) -> int:
        """How many updates run right now (a snapshot)."""
        return self._in_progress

    @property
    def keys_waiting(self) -> int:
        """How many ordering keys have an update running or waiting (the lock map's size)."""
        return len(self._tails)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Everything up to the first await runs in arrival order (PTB starts one task per
        # update, in order, and the admission semaphore never blocks below MAX_ADMITTED),
        # so taking our place in the key's line here keeps that order.
        key = ordering_key(update)
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        previous = None
        if key is not None:
            previous = self._tails.get(key)
            self._tails[key] = turn
        started = False
        try:
            if previous is not None and not previous.done():
                await asyncio.wait([previous])  # unlike `await previous`, never cancels it
            async with self._running:
                started = True
                self._in_progress += 1
                try:
                    await coroutine
                finally:
                    self._in_progress -= 1
                # Before the key's next update starts, so that the state taken with this
                # update's done mark (bot/persistence.py) is the one it left, not a later one.
                if self.on_done is not None:
                    await self.on_done(update)
        finally:
            if not started:
                _close(coroutine)
            if previous is not None and not previous.done():
                # Cancelled while waiting: the next update of this key must still wait
                # for the one before us.
                previous.add_done_callback(lambda _: self._release(key, turn))
            else:
                self._release(key, turn)

    def _release(self, key: Hashable | None, turn: asyncio.Future[None]) -> None:
        """Let the key's next update run; forget the key when no update of it is left."""
        turn.set_result(None)
        if key is not None and self._tails.get(key) is turn:
            del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: Application.stop() already waited for every update."""


def _close(coroutine: Awaitable[Any]) -> None:
    """Close a coroutine that will never run (its update was cancelled while waiting)."""
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
