"""Webhook mode: Telegram POSTs each update to WEBHOOK_URL instead of the bot polling.

An aiohttp server on WEBHOOK_LISTEN:WEBHOOK_PORT (behind a reverse proxy that terminates
TLS, see docs/deploy.md) accepts POSTs on the path of WEBHOOK_URL and serves
`GET /healthz` (bot/health.py: JSON, 200 healthy, 503 not). PTB's own webhook server
(`Updater.start_webhook`, tornado) answers 200 as soon as an update is queued in memory;
this one answers 200 only after the update is stored in the durable inbox
(bot/intake.py), so an update Telegram considers delivered survives a crash, as in
polling mode. A storage failure answers 500 and Telegram delivers the update again.

Every POST must carry Telegram's `X-Telegram-Bot-Api-Secret-Token` header with
WEBHOOK_SECRET; one without it (or with another value) gets 403, logged once per run.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.health import check_health
from bot.intake import UpdateIntake
from bot.runtime import Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
WEBHOOK_KEY = "grannvakt.webhook"
MAX_BODY = 1024 * 1024  # an update is a few KiB; Telegram's own limit is far below this


class WebhookStartError(Exception):
    """The webhook cannot be set up; the message is one line for the operator."""


class WebhookServer:
    """Receives Telegram's POSTs and hands them to the intake; serves /healthz."""

    def __init__(self, application: Application, intake: UpdateIntake, services: Services):
        settings = services.settings
        assert settings.webhook_url, "webhook mode needs WEBHOOK_URL"
        self.application = application
        self.intake = intake
        self.services = services
        self.url = settings.webhook_url
        self.path = settings.webhook_path
        self.listen = settings.webhook_listen
        self.port = settings.webhook_port
        self._secret = settings.webhook_secret.get_secret_value().encode()
        self._runner: web.AppRunner | None = None
        self._refusal_logged = False
        self.refused = 0  # requests answered 403

    async def start(self) -> None:
        """Listen, then tell Telegram where to deliver (setWebhook with the secret).

        Raises WebhookStartError when the port cannot be bound or Telegram refuses the URL
        (a network failure stays a telegram.error.NetworkError)."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get(HEALTH_PATH, self._health)
        if self.path != HEALTH_PATH:
            app.router.add_post(self.path, self._update)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.listen, self.port).start()
        except OSError as exc:
            raise WebhookStartError(
                f"WEBHOOK_LISTEN={self.listen} WEBHOOK_PORT={self.port} cannot be used: "
                f"{exc.strerror or exc}"
            ) from None
        log.info("webhook server listening on %s:%d (path %s)", self.listen, self.port, self.path)
        try:
            await self.application.bot.set_webhook(
                url=self.url,
                secret_token=self._secret.decode(),
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
            )
        except BadRequest as exc:
            raise WebhookStartError(
                f"Telegram refused WEBHOOK_URL={self.url}: {exc.message}"
            ) from None

    async def stop(self) -> None:
        """Stop listening. The webhook stays set: Telegram keeps the updates until we are back."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self.refused += 1
            if not self._refusal_logged:
                self._refusal_logged = True
                log.warning(
                    "webhook: refused a request from %s without the right secret token "
                    "header (403); further ones are not logged",
                    request.remote,
                )
            return web.Response(status=403, text="Forbidden")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.application.bot)
        except Exception:
            log.warning("webhook: a request body is not an update; answered 400")
            return web.Response(status=400, text="Bad Request")
        if update is None or not _storable_id(update.update_id):
            log.warning("webhook: a request body has no usable update_id; answered 400")
            return web.Response(status=400, text="Bad Request")
        if not await self.intake.receive((update,)):
            return web.Response(status=500, text="not stored; send it again")
        return web.Response(status=200)

    async def _health(self, request: web.Request) -> web.Response:
        services = self.services
        report = await check_health(services.db, services.clock, services.settings)
        return web.json_response(report.to_dict(), status=200 if report.healthy else 503)


def _storable_id(update_id: object) -> bool:
    """Telegram's update ids are positive whole numbers; PTB does not check the type, and
    the inbox (an SQLite INTEGER key) takes nothing else: a string or a number past 2**63
    would fail there as 500, which Telegram would send again and again."""
    return type(update_id) is int and 0 <= update_id < 2**63


def webhook_for(application: Application) -> WebhookServer | None:
    """The application's webhook server, made on first call; None in polling mode."""
    from bot.context import SERVICES_KEY
    from bot.intake import intake_of

    if WEBHOOK_KEY in application.bot_data:
        server: WebhookServer | None = application.bot_data[WEBHOOK_KEY]
        return server
    services: Services | None = application.bot_data.get(SERVICES_KEY)
    intake = intake_of(application)
    server = None
    if services is not None and intake is not None and services.settings.webhook_url:
        server = WebhookServer(application, intake, services)
    application.bot_data[WEBHOOK_KEY] = server
    return server
