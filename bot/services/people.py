"""People the bot meets: keep their profile stored and know which language to use."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.i18n import LANGUAGES, normalize_language
from storage import users
from storage.db import Database


@dataclass(frozen=True)
class Profile:
    """What Telegram tells us about a person, as plain values."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


class PeopleService:
    """Upserts users as they are seen and resolves their language.

    A small in-memory cache avoids a database write for every update: the row is only
    written when the profile changed since the bot last saw this person.
    """

    def __init__(self, db: Database, clock: Clock, default_language: str) -> None:
        self._db = db
        self._clock = clock
        self._default_language = default_language
        self._profiles: dict[int, Profile] = {}
        self._languages: dict[int, str] = {}

    async def seen(self, profile: Profile) -> str:
        """Record that a person was seen; returns the language to talk to them in."""
        if self._profiles.get(profile.user_id) != profile:
            await users.upsert_user(
                self._db,
                profile.user_id,
                first_name=profile.first_name,
                last_name=profile.last_name,
                username=profile.username,
                telegram_language_code=profile.language_code,
                now=self._clock.now(),
            )
            self._profiles[profile.user_id] = profile
            self._languages.pop(profile.user_id, None)
        return await self.language_of(profile.user_id)

    async def language_of(self, user_id: int) -> str:
        """The person's chosen language, else their Telegram language, else the default."""
        cached = self._languages.get(user_id)
        if cached is not None:
            return cached
        record = await users.get_user(self._db, user_id)
        if record is None:
            language = self._default_language
        elif record.language in LANGUAGES:
            language = record.language
        else:
            language = normalize_language(record.telegram_language_code, self._default_language)
        self._languages[user_id] = language
        return language

    async def choose_language(self, user_id: int, language: str) -> None:
        """Remember an explicit language choice (survives restarts)."""
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        await users.set_language(self._db, user_id, language, self._clock.now())
        self._languages[user_id] = language
