"""Tests for the kommun data file and matcher in bot.services.kommuner."""

from __future__ import annotations

import pytest

from bot.services.kommuner import (
    Kommun,
    find_kommun_by_code,
    find_kommun_by_name,
    load_kommuner,
    match_kommuner,
    normalize_name,
    split_trailing_lan,
)


def _names(kommuner: list[Kommun]) -> list[str]:
    return [k.name for k in kommuner]


# --- data integrity -------------------------------------------------------------


def test_exactly_290_kommuner_with_unique_codes_and_names() -> None:
    kommuner = load_kommuner()
    assert len(kommuner) == 290
    assert len({k.code for k in kommuner}) == 290
    assert len({k.name for k in kommuner}) == 290


def test_only_habo_and_habo_collide_after_normalisation() -> None:
    # The matcher treats this clash specially; a new one would need handling too.
    by_key: dict[str, list[str]] = {}
    for k in load_kommuner():
        by_key.setdefault(normalize_name(k.name), []).append(k.name)
    clashes = {key: sorted(names) for key, names in by_key.items() if len(names) > 1}
    assert clashes == {"habo": ["Habo", "Håbo"]}
    # Keeping diacritics, every name is distinct.
    assert len({normalize_name(k.name, strip_diacritics=False) for k in load_kommuner()}) == 290


def test_codes_and_lan_fields_are_well_formed() -> None:
    for k in load_kommuner():
        assert len(k.code) == 4 and k.code.isdigit(), k
        assert len(k.lan_code) == 2 and k.lan_code.isdigit(), k
        assert k.code[:2] == k.lan_code, k
        assert k.lan_name.endswith(" län"), k
        assert "kommun" not in k.name.casefold(), k
        assert k.name == k.name.strip() and k.name, k


def test_21_lan_each_with_a_single_name() -> None:
    lan: dict[str, set[str]] = {}
    for k in load_kommuner():
        lan.setdefault(k.lan_code, set()).add(k.lan_name)
    assert len(lan) == 21
    assert all(len(names) == 1 for names in lan.values()), lan
    assert len({next(iter(names)) for names in lan.values()}) == 21


@pytest.mark.parametrize(
    ("lan_code", "count"),
    [("01", 26), ("03", 8), ("09", 1), ("10", 5), ("12", 33), ("14", 49), ("25", 14)],
)
def test_kommuner_per_lan(lan_code: str, count: int) -> None:
    assert sum(1 for k in load_kommuner() if k.lan_code == lan_code) == count


@pytest.mark.parametrize(
    ("code", "name", "lan_name"),
    [
        ("1083", "Sölvesborg", "Blekinge län"),
        ("0180", "Stockholm", "Stockholms län"),
        ("0331", "Heby", "Uppsala län"),
        ("0330", "Knivsta", "Uppsala län"),
        ("0382", "Östhammar", "Uppsala län"),
        ("0140", "Nykvarn", "Stockholms län"),
        ("0139", "Upplands-Bro", "Stockholms län"),
        ("0114", "Upplands Väsby", "Stockholms län"),
        ("0643", "Habo", "Jönköpings län"),
        ("0642", "Mullsjö", "Jönköpings län"),
        ("1438", "Dals-Ed", "Västra Götalands län"),
        ("1462", "Lilla Edet", "Västra Götalands län"),
        ("1440", "Ale", "Västra Götalands län"),
        ("1480", "Göteborg", "Västra Götalands län"),
        ("1280", "Malmö", "Skåne län"),
        ("2023", "Malung-Sälen", "Dalarnas län"),
        ("0980", "Gotland", "Gotlands län"),
        ("2584", "Kiruna", "Norrbottens län"),
    ],
)
def test_known_kommuner(code: str, name: str, lan_name: str) -> None:
    kommun = find_kommun_by_code(code)
    assert kommun is not None
    assert (kommun.name, kommun.lan_code, kommun.lan_name) == (name, code[:2], lan_name)


def test_load_kommuner_is_cached_and_immutable() -> None:
    first = load_kommuner()
    assert load_kommuner() is first
    assert isinstance(first, tuple)
    with pytest.raises(AttributeError):
        first[0].name = "Changed"  # type: ignore[misc]


# --- lookups --------------------------------------------------------------------


def test_find_kommun_by_code_variants() -> None:
    assert find_kommun_by_code(" 1083 ") == find_kommun_by_code("1083")
    gotland = find_kommun_by_code(980)
    assert gotland is not None and gotland.name == "Gotland"
    assert find_kommun_by_code("9999") is None
    assert find_kommun_by_code("") is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sölvesborg", "Sölvesborg"),
        ("solvesborg", "Sölvesborg"),
        ("SÖLVESBORG", "Sölvesborg"),
        ("Sölvesborgs kommun", "Sölvesborg"),
        ("goteborg", "Göteborg"),
        ("GÖTEBORG", "Göteborg"),
        ("Region Gotland", "Gotland"),
        ("upplands bro", "Upplands-Bro"),
        ("Upplands-Väsby", "Upplands Väsby"),
        ("Borås kommun", "Borås"),
        ("Habo", "Habo"),
        ("habo kommun", "Habo"),
        ("Håbo", "Håbo"),
        ("HÅBO KOMMUN", "Håbo"),
    ],
)
def test_find_kommun_by_name(query: str, expected: str) -> None:
    kommun = find_kommun_by_name(query)
    assert kommun is not None
    assert kommun.name == expected


@pytest.mark.parametrize("query", ["", "Stock", "Sölvesborgs", "kommun", "Göteborg stad"])
def test_find_kommun_by_name_requires_exact_match(query: str) -> None:
    assert find_kommun_by_name(query) is None


# --- matching -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("solvesborg", "Sölvesborg"),
        ("Sölvesborg", "Sölvesborg"),
        ("  sölvesborg kommun. ", "Sölvesborg"),
        ("GÖTEBORG", "Göteborg"),
        ("goteborg", "Göteborg"),
        ("Malung salen", "Malung-Sälen"),
        ("malung-salen", "Malung-Sälen"),
        # An exact match wins even when other names start with it.
        ("Mark", "Mark"),
        ("ale", "Ale"),
    ],
)
def test_exact_match_returns_only_that_kommun(query: str, expected: str) -> None:
    assert _names(match_kommuner(query)) == [expected]


def test_habo_and_habo() -> None:
    # Without diacritics the query is ambiguous: offer both (Swedish order).
    assert _names(match_kommuner("habo")) == ["Habo", "Håbo"]
    assert _names(match_kommuner("Habo kommun")) == ["Habo", "Håbo"]
    # With them, only the one meant.
    assert _names(match_kommuner("Håbo")) == ["Håbo"]
    assert _names(match_kommuner("håbo kommun")) == ["Håbo"]
    assert find_kommun_by_code("0305") == find_kommun_by_name("Håbo")
    assert find_kommun_by_code("0643") == find_kommun_by_name("habo")


def test_prefix_match_puts_stockholm_first() -> None:
    result = match_kommuner("Stock")
    assert result
    assert result[0].name == "Stockholm"


def test_prefix_matches_for_kung() -> None:
    # Swedish order: Kungsbacka < Kungsör < Kungälv (ä sorts after z).
    assert _names(match_kommuner("kung")) == ["Kungsbacka", "Kungsör", "Kungälv"]


def test_prefix_matches_for_kungs() -> None:
    # "Kungälv" has no "s" after "Kung", so it is not a match for "kungs".
    assert _names(match_kommuner("kungs")) == ["Kungsbacka", "Kungsör"]


def test_prefix_matches_come_before_contains_matches() -> None:
    assert _names(match_kommuner("sala", limit=20)) == ["Sala"]  # exact → only Sala
    result = _names(match_kommuner("sal", limit=20))
    assert result[0] == "Sala"  # prefix
    assert "Salem" in result
    assert "Malung-Sälen" in result  # contains ("malung salen")
    assert result.index("Salem") < result.index("Malung-Sälen")


def test_contains_matches_in_swedish_order() -> None:
    assert _names(match_kommuner("holm", limit=20)) == [
        "Bjurholm",
        "Borgholm",
        "Boxholm",
        "Hässleholm",
        "Katrineholm",
        "Laholm",
        "Stockholm",
        "Tidaholm",
        "Vaxholm",
        "Ängelholm",
    ]


def test_swedish_alphabetical_order_within_group() -> None:
    # å, ä, ö after z: Örebro/Örkelljunga/Örnsköldsvik must follow every "O" name.
    result = _names(match_kommuner("o", limit=300))
    o_names = [n for n in result if n[0] in "OÖ"]
    first_o_umlaut = next(i for i, n in enumerate(o_names) if n.startswith("Ö"))
    assert all(n.startswith("O") for n in o_names[:first_o_umlaut])
    assert all(n.startswith("Ö") for n in o_names[first_o_umlaut:])


def test_limit_is_respected() -> None:
    assert len(match_kommuner("a")) == 8
    assert len(match_kommuner("a", limit=3)) == 3
    assert match_kommuner("a", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "-", "xyz", "kommun", "a" * 61])
def test_no_match(query: str) -> None:
    assert match_kommuner(query) == []


def test_query_length_boundary() -> None:
    padded = "Sölvesborg".ljust(60)
    assert _names(match_kommuner(padded)) == ["Sölvesborg"]
    assert match_kommuner("Sölvesborg".ljust(61)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Norra Möllebacken Sölvesborg Blekinge län", ("Norra Möllebacken Sölvesborg", "10")),
        ("Sölvesborg, Blekinge län", ("Sölvesborg", "10")),
        ("Sölvesborg, Blekinge", ("Sölvesborg", "10")),
        ("Sölvesborg,Blekinge lan", ("Sölvesborg", "10")),
        ("Lerum Västra Götalands län", ("Lerum", "14")),
        ("Mora, Dalarna", ("Mora", "20")),
        ("Karlshamn, Blekinge County", ("Karlshamn", "10")),
        ("Blekinge län", None),  # nothing before it
        ("Norra Möllebacken Sölvesborg", None),
    ],
)
def test_a_trailing_lan_is_split_off(text, expected):
    assert split_trailing_lan(text) == expected
