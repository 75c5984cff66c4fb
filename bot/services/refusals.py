"""One way for a service to say no: `Refused(key, **params)`.

A service that knows a rule (who may rename a group, who may send an alert) raises
`Refused` with an i18n key; the caller does not re-check. Handlers let it propagate to
the one error handler (`handlers/errors.py`), which answers the person in their language
(a toast for a button, a reply for a message); the CLI prints the English text and exits
with status 1. Refusals are expected outcomes, so they are logged at INFO, not as errors.
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """A refused request: `key` is an i18n key, `params` its placeholders."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"Refused({self.key!r})"
