"""Distances as people write them, the one way every text shows one.

Under a kilometre in whole metres ("800 m"); from a kilometre in kilometres with at most
one decimal, dropped when it is zero: Swedish with a decimal comma ("2,5 km", "20 km"),
English with a point ("2.5 km"). Used for radii and for how far a group's centre is.
"""

from __future__ import annotations


def format_distance(lang: str, metres: float) -> str:
    """`metres` (≥ 0) in `lang` ('sv' or 'en', others get English): "800 m", "1 km",
    "2,5 km" / "2.5 km"; kilometres rounded to one decimal (1 249 m → "1,2 km")."""
    if round(metres) < 1000:
        return f"{round(metres)} m"
    km = round(metres / 1000, 1)
    text = f"{km:.1f}".removesuffix(".0")
    return f"{text.replace('.', ',') if lang == 'sv' else text} km"
