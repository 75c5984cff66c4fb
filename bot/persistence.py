"""Dialogues survive a restart and a crash: PTB persistence in the bot's SQLite database.

`SqlitePersistence` keeps every persistent ConversationHandler's states and each person's
`UserData` (bot/user_data.py: the dialogue drafts) in the tables `conversations` and `user_data`
(storage/persistence.py). PTB itself flushes persistence only every `update_interval`
seconds and at a clean stop, which a `kill -9` never reaches; so the intake takes the
state an update left (`take_changes`) once the update was handled, before the next update
of the same person starts (bot/updates.py), and writes it in the SAME transaction that
marks the update done in the update inbox (`save_taken`; the intake gathers the updates of
~50 ms into one transaction, bot/intake.py). After a crash an update is therefore either
done with the state it left, or handled again from the state before it, never from a
half-way state.

`UserData` is pickled (protocol 5; only the bot writes the database) and read back with an
unpickler that accepts only the project's own classes and plain value types. A blob that
cannot be read (corrupt, or from a version whose draft classes changed) is dropped, and
that person's dialogues are marked lost: the catch-all tells them how to start again.
So are dialogues whose steps changed between versions (the ConversationHandler's
`fingerprint`). `UserData.lang` is a cache handlers.tracking fills at every update, so
it is not stored. A `UserData` stored by a version with other attributes is read with the
defaults of the new ones.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import logging
import pickle
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, BasePersistence, ConversationHandler, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.clock import Clock
from bot.routing import handlers_of
from bot.updates import ordering_key
from bot.user_data import UserData
from storage import persistence as store
from storage.db import Database

log = logging.getLogger(__name__)

PICKLE_PROTOCOL = 5
# Dialogues idle this long are forgotten at start-up (resumable or lost alike).
FORGET_AFTER = timedelta(days=7)
# PTB's own periodic flush would also write the state of updates still being handled;
# the intake writes each update's state, and PTB flushes once more at a clean stop.
PERIODIC_FLUSH = 24 * 3600.0

_SAFE_MODULE_PREFIXES = ("bot.", "storage.", "handlers.")
_SAFE_GLOBALS = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("zoneinfo", "ZoneInfo"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


class UnreadableData(Exception):
    """A stored user_data blob that this version cannot read."""


def encode_user_data(data: UserData | None) -> bytes | None:
    """The blob stored for a person's `UserData`, or None when nothing needs storing."""
    kept = data.stored() if data is not None else None
    if kept is None:
        return None
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=PICKLE_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(kept)
    return out.getvalue()


# A ZoneInfo pickles itself through getattr(ZoneInfo, "_unpickle"), and an unpickler that
# allows getattr allows anything; stored as ZoneInfo(key) instead.
_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH[ZoneInfo] = lambda zone: (ZoneInfo, (zone.key,))


def decode_user_data(blob: bytes) -> UserData:
    """The `UserData` of a blob. Raises UnreadableData for a corrupt blob, one naming a
    class this version does not have (or may not load), one that is not a `UserData` (e.g.
    the plain dict older versions stored), or a draft missing a field this version has
    (written by an older version)."""
    try:
        value = _Unpickler(io.BytesIO(blob)).load()
    except Exception as exc:
        raise UnreadableData(str(exc)) from exc
    if not isinstance(value, UserData):
        raise UnreadableData(f"a {type(value).__name__}, not UserData")
    for item in _walk(value):
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            missing = [f.name for f in dataclasses.fields(item) if f.name not in vars(item)]
            if missing:
                raise UnreadableData(f"{type(item).__name__} without {', '.join(missing)}")
    return value


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith(_SAFE_MODULE_PREFIXES) or (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} may not be loaded")


def _walk(value: object, depth: int = 0) -> Iterator[object]:
    yield value
    if depth > 20:
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _walk(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in vars(value).values():
            yield from _walk(item, depth + 1)


def fingerprint(conversation: ConversationHandler) -> str:
    """A short hash of a dialogue's steps: each state and the callbacks that answer it.
    A state stored under another fingerprint cannot be resumed by this version."""
    parts = [conversation.name or ""]
    for state in sorted(conversation.states, key=repr):
        names = [
            f"{type(h).__name__}:{getattr(h.callback, '__qualname__', '?')}"
            for h in conversation.states[state]
        ]
        parts.append(f"{state!r}={','.join(names)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def persistent_conversations(application: Application) -> list[ConversationHandler]:
    """The application's persistent, named ConversationHandlers."""
    return [
        handler
        for handler in handlers_of(application)
        if isinstance(handler, ConversationHandler) and handler.persistent and handler.name
    ]


def _states(conversation: ConversationHandler) -> Any:
    # PTB has no public accessor for a conversation's current states; this is the dict
    # it keeps them in (the one persistence loads into), pinned by tests/test_persistence.
    return conversation._conversations


def current_states(application: Application, chat_id: int, user_id: int) -> list[tuple[str, int]]:
    """(name, state) of every dialogue the person is in in a chat, as PTB runs it now."""
    found = []
    for conversation in persistent_conversations(application):
        state = _states(conversation).get((chat_id, user_id))
        if isinstance(state, int) and conversation.name:
            found.append((conversation.name, state))
    return found


class SqlitePersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    """PTB persistence of conversations and user_data in the bot's database.

    Call `attach(application)` once every ConversationHandler is registered (it checks
    they are keyed by (chat, user) and takes their fingerprints); the database is opened
    on first use if it is not open yet (PTB loads persistence before post_init)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=PERIODIC_FLUSH,
        )
        self.db = db
        self.clock = clock
        self._fingerprints: dict[str, str] = {}
        self._conversations: list[ConversationHandler] = []
        # What the database holds, so that an unchanged state is never written again.
        self._stored_user_data: dict[int, bytes] = {}
        self._stored_states: dict[tuple[str, int, int], tuple[int, str]] = {}

    def attach(self, application: Application) -> None:
        """Take the fingerprints of the application's persistent ConversationHandlers."""
        self._conversations = persistent_conversations(application)
        for conversation in self._conversations:
            if conversation.per_message or not (conversation.per_chat and conversation.per_user):
                raise ValueError(f"{conversation.name}: only (chat, user) dialogues persist")
            assert conversation.name is not None
            self._fingerprints[conversation.name] = fingerprint(conversation)

    async def _open(self) -> None:
        if not self.db.is_open:
            await self.db.open()

    # -- loading (Application.initialize) ---------------------------------------------

    async def get_user_data(self) -> dict[int, UserData]:
        await self._open()
        await store.forget_idle(self.db, self.clock.now() - FORGET_AFTER)
        loaded: dict[int, UserData] = {}
        unreadable: list[int] = []
        for user_id, blob in await store.load_user_data(self.db):
            try:
                loaded[user_id] = decode_user_data(blob)
            except UnreadableData as exc:
                log.warning("dropping the unreadable dialogue data of %s: %s", user_id, exc)
                unreadable.append(user_id)
                continue
            self._stored_user_data[user_id] = blob
        await store.mark_lost(self.db, users=unreadable)
        return loaded

    async def get_conversations(self, name: str) -> ConversationDict:
        await self._open()
        current = self._fingerprints.get(name)
        states: dict[ConversationKey, object] = {}
        changed: list[tuple[str, int, int]] = []
        for row in await store.load_conversations(self.db, name):
            if row.fingerprint != current:
                changed.append((name, row.chat_id, row.user_id))
                continue
            states[(row.chat_id, row.user_id)] = row.state
            self._stored_states[(name, row.chat_id, row.user_id)] = (row.state, row.fingerprint)
        if changed:
            log.warning("%d %s dialogues were started by other steps: lost", len(changed), name)
        await store.mark_lost(self.db, keys=changed)
        return states

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    # -- writing ----------------------------------------------------------------------

    def changes_of(self, application: Application, update: Update) -> store.Changes:
        """What `update` changed of its user's user_data and their dialogues in its chat
        (compared with what is stored; nothing is written)."""
        changes = store.Changes()
        user, chat = update.effective_user, update.effective_chat
        if user is not None:
            if ordering_key(update) == ("user", user.id):
                # Only updates in the person's own line (bot/updates.py) change their
                # drafts; a group update may finish while their private update is half
                # way through one, and must not store that half-changed draft.
                self._user_data_change(changes, user.id, application.user_data.get(user.id))
            if chat is not None:
                key = (chat.id, user.id)
                for conversation in self._conversations:
                    state = _states(conversation).get(key)
                    name = conversation.name
                    assert name is not None
                    if state is None and (name, chat.id, user.id) not in self._stored_states:
                        continue  # not in this dialogue, before or after (most updates)
                    self._state_change(changes, name, key, state)
        return changes

    def take_changes(self, application: Application, update: Update) -> store.Changes:
        """`changes_of`, counted as stored from now on: the caller (the intake, whose
        batches are written in order, some milliseconds later) must store them with
        `save_taken`. So the next update's changes are compared with this state, not with
        an older one still waiting to be written."""
        changes = self.changes_of(application, update)
        self._remember(changes)
        return changes

    async def save_taken(self, changes: store.Changes, update_ids: list[int]) -> None:
        """Write changes from `take_changes` and mark `update_ids` done, in ONE transaction."""
        await store.save(self.db, changes, self.clock.now(), update_ids)

    async def save_done(self, changes: store.Changes, update_ids: list[int]) -> None:
        """Write `changes` and mark `update_ids` done in the update inbox, in ONE
        transaction: an update is done exactly when the state it left is stored."""
        await store.save(self.db, changes, self.clock.now(), update_ids)
        self._remember(changes)

    def _user_data_change(
        self, changes: store.Changes, user_id: int, data: UserData | None
    ) -> None:
        blob = encode_user_data(data)
        if blob != self._stored_user_data.get(user_id):
            changes.user_data[user_id] = blob

    def _state_change(
        self, changes: store.Changes, name: str, key: ConversationKey, state: object | None
    ) -> None:
        if len(key) != 2 or not all(isinstance(part, int) for part in key):
            return
        chat_id, user_id = int(key[0]), int(key[1])
        stored = self._stored_states.get((name, chat_id, user_id))
        if state is None:
            if stored is not None:
                changes.conversations[(name, chat_id, user_id)] = None
        elif isinstance(state, int):  # not a PendingState of a non-blocking callback
            value = (state, self._fingerprints.get(name, ""))
            if value != stored:
                changes.conversations[(name, chat_id, user_id)] = value

    def _remember(self, changes: store.Changes) -> None:
        for user_id, blob in changes.user_data.items():
            if blob is None:
                self._stored_user_data.pop(user_id, None)
            else:
                self._stored_user_data[user_id] = blob
        for key, value in changes.conversations.items():
            if value is None:
                self._stored_states.pop(key, None)
            else:
                self._stored_states[key] = value

    async def _write(self, changes: store.Changes) -> None:
        if changes and self.db.is_open:
            await store.save(self.db, changes, self.clock.now())
            self._remember(changes)

    # PTB's own flush (every PERIODIC_FLUSH seconds and at a clean stop).

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        changes = store.Changes()
        self._user_data_change(changes, user_id, data)
        await self._write(changes)

    async def drop_user_data(self, user_id: int) -> None:
        await self._write(store.Changes(user_data={user_id: None}))

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        changes = store.Changes()
        self._state_change(changes, name, key, new_state)
        await self._write(changes)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Not stored (store_data.chat_data is False)."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not stored (store_data.bot_data is False)."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Not stored (store_data.callback_data is False)."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored (store_data.chat_data is False)."""

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """Memory is current: this process is the database's only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not stored."""

    async def flush(self) -> None:
        """Every write is committed when it is made."""
