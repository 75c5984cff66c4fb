"""Webhook delivery, as Telegram does it: once `setWebhook` is called, pending updates are
POSTed one at a time to the URL (with the secret token header) instead of waiting for
`getUpdates`, which then answers 409 Conflict until `deleteWebhook`.

An update leaves the queue only when the bot answered 200; any other answer (or no
connection) is retried after `retry_delay` seconds, as Telegram retries. Each attempt is
recorded in `emu.webhook_attempts` as `(update_id, status or None)`.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import aiohttp

from .server import ApiError, bad_request

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class WebhookMethods:
    """Mixin for the emulator: setWebhook/deleteWebhook/getWebhookInfo and delivery."""

    webhook_url: str = ""
    webhook_secret: str | None = None
    retry_delay: float = 0.2

    def _webhook_init(self) -> None:
        if not hasattr(self, "webhook_attempts"):
            self.webhook_attempts: list[tuple[int, int | None]] = []
            self._webhook_task: asyncio.Task[None] | None = None

    async def api_setwebhook(self, p: dict[str, Any]) -> bool:
        """setWebhook: url (empty removes it), secret_token, allowed_updates."""
        self._webhook_init()
        url = str(p.get("url") or "")
        if url and not url.startswith(("https://", "http://127.0.0.1:")):  # loopback for tests
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not (1 <= len(str(secret)) <= 256):
            raise bad_request("secret token is invalid")
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list) and allowed:
            self.allowed_updates = set(allowed)  # type: ignore[attr-defined]
        if _flag(p.get("drop_pending_updates")):
            self.updates.clear()  # type: ignore[attr-defined]
        self.webhook_url = url
        self.webhook_secret = str(secret) if secret is not None else None
        if url and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver())
        return True

    async def api_deletewebhook(self, p: dict[str, Any]) -> bool:
        """deleteWebhook; ``drop_pending_updates`` clears the update queue."""
        self._webhook_init()
        self.webhook_url = ""
        self.webhook_secret = None
        await self._stop_delivery()
        if _flag(p.get("drop_pending_updates")):
            self.updates.clear()  # type: ignore[attr-defined]
        return True

    async def api_getwebhookinfo(self, p: dict[str, Any]) -> dict[str, Any]:
        """getWebhookInfo."""
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),  # type: ignore[attr-defined]
        }

    async def api_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        """getUpdates, refused with 409 while a webhook is set (as Telegram does)."""
        if self.webhook_url:
            raise ApiError(409, CONFLICT)
        return await super().api_getupdates(p)  # type: ignore[misc]

    async def stop(self) -> None:
        await self._stop_delivery()
        await super().stop()  # type: ignore[misc]

    async def _stop_delivery(self) -> None:
        task = getattr(self, "_webhook_task", None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self._webhook_task = None

    async def post_update(self, update: dict[str, Any], *, secret: str | None) -> int:
        """POST one update to the webhook URL with `secret` (None: no header); the status."""
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook_url, json=update, headers=headers) as response,
        ):
            return response.status

    async def _deliver(self) -> None:
        """Push pending updates to the webhook, oldest first, until it is removed."""
        while self.webhook_url:
            batch = self._take_updates(None, 1)  # type: ignore[attr-defined]
            if not batch:
                event = self._update_event  # type: ignore[attr-defined]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), 0.5)
                continue
            update = batch[0]
            try:
                status: int | None = await self.post_update(update, secret=self.webhook_secret)
            except aiohttp.ClientError:
                status = None
            self.webhook_attempts.append((update["update_id"], status))
            if status == 200:
                if update in self.updates:  # type: ignore[attr-defined]
                    self.updates.remove(update)  # type: ignore[attr-defined]
                self.delivered_updates.append(update)  # type: ignore[attr-defined]
                self._notify_change()  # type: ignore[attr-defined]
            else:
                await asyncio.sleep(self.retry_delay)


def _flag(value: Any) -> bool:
    return value in (True, "true", "True", "1", 1)
