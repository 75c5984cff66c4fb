"""Every text exists in every language with the same placeholders."""

import pytest

from bot.i18n import LANGUAGES, Html, Plural, catalogs, normalize_language, placeholders, t


def test_every_key_in_every_language_with_same_placeholders():
    tables = catalogs()
    reference = tables["sv"]
    for lang in LANGUAGES:
        assert tables[lang].keys() == reference.keys(), f"{lang} keys differ"
        for key, text in reference.items():
            assert placeholders(tables[lang][key]) == placeholders(text), key


def test_texts_are_not_empty():
    for lang, table in catalogs().items():
        for key, text in table.items():
            forms = text if isinstance(text, Plural) else (text,)
            assert all(form.strip() for form in forms), f"{lang}:{key} is empty"


def test_placeholders_are_escaped_unless_marked_html():
    text = t("en", "core.start", name="<b>Eve</b> & co", next_step=Html("<i>x</i>"))
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in text
    assert "<i>x</i>" in text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("sv", "sv"),
        ("sv-SE", "sv"),
        ("SV", "sv"),
        ("en", "en"),
        ("de", "en"),
        ("fi", "en"),
        (None, "sv"),
        ("", "sv"),
    ],
)
def test_language_code_mapping(code, expected):
    assert normalize_language(code, "sv") == expected


def test_default_language_used_without_code():
    assert normalize_language(None, "en") == "en"


def test_unknown_key_fails_loudly():
    with pytest.raises(KeyError):
        t("sv", "no.such.key")


def test_plural_form_follows_count(monkeypatch):
    table = {"x.n": Plural("{count} grupp", "{count} grupper")}
    monkeypatch.setitem(catalogs()["sv"], "x.n", table["x.n"])
    assert t("sv", "x.n", count=1) == "1 grupp"
    assert t("sv", "x.n", count=0) == "0 grupper"
    assert t("sv", "x.n", count=3) == "3 grupper"
    with pytest.raises(TypeError):
        t("sv", "x.n")


def test_t_returns_html_so_nested_texts_are_not_escaped_twice():
    inner = t("en", "core.start", name="A & B", next_step=Html(""))
    assert isinstance(inner, Html)
    outer = t("en", "core.start", name="x", next_step=inner)
    assert "A &amp; B" in outer and "&amp;amp;" not in outer
