"""Units (issue 13): a kommun at the end of an area, spelling suggestions, menu keys."""

from __future__ import annotations

import pytest

from bot.commands import Where
from bot.menus import menu, person_menu_key
from bot.services.kommuner import split_misspelt_kommun, split_trailing_kommun, suggest_kommuner
from bot.services.roles import Role


@pytest.mark.parametrize(
    ("text", "area", "kommun"),
    [
        ("Norra Möllebacken Sölvesborg", "Norra Möllebacken", "Sölvesborg"),
        ("Ljungvägen i Sölvesborg", "Ljungvägen", "Sölvesborg"),
        ("Centrum Upplands Väsby", "Centrum", "Upplands Väsby"),
        ("Centrum Upplands-Väsby kommun", "Centrum", "Upplands Väsby"),
        ("Torget Lilla Edet", "Torget", "Lilla Edet"),
        ("Storgatan Sölvesborgs kommun", "Storgatan", "Sölvesborg"),
        ("Gamla stan in Stockholm", "Gamla stan", "Stockholm"),
        ("Byn Håbo", "Byn", "Håbo"),
    ],
)
def test_trailing_kommun(text, area, kommun):
    found = split_trailing_kommun(text)
    assert found is not None and found.area == area
    assert [k.name for k in found.kommuner] == [kommun]


@pytest.mark.parametrize("text", ["Norra Möllebacken", "Sölvesborg", "i Sölvesborg", ""])
def test_no_trailing_kommun_leaves_an_area(text):
    found = split_trailing_kommun(text)
    assert found is None or found.area  # never an empty area


def test_suggestions_for_misspellings():
    assert [k.name for k in suggest_kommuner("Solvesbrg")] == ["Sölvesborg"]
    assert [k.name for k in suggest_kommuner("Karlshman")] == ["Karlshamn"]
    assert suggest_kommuner("Möllebacken") == []
    assert suggest_kommuner("x" * 61) == []
    found = split_misspelt_kommun("Ljungvägen i Solvesbrg")
    assert found is not None and found.area == "Ljungvägen"


def test_person_menu_key_and_menus_by_role():
    from handlers import (
        alerts,
        core,
        groups_manage,
        observations_export,
        observations_mine,
        observations_report,
        observations_triage,
        tips,
    )

    specs = [
        *alerts.COMMANDS,
        *core.COMMANDS,
        *groups_manage.COMMANDS,
        *observations_mine.COMMANDS,
        *observations_report.COMMANDS,
        *observations_triage.COMMANDS,
        *observations_export.COMMANDS,
        *tips.COMMANDS,
    ]
    police = {
        c.command for c in menu(specs, frozenset({Role.RESIDENT, Role.POLICE}), Where.PRIVATE, "sv")
    }
    assert {"larm", "larmlista", "inkorg", "export", "rapportera", "hjalp"} <= police
    assert "observationer" not in police and "grupp" not in police
    resident = {c.command for c in menu(specs, frozenset({Role.RESIDENT}), Where.PRIVATE, "en")}
    assert {"report", "myreports", "help", "start", "language"} <= resident
    assert "export" not in resident
    assert person_menu_key(frozenset({Role.POLICE, Role.RESIDENT}), "sv") == "sv:police,resident"
