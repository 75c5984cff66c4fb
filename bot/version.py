"""The version of grannvakt, as installed, and the User-Agent that carries it."""

from __future__ import annotations

import asyncio
import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData


def app_version() -> str:
    """The installed package's version (pyproject.toml), or "0" when run from a bare checkout."""
    try:
        return version("grannvakt")
    except PackageNotFoundError:
        return "0"


POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: all {size} connections to the Bot API were busy for {timeout} s."
    " The request was *not* sent to Telegram."
)


class VersionedRequest(HTTPXRequest):
    """PTB's HTTP client, saying in its User-Agent which grannvakt makes the calls, and
    letting a request into httpx's connection pool only when a connection is free.

    Why the gate: httpcore re-assigns its queue on every request start and end, looking at
    every pooled connection once for each queued request (and counting the idle ones again
    for each idle one). With 64 concurrent handlers and 8 connections, that bookkeeping was
    ~1,000 Python calls per answered update (bench.updates). Waiting here instead, on an
    asyncio.Semaphore of the pool's size, keeps httpcore's queue empty. A request that
    cannot get a connection within the pool timeout raises `telegram.error.TimedOut`, as
    PTB does for httpx's PoolTimeout (not sent, safe to retry).
    """

    __slots__ = ("_connections_free", "_pool_size")
    USER_AGENT = f"grannvakt/{app_version()} ({HTTPXRequest.USER_AGENT})"  # type: ignore[misc]

    def __init__(self, *, connection_pool_size: int = 1, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=connection_pool_size, **kwargs)
        self._pool_size = connection_pool_size
        self._connections_free = asyncio.Semaphore(connection_pool_size)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if isinstance(pool_timeout, DefaultValue):
            pool_timeout = self._client.timeout.pool
        if not self._connections_free.locked():
            await self._connections_free.acquire()  # free: returns at once, no timer needed
        else:
            try:
                async with asyncio.timeout(pool_timeout):
                    await self._connections_free.acquire()
            except TimeoutError:
                raise TimedOut(
                    POOL_TIMEOUT_MESSAGE.format(size=self._pool_size, timeout=pool_timeout)
                ) from None
        try:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        finally:
            self._connections_free.release()


# httpcore's connection pool checks every pooled connection (and counts the idle ones
# again for each) whenever a request starts or ends, so its cost grows with the square of
# the pool. PTB's default allows 256 connections, and 64 concurrent handlers filled dozens
# of them. 4 keep-alive connections to one host carry ~40 requests/s even at 100 ms per
# round trip, more than Telegram's 30 msg/s (bench.broadcast: 0.974 of 30/s with 4).
BOT_API_CONNECTIONS = 4
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
