"""Typed configuration, read once at start-up from the environment and an optional `.env`."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Language = Literal["sv", "en"]


class Settings(BaseSettings):
    """All operator-facing settings. The environment variable names are a public contract."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr = Field(min_length=1)
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str | None = None
    database_path: str = "grannvakt.db"
    timezone: str = "Europe/Stockholm"
    default_language: Language = "sv"
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    reports_per_hour: int = Field(default=10, ge=1, le=1000)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            raise ValueError("does not look like a bot token (expected '<digits>:<secret>')")
        return SecretStr(token)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Stockholm)") from exc
        return value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _parse_id_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            try:
                return frozenset(int(part) for part in parts)
            except ValueError as exc:
                raise ValueError("must be comma-separated Telegram user ids (numbers)") from exc
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @property
    def tzinfo(self) -> ZoneInfo:
        """The configured time zone as a tzinfo object."""
        return ZoneInfo(self.timezone)

    @property
    def file_url(self) -> str:
        """Base URL for file downloads; derived from the API URL unless set explicitly."""
        if self.telegram_file_url:
            return self.telegram_file_url
        base = self.telegram_api_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base.rstrip("/") + "/file/bot"

    # -- the police's open events feed (bot/feed); README "The police's events feed" --------
    police_feed_enabled: bool = True
    police_feed_url: str = "https://polisen.se/api/events"
    police_feed_interval: int = Field(default=300, ge=10, le=86400)  # seconds
    police_feed_contact: str | None = None  # e-mail or URL for the User-Agent
    police_feed_max_age_hours: float = Field(default=12, gt=0, le=168)

    @field_validator("police_feed_url")
    @classmethod
    def _feed_url(cls, value: str) -> str:
        from bot.feed.client import url_allowed

        if not url_allowed(value):
            raise ValueError("must be an https:// URL (http:// only to 127.0.0.1 for tests)")
        return value

    @field_validator("police_feed_contact")
    @classmethod
    def _feed_contact(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if any(ch in value for ch in "()\r\n"):
            raise ValueError("must be an e-mail address or URL without parentheses")
        return value or None


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line meant for the operator."""


_ENV_NAMES = {
    "bot_token": "BOT_TOKEN",
    "telegram_api_url": "TELEGRAM_API_URL",
    "telegram_file_url": "TELEGRAM_FILE_URL",
    "database_path": "DATABASE_PATH",
    "timezone": "TIMEZONE",
    "default_language": "DEFAULT_LANGUAGE",
    "admin_user_ids": "ADMIN_USER_IDS",
    "log_level": "LOG_LEVEL",
    "reports_per_hour": "REPORTS_PER_HOUR",
}


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into a one-line `ConfigError`."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        name = _ENV_NAMES.get(field, field.upper())
        if field == "bot_token" and error["type"] in ("missing", "string_too_short"):
            raise ConfigError(
                "BOT_TOKEN is not set: get a token from @BotFather in Telegram and put it in "
                "the environment or in .env (BOT_TOKEN=123456:ABC...)"
            ) from None
        message = error["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{name} is invalid: {message}") from None
