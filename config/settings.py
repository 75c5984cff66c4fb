"""Typed configuration, read once at start-up from the environment and an optional `.env`."""

from __future__ import annotations

import os
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Language = Literal["sv", "en"]


class Settings(BaseSettings):
    """All operator-facing settings. The environment variable names are a public contract."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Empty when unset: only `run` and Telegram-facing commands need it (`require_token`).
    bot_token: SecretStr = SecretStr("")
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str | None = None
    database_path: str = "grannvakt.db"
    timezone: str = "Europe/Stockholm"
    default_language: Language = "sv"
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    reports_per_hour: int = Field(default=10, ge=1, le=1000)
    # -- data protection (docs/privacy.md) ------------------------------------------------
    data_controller: str | None = None  # name and contact of who is responsible (GDPR)
    observation_retention_days: int = Field(default=365, ge=1, le=3650)
    withdrawn_retention_days: int = Field(default=30, ge=1, le=3650)
    audit_retention_days: int = Field(default=730, ge=30, le=3650)
    inactive_person_days: int = Field(default=730, ge=30, le=3650)
    # The copies grannvakt makes itself (before migrating, before a restore) hold erased
    # people's data too: deleted this many days after they were made (0: at the next
    # retention pass). At most a year, so an erasure is complete within a bounded time.
    auto_backup_retention_days: int = Field(default=30, ge=0, le=365)

    @field_validator("data_controller")
    @classmethod
    def _data_controller(cls, value: str | None) -> str | None:
        value = " ".join((value or "").split())
        if len(value) > 300:
            raise ValueError("must be at most 300 characters (a name and a contact)")
        return value or None

    # Sent outbox rows older than this many days are deleted (bot/outbox_retention.py).
    outbox_retention_days: int = Field(default=30, ge=1, le=36500)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        if not token:
            return SecretStr("")
        # Telegram's tokens are '<bot id>:<secret of A-Z a-z 0-9 _ ->'; anything else (a
        # space or quote pasted along) would only fail later as a "rejected" token.
        if not re.fullmatch(r"[0-9]+:[A-Za-z0-9_-]+", token):
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
                ids = frozenset(int(part) for part in parts)
            except ValueError as exc:
                raise ValueError("must be comma-separated Telegram user ids (numbers)") from exc
            # A negative id is a group's chat id (from /id in a group), not a person's.
            wrong = sorted(i for i in ids if not 0 < i < 2**52)
            if wrong:
                raise ValueError(
                    f"{wrong[0]} is not a Telegram user id (a person's id is a positive "
                    "number; send /id to the bot in a private chat)"
                )
            return ids
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _bot_api_url(cls, value: str) -> str:
        # The token is appended to this URL, so a missing "/bot" yields a URL that
        # fails in confusing ways (a "rejected token", a port number glued to the token).
        value = value.strip().rstrip("/")
        example = "e.g. https://api.telegram.org/bot"
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// ({example})")
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError as exc:
            raise ValueError(f"is not a valid URL: {exc} ({example})") from None
        if not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"must be a plain URL with a host ({example})")
        if not parts.path.endswith("/bot"):
            raise ValueError(
                f"must end with /bot, the token is appended to it ({example}, or "
                "http://127.0.0.1:8081/bot for a self-hosted server)"
            )
        return value

    @field_validator("database_path")
    @classmethod
    def _database_path(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must be the path of the SQLite file, e.g. grannvakt.db")
        # A shell expands ~ only at the start of a word; from .env it arrives literally.
        return os.path.expanduser(value)

    @field_validator("telegram_file_url")
    @classmethod
    def _file_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")) or not value.endswith("/file/bot"):
            raise ValueError(
                "must start with http:// or https:// and end with /file/bot "
                "(e.g. http://127.0.0.1:8081/file/bot)"
            )
        return value

    def require_token(self) -> str:
        """The bot token; `ConfigError` (one line, naming BOT_TOKEN) if it is not set."""
        token = self.bot_token.get_secret_value()
        if not token:
            raise ConfigError(_MISSING_TOKEN)
        return token

    @property
    def tzinfo(self) -> ZoneInfo:
        """The configured time zone as a tzinfo object."""
        return ZoneInfo(self.timezone)

    @property
    def file_url(self) -> str:
        """Base URL for file downloads; derived from the API URL unless set explicitly."""
        if self.telegram_file_url:
            return self.telegram_file_url
        return self.telegram_api_url.removesuffix("/bot") + "/file/bot"

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

    # -- running as a service (docs/deploy.md) --------------------------------------------
    # Set: Telegram POSTs updates to this public https URL instead of the bot polling.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Telegram's X-Telegram-Bot-Api-Secret-Token; required when WEBHOOK_URL is set.
    webhook_secret: SecretStr = SecretStr("")
    log_format: Literal["text", "json"] = "text"

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018 - raises ValueError for a malformed port
        except ValueError as exc:
            raise ValueError(f"is not a valid URL: {exc}") from None
        local = parts.hostname in ("127.0.0.1", "localhost")
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ValueError("must be a public https:// URL (http:// only to 127.0.0.1 for tests)")
        if not parts.hostname or parts.query or parts.fragment:
            raise ValueError(
                "must be a plain URL with a host, e.g. https://bot.example.se/telegram"
            )
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value().strip()
        # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return SecretStr(secret)

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and not self.webhook_secret.get_secret_value():
            raise ValueError(
                "WEBHOOK_SECRET must be set when WEBHOOK_URL is set "
                "(e.g. the output of: openssl rand -hex 32)"
            )
        return self

    @property
    def webhook_path(self) -> str:
        """The URL path Telegram POSTs to ('/' when WEBHOOK_URL has none)."""
        return urlsplit(self.webhook_url or "").path or "/"


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line meant for the operator."""


_MISSING_TOKEN = (
    "BOT_TOKEN is not set: get a token from @BotFather in Telegram and put it in "
    "the environment or in .env (BOT_TOKEN=123456:ABC...)"
)


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
    "data_controller": "DATA_CONTROLLER",
    "observation_retention_days": "OBSERVATION_RETENTION_DAYS",
    "withdrawn_retention_days": "WITHDRAWN_RETENTION_DAYS",
    "audit_retention_days": "AUDIT_RETENTION_DAYS",
    "inactive_person_days": "INACTIVE_PERSON_DAYS",
    "auto_backup_retention_days": "AUTO_BACKUP_RETENTION_DAYS",
    "webhook_url": "WEBHOOK_URL",
    "webhook_listen": "WEBHOOK_LISTEN",
    "webhook_port": "WEBHOOK_PORT",
    "webhook_secret": "WEBHOOK_SECRET",
    "log_format": "LOG_FORMAT",
}


def _check_dotenv(path: str) -> None:
    """ConfigError for a `.env` line python-dotenv cannot read (it would only warn and go
    on without that setting). Names the line and the variable, never the value: it may be
    the token."""
    if not os.path.isfile(path):
        return
    from dotenv.parser import parse_stream

    with open(path, encoding="utf-8") as stream:  # UnicodeDecodeError: see load_settings
        bad = next((b for b in parse_stream(stream) if b.error), None)
    if bad is None:
        return
    name = bad.original.string.split("=", 1)[0].strip() if "=" in bad.original.string else ""
    near = f" ({name[:40]})" if name.replace("_", "").isalnum() else ""
    raise ConfigError(
        f".env line {bad.original.line}{near} cannot be read: write it as NAME=value, "
        "with any quote closed on the same line"
    )


def load_settings(*, require_token: bool = True, **overrides: Any) -> Settings:
    """Read settings, turning validation errors into a one-line `ConfigError`.

    With `require_token=False` a missing BOT_TOKEN is allowed (commands that only use the
    database); a malformed one is still an error.
    """
    from pydantic import ValidationError

    try:
        _check_dotenv(".env")
        settings = Settings(**overrides)
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f".env is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at position {exc.start}): "
            "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f".env cannot be read: {exc.strerror}") from None
    except ValidationError as exc:
        error = exc.errors()[0]
        message = error["msg"].removeprefix("Value error, ")
        if not error["loc"]:  # a rule across settings names them itself
            raise ConfigError(message) from None
        field = str(error["loc"][0])
        name = _ENV_NAMES.get(field, field.upper())
        raise ConfigError(f"{name} is invalid: {message}") from None
    if require_token:
        settings.require_token()
    return settings
