"""The one order of names shown to people (storage/name_order.py): natural ("Område 2"
before "Område 10"), case-insensitive, Swedish (å, ä, ö after z), ties by id; and the
storage lists that use it, read twice and paged."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from bot.services import alert_targets
from bot.services.kommuner import by_kommun_name
from bot.services.roles import Access
from storage import groups as group_store
from storage import my_groups as my_store
from storage import users as user_store
from storage.name_order import by_name, name_key

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
# Each name before the next, as a Swedish reader expects.
EXPECTED = [
    "1:a gruppen",
    "almvägen",
    "Björkvägen",
    "Eklunden",
    "Område 2",
    "Område 02 b",
    "Område 10",
    "område 11",
    "Området",
    "Zetavägen",
    "Åsen",
    "Ängen",
    "ängen",
    "Öster",
]


def test_name_key_orders_naturally_case_insensitively_and_swedishly():
    shuffled = EXPECTED[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=name_key) == EXPECTED


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Område 2", "Område 10"),  # numbers by value, not by character
        ("Gata 9 b", "Gata 10 a"),
        ("almvägen", "Björk"),  # case does not matter
        ("Zeta", "Åsen"),  # å, ä, ö after z, in that order
        ("Åsen", "Älven"),
        ("Älven", "Ödeshög"),
        ("Ecke", "Éva"),  # other accents are their letter
        ("Éva", "Evb"),
        ("Malung-Sälen", "Malung Sälen x"),  # a hyphen is a space
        ("Ängen", "ängen"),  # equal but for case: still one order
    ],
)
def test_pairs(first, second):
    assert name_key(first) < name_key(second)


def test_huge_numbers_and_empty_names_do_not_fail():
    # int() of a digit run this long would raise (Python's limit is 4300 digits)
    names = ["Område " + "1" * 4400, "9" * 5000, ""]
    assert sorted(names, key=name_key) == ["", "9" * 5000, names[0]]
    assert name_key("9" * 5000) > name_key("9" * 4999) > name_key("0" * 6000 + "8")
    assert name_key(None) == name_key("")


def test_ties_by_id():
    items = [(3, "Område 2"), (1, "Område 2"), (2, "Område 1")]
    assert by_name(items, lambda i: i[1], lambda i: i[0]) == [
        (2, "Område 1"),
        (1, "Område 2"),
        (3, "Område 2"),
    ]


def test_kommuner_by_name():
    # Östra Göinge 1256, Ale 1440, Åre 2321, Älmhult 0765, Sölvesborg 1083, Arvika 1784
    assert by_kommun_name(["1256", "1440", "2321", "0765", "1083", "1784"]) == [
        "1440",
        "1784",
        "1083",
        "2321",
        "0765",
        "1256",
    ]


async def _groups(db, names: list[str], kommun: str = "1083", first: int = 0) -> dict[str, int]:
    ids = {}
    for n, name in enumerate(names, start=first):
        group = await group_store.ensure_group(db, -9000 - n, f"chat {n}", NOW)
        await group_store.register_group(db, group.id, name, kommun, NOW)
        ids[name] = group.id
    return ids


async def test_my_groups_and_active_groups_and_member_groups(db):
    shuffled = EXPECTED[:]
    random.Random(3).shuffle(shuffled)
    ids = await _groups(db, shuffled)
    await user_store.upsert_user(
        db, 5, first_name="Cia", last_name=None, username=None,
        telegram_language_code="sv", now=NOW,
    )  # fmt: skip
    for group_id in ids.values():
        await group_store.add_member(db, group_id, 5, "deep_link", NOW)
    assert [m.area for m in await my_store.memberships_of(db, 5)] == EXPECTED
    assert [g.area_name for g in await group_store.active_groups(db)] == EXPECTED
    assert [g.area_name for g in await group_store.groups_of_member(db, 5)] == EXPECTED


async def test_a_groups_people_in_pages_by_name_then_id(db):
    [group_id] = (await _groups(db, ["Område 1"])).values()
    names = [*EXPECTED, "Åsen"]  # two people called Åsen: by Telegram id
    order = list(range(100, 100 + len(names)))
    random.Random(5).shuffle(order)
    for user_id, name in zip(order, names, strict=True):
        await user_store.upsert_user(
            db, user_id, first_name=name, last_name=None, username=None,
            telegram_language_code="sv", now=NOW,
        )  # fmt: skip
        await group_store.add_member(db, group_id, user_id, "deep_link", NOW)
    pages = [await my_store.members(db, group_id, 4, offset) for offset in range(0, 16, 4)]
    seen = [(m.name, m.user_id) for page in pages for m in page]
    expected = sorted(zip(names, order, strict=True), key=lambda p: (name_key(p[0]), p[1]))
    assert seen == expected
    assert [name for name, _ in seen] == sorted(names, key=name_key)
    assert await my_store.members(db, group_id, 4, 0) == pages[0]  # the same on every read


async def test_alert_kommun_buttons_by_name(db):
    # Östra Göinge, Ale, Åre, Älmhult: one group each
    for n, code in enumerate(["1256", "1440", "2321", "0765"]):
        await _groups(db, [f"G{n}"], code, first=n)
    access = Access(1, True, frozenset(), frozenset())
    choices, left_out = await alert_targets.kommun_choices(db, access)
    assert [name for _, name, _ in choices] == ["Ale", "Åre", "Älmhult", "Östra Göinge"]
    assert left_out == 0
