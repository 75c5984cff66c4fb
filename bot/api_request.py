"""The HTTP client of grannvakt's Bot API calls: PTB's `HTTPXRequest`, with a User-Agent that
says which grannvakt calls, a gate in front of httpx's connection pool, and JSON bodies.

Why JSON: PTB form-encodes every call (`application/x-www-form-urlencoded`), and Python's
`urllib.parse.quote_plus` encodes any text with a byte outside ASCII (every å, ä, ö and
emoji) one byte at a time in Python: ~700 calls for a /start answer. The Bot API takes
`application/json` for every method except file uploads (https://core.telegram.org/bots/api#making-requests),
and `json.dumps` is C. Calls that upload a file keep PTB's multipart request.

Why `without_result`: for every message sent, PTB builds a `Message` from Telegram's answer
(the bot's own text again, its entities, the chat, the bot as sender): ~0.1 ms of Python per
answer, more than the rest of a /start. Most answers are never looked at again, so the
handlers send them through `without_result`, which tells the request layer to hand PTB
`True` instead (what Telegram itself returns for e.g. an edited inline message).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Any

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.version import app_version

# The task awaiting a call through `without_result`. A task holds the value: a task started
# inside the call copies the context, but is another task, so its own calls are not affected.
_RESULT_UNUSED_BY: ContextVar[asyncio.Task[Any] | None] = ContextVar(
    "grannvakt_result_unused_by", default=None
)


async def without_result(call: Awaitable[object]) -> None:
    """Await a PTB call that sends or edits a message (`send_message`, `reply_text`,
    `edit_message_text`, ...: the methods whose result is `Message | bool`) without PTB
    building the `Message` from Telegram's answer. Errors are raised as usual. Pass the call
    unawaited: `await without_result(message.reply_text(text))`."""
    token = _RESULT_UNUSED_BY.set(asyncio.current_task())
    try:
        await call
    finally:
        _RESULT_UNUSED_BY.reset(token)


def _result_unused() -> bool:
    task = _RESULT_UNUSED_BY.get()
    return task is not None and task is asyncio.current_task()


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

    A POST without files goes as a JSON body (see the module's docstring); its errors are
    PTB's: `TimedOut` for httpx's timeouts, `NetworkError` for any other httpx error.
    """

    __slots__ = ("_connections_free", "_json_headers", "_pool_size")
    USER_AGENT = f"grannvakt/{app_version()} ({HTTPXRequest.USER_AGENT})"  # type: ignore[misc]

    def __init__(self, *, connection_pool_size: int = 1, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=connection_pool_size, **kwargs)
        self._pool_size = connection_pool_size
        self._connections_free = asyncio.Semaphore(connection_pool_size)
        self._json_headers = {"User-Agent": self.USER_AGENT, "Content-Type": "application/json"}

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
            if method == "POST" and request_data is not None and not request_data.contains_files:
                return await self._post_json(
                    url, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
                )
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

    # PTB declares it a staticmethod but calls it on the instance (self.parse_json_payload).
    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data: dict[str, Any] = super().parse_json_payload(payload)
        if data.get("ok") is True and isinstance(data.get("result"), dict) and _result_unused():
            return {"ok": True, "result": True}  # PTB's send methods return True as it is
        return data

    async def _post_json(
        self,
        url: str,
        request_data: RequestData,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        pool_timeout: float | None,
    ) -> tuple[int, bytes]:
        """POST the call's parameters as one JSON object; (HTTP status, body bytes)."""
        default = self._client.timeout
        timeout = httpx.Timeout(
            connect=default.connect
            if isinstance(connect_timeout, DefaultValue)
            else connect_timeout,
            read=default.read if isinstance(read_timeout, DefaultValue) else read_timeout,
            write=default.write if isinstance(write_timeout, DefaultValue) else write_timeout,
            pool=pool_timeout,
        )
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        try:
            response = await self._client.post(
                url, content=body, headers=self._json_headers, timeout=timeout
            )
        except httpx.TimeoutException as err:
            raise TimedOut from err  # no PoolTimeout: the gate lets in only what has a connection
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return response.status_code, response.content


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
