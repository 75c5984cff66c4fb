"""The version of grannvakt, as installed, and the User-Agent that carries it."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from telegram.request import HTTPXRequest


def app_version() -> str:
    """The installed package's version (pyproject.toml), or "0" when run from a bare checkout."""
    try:
        return version("grannvakt")
    except PackageNotFoundError:
        return "0"


class VersionedRequest(HTTPXRequest):
    """PTB's HTTP client, saying in its User-Agent which grannvakt makes the calls."""

    __slots__ = ()
    USER_AGENT = f"grannvakt/{app_version()} ({HTTPXRequest.USER_AGENT})"  # type: ignore[misc]


# httpcore's connection pool checks every pooled connection (and counts the idle ones
# again for each) whenever a request starts or ends, so its cost grows with the square of
# the pool. PTB's default allows 256 connections, and 64 concurrent handlers filled dozens
# of them; 8 keep-alive connections to one host carry far more than Telegram's 30 msg/s
# (bench.updates: the pool's bookkeeping was the largest CPU cost per update).
BOT_API_CONNECTIONS = 8
# A request beyond the pool waits for a free connection instead of failing after PTB's 1 s.
BOT_API_POOL_TIMEOUT = 20.0


class UpdatesRequest(VersionedRequest):
    """The getUpdates client (PTB sends nothing else through it). It keeps the JSON of each
    update of the latest batch as Telegram sent it, so that the intake (bot/intake.py) can
    store it without re-encoding PTB's objects (`Update.to_dict`: ~0.1 ms per update)."""

    __slots__ = ("received",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # update_id -> the update's JSON text, of the latest batch only
        self.received: dict[int, str] = {}

    # PTB declares it a staticmethod but calls it on the instance (self.parse_json_payload).
    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = super().parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):
            # Encoded now, before PTB builds its objects from these dicts.
            self.received = {
                update["update_id"]: json.dumps(update, ensure_ascii=False)
                for update in result
                if isinstance(update, dict) and isinstance(update.get("update_id"), int)
            }
        return data


def telegram_request(*, get_updates: bool = False) -> VersionedRequest:
    """The HTTP client for Bot API calls (getUpdates has its own single connection)."""
    if get_updates:
        return UpdatesRequest(connection_pool_size=1)
    return VersionedRequest(
        connection_pool_size=BOT_API_CONNECTIONS, pool_timeout=BOT_API_POOL_TIMEOUT
    )
