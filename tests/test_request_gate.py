"""The Bot API client lets a request into httpx's pool only when a connection is free
(bot/api_request.py): against a real local HTTP server that holds each answer a moment."""

from __future__ import annotations

import asyncio
import json

import pytest
from telegram.error import TimedOut

from bot.api_request import VersionedRequest


class SlowServer:
    """HTTP/1.1 on 127.0.0.1 answering `{"ok": true, "result": true}` after `delay` s;
    counts requests and the most it held at the same moment."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.requests = 0
        self.holding = 0
        self.most_held = 0

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.decode().split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":")[1])
                await reader.readexactly(length)
                self.requests += 1
                self.holding += 1
                self.most_held = max(self.most_held, self.holding)
                await asyncio.sleep(self.delay)
                self.holding -= 1
                body = json.dumps({"ok": True, "result": True}).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> SlowServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/botTOKEN/getMe"
        return self

    async def __aexit__(self, *_: object) -> None:
        self._server.close()


async def test_never_more_requests_in_flight_than_connections():
    async with SlowServer(delay=0.05) as server:
        url = server.url
        request = VersionedRequest(connection_pool_size=2, pool_timeout=10.0)
        await request.initialize()
        pool = request._client._transport._pool  # type: ignore[attr-defined]
        most_queued = 0

        async def watch_httpcores_queue() -> None:
            nonlocal most_queued
            while True:
                queued = sum(1 for r in pool._requests if r.is_queued())
                most_queued = max(most_queued, queued)
                await asyncio.sleep(0)

        watcher = asyncio.create_task(watch_httpcores_queue())
        try:
            results = await asyncio.gather(*(request.post(url) for _ in range(10)))
        finally:
            watcher.cancel()
            await request.shutdown()
    assert results == [True] * 10
    assert server.requests == 10
    assert server.most_held == 2  # two at a time, never more (and both connections used)
    # The other eight waited in front of httpx: its pool never had a queue to walk.
    assert most_queued == 0


async def test_no_free_connection_within_the_pool_timeout_is_timed_out_and_not_sent():
    async with SlowServer(delay=0.5) as server:
        url = server.url
        request = VersionedRequest(connection_pool_size=1, pool_timeout=0.05)
        await request.initialize()
        try:
            first = asyncio.create_task(request.post(url))
            await asyncio.sleep(0.1)  # the only connection is busy now
            with pytest.raises(TimedOut, match="Pool timeout"):
                await request.post(url)
            assert await first is True
        finally:
            await request.shutdown()
    assert server.requests == 1  # the second was never sent
