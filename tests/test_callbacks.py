"""The callback codec: typed pack/unpack, the 64-byte limit, versions and forged data."""

from __future__ import annotations

import enum

import pytest

from bot.callbacks import CallbackData, InvalidCallback, any_declared


class Verb(enum.StrEnum):
    OPEN = "o"
    CLOSE = "c"


class Sample(CallbackData, prefix="zzsample"):
    verb: Verb
    item_id: int
    page: int | None
    flag: bool
    name: str


class SampleV2(CallbackData, prefix="zzv", version=2):
    item_id: int


def test_round_trip_gives_typed_values() -> None:
    packed = Sample(Verb.CLOSE, 42, None, True, "abc").pack()
    assert packed == "zzsample1:c:42:-:1:abc"
    value = Sample.unpack(packed)
    assert value == Sample(Verb.CLOSE, 42, None, True, "abc")
    assert value.verb is Verb.CLOSE


def test_pack_refuses_more_than_64_bytes() -> None:
    with pytest.raises(ValueError, match="64"):
        Sample(Verb.OPEN, 1, 1, False, "å" * 40).pack()


def test_pack_refuses_separator_in_text() -> None:
    with pytest.raises(ValueError):
        Sample(Verb.OPEN, 1, 1, False, "a:b").pack()


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "zzsample1",
        "zzsample1:x:42:-:1:abc",  # unknown verb
        "zzsample1:o:4a:-:1:abc",  # not a number
        "zzsample1:o:42:-:2:abc",  # not a bool
        "zzsample1:o:42:-:1:abc:extra",
        "zzsample1:o:-:-:1:abc",  # required field missing
        "zzsample2:o:42:-:1:abc",  # another version
        "other1:o:42:-:1:abc",
    ],
)
def test_unpack_rejects_forged_or_expired_data(forged: str | None) -> None:
    with pytest.raises(InvalidCallback):
        Sample.unpack(forged)
    assert Sample.parse(forged) is None


def test_filter_and_stale_filter() -> None:
    current = SampleV2(7).pack()
    assert current == "zzv2:7"
    assert SampleV2.filter()(current)
    assert SampleV2.filter(item_id=7)(current)
    assert not SampleV2.filter(item_id=8)(current)
    assert not SampleV2.stale_filter()(current)
    assert SampleV2.stale_filter()("zzv1:7")  # a button from the previous release
    assert not SampleV2.filter()("zzv1:7")
    assert any_declared(current)
    assert not any_declared("zzv1:7")


def test_prefixes_are_unique() -> None:
    with pytest.raises(TypeError, match="already used"):

        class Clash(CallbackData, prefix="zzv"):
            item_id: int


class LegacyV0(CallbackData, prefix="zzlegacy", version=0):
    item_id: int


class LegacyV2(CallbackData, prefix="zzlegacy", version=2):
    item_id: int


def test_a_legacy_unversioned_declaration_reads_the_old_format() -> None:
    assert LegacyV0(5).pack() == "zzlegacy:5"
    assert LegacyV0.unpack("zzlegacy:5") == LegacyV0(5)
    assert LegacyV2.parse("zzlegacy:5") is None and LegacyV2.unpack("zzlegacy2:5").item_id == 5
    assert LegacyV0.parse("zzlegacy2:5") is None
    assert any_declared("zzlegacy:5") and any_declared("zzlegacy2:5")
    assert LegacyV2.family_filter()("zzlegacy:5") and LegacyV2.family_filter()("zzlegacy7:x")
    assert not LegacyV2.family_filter()("zzlegacyx:5")


def test_a_prefix_has_one_current_layout_and_one_legacy_layout() -> None:
    with pytest.raises(TypeError, match="already used"):

        class Clash(CallbackData, prefix="zzlegacy", version=3):
            item_id: int

    with pytest.raises(TypeError, match="already used"):

        class Clash2(CallbackData, prefix="zzlegacy", version=0):
            item_id: int
