"""People the bot meets: keep their profile stored and know which language to use."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.clock import Clock
from bot.i18n import LANGUAGES, normalize_language
from storage import users
from storage.db import Database
from storage.users import UserRecord

# People remembered in memory (least recently seen forgotten first): about 250 bytes each,
# so ~12 MB at most, however many people a national bot meets. A forgotten person costs
# one read on their next update.
CACHE_SIZE = 50_000
# Seconds a remembered profile is trusted before the person's row is read again: another
# process (`grannvakt retention run` erasing the person, a restore) can change or remove
# the row, and the next update after this long puts it right. One read per person per
# 10 minutes at most.
CACHE_FRESH_FOR = 600.0

K = TypeVar("K")
V = TypeVar("V")


class _Recent(Generic[K, V]):
    """A dict bounded to `size` entries that forgets the least recently used one."""

    __slots__ = ("_items", "_size")

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._size = size

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self._size:
            self._items.popitem(last=False)


@dataclass(frozen=True)
class Profile:
    """What Telegram tells us about a person, as plain values."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


def _stored_profile(record: UserRecord) -> Profile:
    return Profile(
        record.telegram_id,
        record.first_name,
        record.last_name,
        record.username,
        record.telegram_language_code,
    )


class PeopleService:
    """Upserts users as they are seen and resolves their language.

    An in-memory cache (at most `cache_size` people) avoids database work on nearly every
    update: a person's row is read once per `CACHE_FRESH_FOR` (or after being forgotten) and written
    only when it is missing or Telegram reports a changed profile (name, username,
    language). Explicit language choices go through `choose_language`, which updates the
    cache too.
    """

    def __init__(
        self, db: Database, clock: Clock, default_language: str, cache_size: int = CACHE_SIZE
    ) -> None:
        self._db = db
        self._clock = clock
        self._default_language = default_language
        # user id -> (the profile last stored, time.monotonic() when it was read or written)
        self._profiles: _Recent[int, tuple[Profile, float]] = _Recent(cache_size)
        self._languages: _Recent[int, str] = _Recent(cache_size)

    async def seen(self, profile: Profile) -> str:
        """Record that a person was seen; returns the language to talk to them in."""
        remembered = self._profiles.get(profile.user_id)
        if (
            remembered is not None
            and remembered[0] == profile
            and time.monotonic() - remembered[1] < CACHE_FRESH_FOR
        ):
            cached = self._languages.get(profile.user_id)
            if cached is not None:
                return cached
            return await self.language_of(profile.user_id)
        record = await users.get_user(self._db, profile.user_id)
        if record is None or _stored_profile(record) != profile:
            await users.upsert_user(
                self._db,
                profile.user_id,
                first_name=profile.first_name,
                last_name=profile.last_name,
                username=profile.username,
                telegram_language_code=profile.language_code,
                now=self._clock.now(),
            )
        chosen = record.language if record is not None else None
        language = self._language(chosen, profile.language_code)
        self._profiles.put(profile.user_id, (profile, time.monotonic()))
        self._languages.put(profile.user_id, language)
        return language

    def forget(self, user_id: int) -> None:
        """Drop the cached profile and language of a person whose data was erased."""
        self._profiles._items.pop(user_id, None)
        self._languages._items.pop(user_id, None)

    async def language_of(self, user_id: int) -> str:
        """The person's chosen language, else their Telegram language, else the default."""
        cached = self._languages.get(user_id)
        if cached is not None:
            return cached
        record = await users.get_user(self._db, user_id)
        if record is None:
            language = self._default_language
        else:
            language = self._language(record.language, record.telegram_language_code)
        self._languages.put(user_id, language)
        return language

    def _language(self, chosen: str | None, telegram_code: str | None) -> str:
        if chosen in LANGUAGES:
            return chosen
        return normalize_language(telegram_code, self._default_language)

    async def choose_language(self, user_id: int, language: str) -> None:
        """Remember an explicit language choice (survives restarts)."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        await users.set_language(self._db, user_id, language, self._clock.now())
        self._languages.put(user_id, language)
