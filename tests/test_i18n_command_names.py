"""Every text names a command the way its language does: English texts /map, /help,
Swedish texts /karta, /hjalp (review of #17: the English /start of the kommun role said
"/karta for the map" while its welcome said /map). Both names work; the text should not
switch language in the middle of a sentence."""

from __future__ import annotations

import re

import bot.app
from bot.i18n import Plural, catalogs

SPECS = [c for m in bot.app.FEATURE_MODULES for c in getattr(m, "COMMANDS", [])]
# A command with its own Swedish name: (English name, Swedish name).
PAIRS = [(c.name, c.swedish_alias) for c in SPECS if c.swedish_alias and c.swedish_alias != c.name]
OTHER_LANGUAGE = {
    "en": {sv for en, sv in PAIRS} - {c.name for c in SPECS},
    "sv": {en for en, sv in PAIRS},
}
COMMAND = re.compile(r"(?<![\w/.])/([a-z_]+)\b")


def forms(text) -> list[str]:
    return [text.one, text.other] if isinstance(text, Plural) else [str(text)]


def test_texts_name_commands_in_their_own_language():
    assert PAIRS and OTHER_LANGUAGE["en"] and OTHER_LANGUAGE["sv"]
    wrong = [
        (lang, key, f"/{name}")
        for lang, texts in catalogs().items()
        for key, text in texts.items()
        for form in forms(text)
        for name in COMMAND.findall(form)
        if name in OTHER_LANGUAGE.get(lang, ())
    ]
    assert wrong == []
