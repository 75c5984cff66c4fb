"""One HTTP call to the feed, with httpx: timeouts, our User-Agent, no redirects.

HTTPS only, except a loopback `http://` URL (the tests' local server).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

TIMEOUT = httpx.Timeout(20.0, connect=10.0)
# httpx's read timeout is per read: a server sending a byte now and then would hold the
# call (and `grannvakt feed poll`) forever. The whole call ends after this many seconds.
DEADLINE = 30.0
MAX_BODY = 5_000_000  # bytes; a 500-event answer is about 200 kB
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def url_allowed(url: str) -> bool:
    """https://…, or http:// to a loopback host (tests)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)


def user_agent(version: str, contact: str | None) -> str:
    """'grannvakt/0.1.0 (+ops@example.se)'; without a contact just 'grannvakt/0.1.0'."""
    base = f"grannvakt/{version}"
    return f"{base} (+{contact})" if contact else base


@dataclass(frozen=True)
class FetchResult:
    """What one call gave: an HTTP status and body, or `error` ('timeout', 'network', …)."""

    status: int | None
    body: bytes = b""
    retry_after: str | None = None
    error: str | None = None


async def fetch(url: str, agent: str) -> FetchResult:
    """GET the feed once. Never raises for network trouble: it comes back as `error`."""
    if not url_allowed(url):
        return FetchResult(None, error="url_refused")
    headers = {"User-Agent": agent, "Accept": "application/json"}
    try:
        async with (
            asyncio.timeout(DEADLINE),
            httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            body = b""
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_BODY:  # stop reading: a huge answer is not held in memory
                    break
    except (httpx.TimeoutException, TimeoutError):
        return FetchResult(None, error="timeout")
    except httpx.HTTPError as exc:
        return FetchResult(None, error=f"network:{type(exc).__name__}")
    if len(body) > MAX_BODY:
        return FetchResult(response.status_code, error="too_large")
    return FetchResult(response.status_code, body, response.headers.get("Retry-After"))
