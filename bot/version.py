"""The version of grannvakt, as installed (the Bot API client's User-Agent carries it:
bot/api_request.py)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    """The installed package's version (pyproject.toml), or "0" when run from a bare checkout."""
    try:
        return version("grannvakt")
    except PackageNotFoundError:
        return "0"
