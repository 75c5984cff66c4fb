"""Issue #11: no handler parses callback data by hand; every button is a declaration of
bot/callbacks.py (pack, unpack, filter). This reads the source: a new hand-written parser
anywhere in handlers/ or bot/ fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODEC = ROOT / "bot" / "callbacks.py"
# `.data` of a CallbackQuery (or a `data` string taken from it) split, indexed, matched or
# stripped by hand; `callback_data=` built from an f-string or by concatenation.
HAND_PARSING = [
    re.compile(r"\.data\b[^\n]*\.(split|partition|startswith|removeprefix|endswith)\("),
    re.compile(r"\.data\s*(or\s*\"\"\s*\))?\s*\["),
    re.compile(r"\bre\.(match|fullmatch|search)\([^\n]*\.data\b"),
    re.compile(r"\bdata\.(split|removeprefix|startswith)\((?!\(?b[\"'])"),
    re.compile(r"callback_data\s*=\s*(f\"|\"[^\"]*\"\s*\+|[A-Z_]+\s*\+)"),
    re.compile(r"[\"'](callback_data)[\"']\s*:\s*f[\"']"),
    re.compile(r"pattern\s*=\s*(r?f?[\"'])"),
]


def _sources() -> list[Path]:
    files = [*ROOT.joinpath("handlers").rglob("*.py"), *ROOT.joinpath("bot").rglob("*.py")]
    return sorted(path for path in files if path != CODEC)


def _offences(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() for rx in HAND_PARSING if rx.search(line)]


def test_no_handler_parses_callback_data_by_hand() -> None:
    found = {
        str(path.relative_to(ROOT)): offences
        for path in _sources()
        if (offences := _offences(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize(
    "line",
    [
        'parts = query.data.split(":")',
        "code = query.data.removeprefix(PREFIX)",
        'value = (callback_query(update).data or "").split(":", 2)[2]',
        'match = re.match(r"^obs:i:(\\d+)$", callback_query(update).data or "")',
        'value = data.removeprefix(PREFIX + "t:")',
        'InlineKeyboardButton(label, callback_data=f"tips:p:{g.id}")',
        "InlineKeyboardButton(label, callback_data=PREFIX + data)",
        'CallbackQueryHandler(on_list, pattern=r"^obs:l:")',
        '{"text": label, "callback_data": f"ack:{alert_id}"}',
    ],
)
def test_the_check_recognises_the_old_parsers(line: str) -> None:
    assert _offences(line), line
