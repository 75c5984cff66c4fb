"""The feed's health as police officers and admins read it in /feed (handlers/feed.py)."""

from __future__ import annotations

import pytest

from bot.i18n import catalogs
from handlers.feed import outcome_text

OUTCOMES = [
    "ok", "baseline", "pending", "suspect:empty", "suspect:one_type", "suspect:stale_window",
    "http_404", "http_429", "http_503", "error:timeout", "error:network:ConnectError",
    "error:bad_body", "error:too_large",
]  # fmt: skip


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_stored_outcome_reads_as_words(lang, outcome):
    text = outcome_text(lang, outcome)
    assert text and "{" not in text
    if outcome not in ("ok", "error:too_large"):
        # Words, not the stored code ('suspect:one_type', 'error:timeout', 'baseline' …).
        assert outcome not in text and "_" not in text


def test_outcome_words_differ_by_language():
    assert outcome_text("sv", "suspect:one_type") == (
        "misstänkt svar (bara en händelsetyp), inget skickades"
    )
    assert outcome_text("en", "http_503") == "server error (HTTP 503)"
    assert outcome_text("sv", "error:timeout") == "inget svar i tid"


def test_outcome_texts_exist_in_both_languages():
    keys = {k for k in catalogs()["sv"] if k.startswith("feed.outcome.")}
    assert keys and keys == {k for k in catalogs()["en"] if k.startswith("feed.outcome.")}
