"""A local stand-in for polisen.se/api/events on 127.0.0.1, driven step by step.

    async with FeedServer() as server:
        server.serve_events([...])            # every request answers these (200, JSON)
        server.push(status=429, headers={"Retry-After": "120"})  # the next request only
        settings url = server.url

Every request is recorded (time, path, headers) in `server.requests`.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0  # > 0: the body is sent a byte at a time, this many seconds apart


class FeedServer:
    """See the module docstring."""

    def __init__(self) -> None:
        self.current = Answer()
        self.queue: list[Answer] = []
        self.requests: list[dict] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/events"

    def serve_events(self, events: list[dict]) -> None:
        """From now on every request gets these events."""
        self.current = Answer(body=json.dumps(events, ensure_ascii=False).encode())

    def serve(self, answer: Answer) -> None:
        self.current = answer

    def push(
        self,
        status: int = 200,
        body: bytes = b"",
        headers=None,
        delay: float = 0.0,
        drip: float = 0.0,
    ) -> None:
        """The next request (only) gets this answer."""
        self.queue.append(Answer(status, body, dict(headers or {}), delay, drip))

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append({"path": request.path_qs, "headers": dict(request.headers)})
        answer = self.queue.pop(0) if self.queue else self.current
        if answer.delay:
            await asyncio.sleep(answer.delay)
        if answer.drip:
            return await self._drip(request, answer)
        return web.Response(
            status=answer.status,
            body=answer.body,
            headers=answer.headers,
            content_type="application/json" if answer.status == 200 else "text/plain",
        )

    async def _drip(self, request: web.Request, answer: Answer) -> web.StreamResponse:
        """A server that never stops sending, slowly: no single read waits long."""
        response = web.StreamResponse(status=answer.status, headers=answer.headers)
        response.content_length = len(answer.body)
        await response.prepare(request)
        for i in range(len(answer.body)):
            await response.write(answer.body[i : i + 1])
            await asyncio.sleep(answer.drip)
        return response

    async def __aenter__(self) -> FeedServer:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
