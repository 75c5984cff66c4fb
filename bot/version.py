"""The version of grannvakt, as installed, and the User-Agent that carries it."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

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


def telegram_request(*, get_updates: bool = False) -> VersionedRequest:
    """A request object as ApplicationBuilder would make one (its pool sizes)."""
    return VersionedRequest(connection_pool_size=1 if get_updates else 256)
