"""How the process logs: readable lines in local time (zone shown), or JSON for collectors.

`LOG_FORMAT=text` (the default) writes `2026-11-30 05:12:03.123 CET INFO bot.app: ...`
in the configured TIMEZONE; `LOG_FORMAT=json` writes one JSON object a line with the time
in UTC (ISO 8601), level, logger, message and, for errors, the traceback. Every record
passes a filter that blanks the bot token and the webhook secret, a last net under the
rule that neither is ever logged.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO
from zoneinfo import ZoneInfo

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class LocalTimeFormatter(logging.Formatter):
    """Text lines stamped in `zone`, milliseconds and the zone's abbreviation included."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__(TEXT_FORMAT)
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, self.zone)
        return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{int(record.msecs):03d} {moment:%Z}"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC ISO 8601), level, logger, message[, exception]."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:  # already formatted (and redacted) by RedactFilter
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RedactFilter(logging.Filter):
    """Replaces secrets in a record's message (and arguments) by `<redacted>`."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        text = record.getMessage()
        cleaned = self._clean(text)
        if cleaned != text:
            record.msg, record.args = cleaned, None
        # A traceback can quote a URL with the token in it (httpx errors do).
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text


def configure_logging(
    *,
    level: str,
    log_format: str,
    zone: ZoneInfo,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Replace the root logger's handlers by one on `stream` (stderr); returns it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else LocalTimeFormatter(zone))
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # aiohttp's access log would write a line per webhook POST.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    return handler
