"""A police event type's name in a person's language, the one way every text shows one.

The police's own name ("Inbrott", "Trafikolycka, vilt") is the key: it is stored,
counted and filtered on unchanged, and it is the Swedish name. Other languages take the
name from the catalog (bot/i18n/catalog/feed_types.py). The police add and rename types,
so a type the catalog does not know keeps the police's name: never an error.
"""

from __future__ import annotations

from bot.i18n import catalogs
from bot.i18n.catalog.feed_types import PREFIX


def event_type_name(lang: str, event_type: str) -> str:
    """The name of the police's `event_type` in `lang`.

    'sv' (and any language without a catalog): `event_type` unchanged. Others: the
    catalog's name ("Inbrott" → "Burglary"), looked up with surrounding and repeated
    whitespace ignored (the police once sent a type with a trailing space); a type the
    catalog lacks: `event_type` unchanged.
    """
    if lang == "sv":
        return event_type
    name = catalogs().get(lang, {}).get(PREFIX + " ".join(event_type.split()))
    return name if isinstance(name, str) else event_type
