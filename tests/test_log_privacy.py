"""No bot token, webhook secret or text a person wrote reaches the logs at INFO.

Runs real flows (a report, an alert, free text in private and in a group) through the
webhook with the production logging set-up (bot/logging_setup.py) and scans every record
at INFO and above, as logged (before any redaction) and as written out."""

from __future__ import annotations

import io
import logging
import socket

import pytest

from bot.logging_setup import configure_logging
from tests.alerts_helpers import compose_alert
from tests.harness import BotHarness, fixed_clock
from tests.test_observations_support import build_world, file_report

SECRET = "log-privacy-secret-0123456789"
REPORT = "Två män med kofot vid Lindqvists garage"
ALERT = "Inbrott hos familjen Nilsson på Björkvägen 7"
PRIVATE = "Hej, jag heter Karin Lindqvist och bor på Ekvägen 12"
GROUP = "Någon har stått vid Bergs brevlåda hela kvällen"


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.texts.append(f"{record.levelname} {record.name}: {text}")


@pytest.fixture
def production_logging():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    records = _Records()
    yield stream, records
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_no_token_secret_or_personal_text_in_info_logs(emu, tmp_path, production_logging):
    stream, records = production_logging
    port = _free_port()
    harness = BotHarness(
        emu,
        tmp_path / "g.db",
        clock=fixed_clock(),
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_port=port,
        webhook_secret=SECRET,
    )
    configure_logging(
        level="INFO",
        log_format="text",
        zone=harness.settings.tzinfo,
        secrets=[emu.token, SECRET],
        stream=stream,
    )
    # First in line: it sees each record before the output handler's redaction touches it.
    logging.getLogger().handlers.insert(0, records)
    w = await build_world(harness)
    try:
        await file_report(w, w.anna, REPORT)
        n = len(emu.sent_messages(w.anna.id))
        await emu.send_text(w.anna, PRIVATE)
        await emu.wait_for_message(w.anna.id, after=n)
        group_chat = emu.chats[next(iter(c for c in emu.chats if c < 0))]
        await emu.send_text(w.anna, GROUP, chat=group_chat)
        await compose_alert(emu, w.pia, ALERT)
        await emu.wait_until(lambda: any(ALERT in (m.text or "") for m in emu.sent_messages()))
        assert await emu.post_update({"update_id": 1}, secret="wrong") == 403
    finally:
        await harness.stop()
    assert len(records.texts) > 5  # the flows did log (start, stop, ...)
    written = stream.getvalue()
    needles = [emu.token, emu.token.split(":")[1], SECRET, REPORT, ALERT, PRIVATE, GROUP]
    for needle in needles:
        leaks = [text for text in records.texts if needle in text]
        assert not leaks, (needle, leaks)
        assert needle not in written


def test_text_format_is_local_time_with_the_zone(production_logging):
    from zoneinfo import ZoneInfo

    stream, _ = production_logging
    configure_logging(
        level="INFO", log_format="text", zone=ZoneInfo("Europe/Stockholm"), stream=stream
    )
    record = logging.LogRecord("bot.x", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    record.created = 1764504000.25  # 2025-11-30 12:00:00.250 UTC
    record.msecs = 250
    logging.getLogger().handle(record)
    assert stream.getvalue() == "2025-11-30 13:00:00.250 CET INFO bot.x: hello world\n"


def test_json_format_for_log_collectors(production_logging):
    import json
    from zoneinfo import ZoneInfo

    stream, _ = production_logging
    configure_logging(
        level="INFO",
        log_format="json",
        zone=ZoneInfo("Europe/Stockholm"),
        secrets=["123456:SECRET-TOKEN"],
        stream=stream,
    )
    logging.getLogger("bot.y").warning("token %s leaked", "123456:SECRET-TOKEN")
    entry = json.loads(stream.getvalue())
    assert entry["level"] == "WARNING" and entry["logger"] == "bot.y"
    assert entry["message"] == "token <redacted> leaked"
    assert entry["time"].endswith("+00:00")


def test_a_traceback_quoting_the_token_is_redacted(production_logging):
    from zoneinfo import ZoneInfo

    stream, _ = production_logging
    for log_format in ("text", "json"):
        configure_logging(
            level="INFO",
            log_format=log_format,
            zone=ZoneInfo("Europe/Stockholm"),
            secrets=["123456:SECRET-TOKEN"],
            stream=stream,
        )
        try:
            raise ConnectionError("cannot POST https://api.telegram.org/bot123456:SECRET-TOKEN/x")
        except ConnectionError:
            logging.getLogger("bot.z").exception("send failed")
    written = stream.getvalue()
    assert "SECRET-TOKEN" not in written
    assert (
        written.count("ConnectionError: cannot POST https://api.telegram.org/bot<redacted>/x") == 2
    )
