"""One English word for one role: a kontaktombud is "coordinator" in every English text
(review of #17: /mygroups and the report feedback said "contact person", the rest of the bot
"coordinator", so a reader could think of two different people)."""

from __future__ import annotations

import re

from bot.i18n import Plural, catalogs

# Words the English texts must not use, with the bot's own word for the same thing.
NOT_OURS = {"contact person": "coordinator", "contact persons": "coordinators"}


def test_english_texts_name_the_kontaktombud_coordinator():
    pattern = re.compile("|".join(sorted(NOT_OURS, key=len, reverse=True)), re.IGNORECASE)
    assert "coordinator" in " ".join(str(v) for v in catalogs()["en"].values())
    wrong = sorted(
        key
        for key, text in catalogs()["en"].items()
        for form in ([text.one, text.other] if isinstance(text, Plural) else [str(text)])
        if pattern.search(form)
    )
    assert wrong == []


def test_swedish_texts_name_the_coordinator_kontaktombud():
    """/lagesbild told someone without a role it was for "kommunen, polisen och
    samordnare": the bot's word is kontaktombud (a trygghetssamordnare is the kommun)."""
    pattern = re.compile(r"(?<![\w-])samordnar(e|en|na)\b", re.IGNORECASE)
    wrong = sorted(
        key
        for key, text in catalogs()["sv"].items()
        for form in ([text.one, text.other] if isinstance(text, Plural) else [str(text)])
        if pattern.search(form)
    )
    assert wrong == []
