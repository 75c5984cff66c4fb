"""Units: the one definition of text length (UTF-16 code units, as Telegram counts)."""

from __future__ import annotations

from bot.services import alerts, digest_text
from bot.textlen import clip, is_blank, utf16_len, visible_length


def test_utf16_len_counts_astral_characters_twice():
    assert utf16_len("abc") == 3
    assert utf16_len("åäö") == 3
    assert utf16_len("🚓") == 2
    assert utf16_len("🚓" * 2000) == 4000


def test_visible_length_drops_tags_and_decodes_entities():
    assert visible_length("<b>a&amp;b</b> 🚓") == 6
    assert alerts.visible_length is visible_length  # the alert checks use the same function


def test_digest_budget_uses_the_same_length():
    assert digest_text._size("🚓" * 10) == utf16_len("🚓" * 10) == 20


def test_clip_cuts_by_utf16_units_without_splitting_a_character():
    assert clip("short", 10) == "short"
    cut = clip("🚓" * 50, 11)
    assert cut == "🚓" * 5 + "…" and utf16_len(cut) <= 11
    assert clip("x" * 100, 60) == "x" * 59 + "…"


def test_is_blank_sees_spaces_and_invisible_characters():
    assert is_blank("") and is_blank(None) and is_blank("   \n\t")
    assert is_blank("\u200b\u00a0\u2060")
    assert not is_blank(" a ") and not is_blank("🚓")
