"""HTTP side of the emulator: aiohttp server, parameter decoding, dispatch, update queue."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any

from aiohttp import web

from .faults import FaultPlan, FaultRule
from .limits import RateLimiter
from .state import ApiCall, Chat, CommandStore, SentMessage, Stats, User

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "options",
        "link_preview_options",
        "reply_parameters",
        "media",
        "explanation_entities",
        "menu_button",
        "results",
        "question_entities",
        "reaction",
    }
)
ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "poll",
        "poll_answer",
        "message_reaction",
        "message_reaction_count",
        "shipping_query",
        "pre_checkout_query",
    }
)
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


class ApiError(Exception):
    """A Telegram-style error answer: ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would return."""
        d: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            d["parameters"] = self.parameters
        return d


def bad_request(detail: str, parameters: dict | None = None) -> ApiError:
    """Shortcut for a 400 "Bad Request: ..." error."""
    return ApiError(400, f"Bad Request: {detail}", parameters)


def _decode_value(key: str, value: Any) -> Any:
    if isinstance(value, str) and key in JSON_FIELDS and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {key} JSON object") from exc
    return value


class UploadedFile:
    """A file part of a multipart request."""

    def __init__(self, filename: str | None, content: bytes, content_type: str | None) -> None:
        self.filename = filename
        self.content = content
        self.content_type = content_type

    def __repr__(self) -> str:
        return f"<UploadedFile {self.filename!r} {len(self.content)} bytes>"


class EmulatorCore:
    """State, HTTP server, call log and update queue; API methods live in subclasses."""

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "grannvakt_test_bot",
        enforce_limits: bool = True,
        *,
        privacy_mode: bool = False,
        bot_first_name: str = "Grannvakt Test",
        global_limit: int = 30,
        global_window: float = 1.0,
        group_limit: int = 20,
        group_window: float = 60.0,
        private_rate: float = 1.0,
        private_burst: float = 3.0,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_scale: float = 1.0,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_username = bot_username
        self.bot_user = User(self.bot_id, bot_first_name, username=bot_username, is_bot=True)
        self.enforce_limits = enforce_limits
        self.privacy_mode = privacy_mode
        # rate_scale > 1 runs the per-chat limits faster (private refill × scale, group
        # window ÷ scale); tests/harness.py scales the bot's own pacing alike.
        self.rate_scale = rate_scale
        self.limiter = RateLimiter(
            global_limit,
            global_window,
            group_limit,
            group_window / rate_scale,
            private_rate * rate_scale,
            private_burst,
        )
        self.host = host
        self.port = port
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.calls: list[ApiCall] = []
        self.stats = Stats()
        self.callback_answers: list[dict[str, Any]] = []
        self.messages_before_last_action = 0
        self.answers_before_last_action = 0
        self.commands: CommandStore = CommandStore()
        self.bot_settings: dict[str, Any] = {}
        self._sent: list[SentMessage] = []
        self._sent_index: dict[tuple[int, int], SentMessage] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # every message by (chat, id)
        self.files: dict[str, dict[str, Any]] = {}  # file_id -> {"content", "file_path", ...}
        self._next_msg_id: dict[int, int] = {}
        self._ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self.updates: list[dict[str, Any]] = []  # pending (unconfirmed) updates
        self.all_updates: list[dict[str, Any]] = []  # every update ever queued
        self.delivered_updates: list[dict[str, Any]] = []
        self.allowed_updates: set[str] = set(DEFAULT_UPDATE_TYPES)
        self.pending_callbacks: dict[str, dict] = {}
        self.faults = FaultPlan()  # injected failures, see faults.py
        self.content_types: dict[str, str] = {}  # Bot API method -> its latest body's type
        self._update_event: asyncio.Event | None = None
        self._change_event: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.base_url = ""
        self.base_file_url = ""

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Start the HTTP server on 127.0.0.1 (ephemeral port) in the running loop."""
        self._update_event = asyncio.Event()
        self._change_event = asyncio.Event()
        self._closing = False
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        self.base_url = f"http://{self.host}:{self.port}/bot"
        self.base_file_url = f"http://{self.host}:{self.port}/file/bot"

    async def stop(self) -> None:
        """Stop the server, waking any pending long polls."""
        self._closing = True
        self._wake_updates()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ thread mode
    def start_in_thread(self) -> None:
        """Run the emulator in its own event loop on a daemon thread (for benchmarks
        driving the bot from another loop/thread). Use :meth:`run` to call scenario
        coroutines and :meth:`stop_thread` to finish."""
        loop = asyncio.new_event_loop()
        self._thread_loop = loop
        self._thread = threading.Thread(
            target=loop.run_forever, name="bot-api-emulator", daemon=True
        )
        self._thread.start()
        self.run(self.start())

    def run(self, coro: Any, timeout: float | None = 30.0) -> Any:
        """Run a coroutine (e.g. ``emu.send_text(...)``) in the emulator's thread loop."""
        return asyncio.run_coroutine_threadsafe(coro, self._thread_loop).result(timeout)

    def stop_thread(self) -> None:
        """Stop a server started with :meth:`start_in_thread`."""
        self.run(self.stop())
        self._thread_loop.call_soon_threadsafe(self._thread_loop.stop)
        self._thread.join(5)
        self._thread_loop.close()

    async def __aenter__(self):
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ events
    def _wake_updates(self) -> None:
        if self._update_event is not None:
            self._update_event.set()
            self._update_event = asyncio.Event()

    def _notify_change(self) -> None:
        if self._change_event is not None:
            self._change_event.set()
            self._change_event = asyncio.Event()

    async def _wait_change(self, seconds: float) -> None:
        ev = self._change_event
        if ev is None or seconds <= 0:
            await asyncio.sleep(max(seconds, 0))
            return
        try:
            await asyncio.wait_for(ev.wait(), seconds)
        except TimeoutError:
            pass

    # ------------------------------------------------------------------ updates
    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update of type ``kind`` (e.g. "message") for getUpdates; return it."""
        update = {"update_id": next(self._update_ids), kind: payload}
        # What the bot sent/answered before this moment cannot be a reaction to it: the
        # waiting helpers start from these marks, so a quick reply is never missed.
        self.messages_before_last_action = len(self._sent)
        self.answers_before_last_action = len(self.callback_answers)
        self.updates.append(update)
        self.all_updates.append(update)
        self._wake_updates()
        self._notify_change()
        return update

    def _take_updates(self, offset: int | None, limit: int) -> list[dict[str, Any]]:
        if offset is not None and offset < 0:  # -N: only the last N updates survive
            self.updates = self.updates[offset:]
        elif offset is not None:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        # updates of types the bot did not ask for are dropped, as Telegram does
        self.updates = [u for u in self.updates if self._update_kind(u) in self.allowed_updates]
        return self.updates[:limit]

    @staticmethod
    def _update_kind(update: dict[str, Any]) -> str:
        return next(k for k in update if k != "update_id")

    async def api_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        """getUpdates with long polling, offset confirmation and allowed_updates."""
        offset = int(p["offset"]) if p.get("offset") not in (None, "") else None
        limit = max(1, min(100, int(p.get("limit") or 100)))
        timeout = float(p.get("timeout") or 0)
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = set(allowed) if allowed else set(DEFAULT_UPDATE_TYPES)
        deadline = time.monotonic() + timeout
        while True:
            batch = self._take_updates(offset, limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                self.delivered_updates.extend(u for u in batch if u not in self.delivered_updates)
                return batch
            ev = self._update_event
            assert ev is not None
            try:
                await asyncio.wait_for(ev.wait(), remaining)
            except TimeoutError:
                pass

    # ------------------------------------------------------------------ HTTP
    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        ctype = request.content_type or ""
        if ctype == "application/json":
            body = await request.read()
            if body:
                try:
                    data = json.loads(body)
                except ValueError as exc:
                    raise bad_request("can't parse JSON body") from exc
                if not isinstance(data, dict):
                    raise bad_request("invalid JSON body")
                params.update(data)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            files: dict[str, UploadedFile] = {}
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
                    params[key] = files[key]
                else:
                    params[key] = value
            for key, value in list(params.items()):
                if isinstance(value, str) and value.startswith("attach://"):
                    name = value[len("attach://") :]
                    if name not in files:
                        raise bad_request(f"file {name} not found in request")
                    params[key] = files[name]
        return {k: _decode_value(k, v) for k, v in params.items()}

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        self.last_user_agent = request.headers.get("User-Agent")
        self.content_types[method] = request.content_type
        if token != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        handler = getattr(self, "api_" + method.lower(), None)
        params: dict[str, Any] = {}
        fault = None
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            params = await self._read_params(request)
            fault = self.faults.pick(method, params)
            if fault is not None:
                early = await self._inject_before(request, method, params, fault)
                if early is not None:
                    return early
            try:
                result = await handler(params)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise bad_request(f"invalid parameters: {exc}") from exc
        except ApiError as err:
            self._log_call(method, params, err)
            return web.json_response(err.payload(), status=err.code)
        if fault is not None and fault.kind == "drop_after":
            # The call took effect; the client never hears so (as after a read timeout).
            self._log_call(method, params, ApiError(599, "injected: dropped after effect"))
            return self._drop(request)
        self._log_call(method, params, None)
        return web.json_response({"ok": True, "result": result})

    async def _inject_before(
        self, request: web.Request, method: str, params: dict[str, Any], fault: FaultRule
    ) -> web.StreamResponse | None:
        """Apply a fault that strikes before the call; None lets the call go on."""
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return None
        if fault.kind == "5xx":
            err = ApiError(502, "Bad Gateway")
            self._log_call(method, params, ApiError(502, "injected: Bad Gateway"))
            return web.json_response(err.payload(), status=502)
        if fault.kind == "drop":
            self._log_call(method, params, ApiError(599, "injected: connection dropped"))
            return self._drop(request)
        if fault.kind == "error":
            err = ApiError(fault.code, fault.description, fault.parameters)
            self._log_call(method, params, ApiError(fault.code, "injected: " + fault.description))
            return web.json_response(err.payload(), status=fault.code)
        return None  # drop_after acts after the call

    @staticmethod
    def _drop(request: web.Request) -> web.StreamResponse:
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=599)

    def _log_call(self, method: str, params: dict[str, Any], err: ApiError | None) -> None:
        logged = {k: (v if not isinstance(v, UploadedFile) else repr(v)) for k, v in params.items()}
        call = ApiCall(
            method,
            logged,
            time.monotonic(),
            err is None,
            err.code if err else None,
            err.description if err else None,
        )
        self.calls.append(call)
        self.stats.calls_by_method[method] += 1
        if err is not None:
            self.stats.errors[err.description] += 1
        self._notify_change()

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        path = request.match_info["path"]
        for info in self.files.values():
            if info["file_path"] == path:
                return web.Response(body=info["content"], content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # ------------------------------------------------------------------ call waiting
    @property
    def errors(self) -> list[ApiCall]:
        """All logged calls that were answered with an error."""
        return [c for c in self.calls if not c.ok]

    async def wait_for_call(
        self,
        method: str,
        predicate=None,
        timeout: float = 5.0,  # noqa: ASYNC109
        after: int | None = None,
    ) -> ApiCall:
        """Wait for the next API call named ``method`` (case-insensitive) matching predicate.

        Only calls logged after this coroutine starts (or after index ``after`` of
        ``emu.calls``) count. Raises AssertionError on timeout.
        """
        start = len(self.calls) if after is None else after
        deadline = time.monotonic() + timeout
        while True:
            for call in self.calls[start:]:
                if call.method.lower() == method.lower() and (predicate is None or predicate(call)):
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = "\n".join(
                    f"  {c.method} ok={c.ok} {c.description or ''} {c.params}"
                    for c in self.calls[-15:]
                )
                raise AssertionError(f"no {method} call within {timeout}s; last calls:\n{recent}")
            await self._wait_change(remaining)
