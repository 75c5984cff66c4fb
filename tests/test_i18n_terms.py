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


# Swedish: a kontaktombud is a "kontaktombud", never a "samordnare" (the lägesbild's texts said
# "Samordnarna får gruppens diagram" to the very kontaktombud who pressed the button). The
# kommun's "trygghetssamordnare" is another role and stays.
NOT_OURS_SV = (r"\bsamordnar(?:e|en|na)\b", r"\bkoordinator", r"\bkontaktperson")


def test_swedish_texts_name_the_kontaktombud_kontaktombud():
    pattern = re.compile("|".join(NOT_OURS_SV), re.IGNORECASE)
    assert "kontaktombud" in " ".join(str(v) for v in catalogs()["sv"].values())
    wrong = sorted(
        key
        for key, text in catalogs()["sv"].items()
        for form in ([text.one, text.other] if isinstance(text, Plural) else [str(text)])
        if pattern.search(form)
    )
    assert wrong == []
