"""Event types of the police feed and the categories groups choose from.

Types drift (renames, new ones, a trailing space), so they are stripped before lookup and
anything not listed here is an *unknown type*: logged once, counted, shown in `/feed` and
`grannvakt feed status`, and never sent by default.
"""

from __future__ import annotations

from functools import lru_cache

BURGLARY = "burglary"
VANDALISM = "vandalism"
FRAUD = "fraud"
VEHICLE_FOUND = "vehicle_found"
DRUGS = "drugs"
TRAFFIC = "traffic"
OTHER = "other"  # known types no group can opt into (fires, summaries, …)

#: Categories a coordinator may switch on, in panel order; burglary is on by default.
CHOOSABLE = (BURGLARY, VANDALISM, FRAUD, VEHICLE_FOUND, DRUGS, TRAFFIC)
DEFAULT_CATEGORIES = frozenset({BURGLARY})

EMOJI = {
    BURGLARY: "🏠",
    VANDALISM: "🔨",
    FRAUD: "💳",
    VEHICLE_FOUND: "🚗",
    DRUGS: "💊",
    TRAFFIC: "🚦",
    OTHER: "ℹ️",
}

_CATEGORY_TYPES = {
    BURGLARY: (
        "Inbrott", "Inbrott, försök", "Larm Inbrott", "Stöld", "Stöld, försök",
        "Stöld/inbrott", "Motorfordon, stöld", "Rån", "Rån, försök", "Rån övrigt",
        "Rån väpnat", "Olaga intrång", "Hemfridsbrott", "Häleri", "Åldringsbrott",
    ),
    VANDALISM: ("Skadegörelse",),
    FRAUD: ("Bedrägeri",),
    VEHICLE_FOUND: ("Motorfordon, anträffat stulet",),
    DRUGS: ("Narkotikabrott",),
    TRAFFIC: (
        "Trafikolycka", "Trafikolycka, personskada", "Trafikolycka, singel",
        "Trafikolycka, smitning från", "Trafikolycka, vilt", "Trafikolycka, övrigt",
        "Rattfylleri", "Trafikkontroll", "Trafikbrott", "Trafikhinder", "Olovlig körning",
    ),
    OTHER: (
        "Alkohollagen", "Anträffad död", "Anträffat gods", "Arbetsplatsolycka", "Brand",
        "Bråk", "Detonation", "Djur", "Explosion", "Farligt föremål, misstänkt",
        "Fjällräddning", "Fylleri", "Fylleri/LOB", "Försvunnen person", "Information",
        "Knivlagen", "Kontroll", "Kontroll person/fordon", "Larm Överfall", "Larm övrigt",
        "Misshandel", "Misshandel, grov", "Missbruk av urkund", "Mord/dråp",
        "Mord/dråp, försök", "Mordbrand", "Ofog barn/ungdom", "Ofredande/förargelse",
        "Olaga frihetsberövande", "Olaga hot", "Ordningslagen", "Polisinsats/kommendering",
        "Räddningsinsats", "Sammanfattning dag", "Sammanfattning dag och natt",
        "Sammanfattning eftermiddag", "Sammanfattning förmiddag", "Sammanfattning helg",
        "Sammanfattning kväll", "Sammanfattning kväll och natt", "Sammanfattning natt",
        "Sammanfattning vecka", "Sedlighetsbrott", "Sexualbrott", "Sjukdom/olycksfall",
        "Sjölagen", "Skottlossning", "Skottlossning, misstänkt", "Skyddslagen", "Smällar",
        "Spridning smittsamma kemikalier", "Uppdatering", "Utlänningslagen", "Vapenlagen",
        "Våld/hot mot tjänsteman", "Våldtäkt", "Våldtäkt, försök",
        "Vållande till kroppsskada", "Övrigt",
    ),
}  # fmt: skip

_BY_TYPE = {name: cat for cat, names in _CATEGORY_TYPES.items() for name in names}


def clean_type(raw: object) -> str:
    """The type with surrounding and repeated whitespace removed ('' for a non-string)."""
    return " ".join(raw.split()) if isinstance(raw, str) else ""


def category_of(event_type: str) -> str | None:
    """The category of a cleaned type; None for a type this version does not know."""
    return _BY_TYPE.get(event_type)


@lru_cache(maxsize=256)
def parse_categories(stored: str) -> frozenset[str]:
    """Stored form ('burglary,traffic') → set; unknown names are dropped."""
    return frozenset(part for part in stored.split(",") if part in CHOOSABLE)


def format_categories(categories: frozenset[str] | set[str]) -> str:
    """Set → stored form, in panel order."""
    return ",".join(c for c in CHOOSABLE if c in categories)
