"""Issue #14: groups have a place (/grupp plats) and the police target groups near a place
(/larm → "Nära en plats"), end to end through the emulator, Swedish and English."""

from __future__ import annotations

import math

import pytest

from bot.services import places
from bot.services.roles import system
from bot.textlen import utf16_len
from handlers.alerts_buttons import (
    AlertConfirm,
    AlertNear,
    AlertPhotoSkip,
    AlertRadius,
    AlertTarget,
    AlertType,
    Target,
)
from storage import groups as group_store
from storage import places as place_store
from storage.places import GroupPlace
from tests.alerts_helpers import answer_details, make_police, register_groups, text_of

METRES_PER_DEGREE = places.EARTH_RADIUS_M * math.pi / 180  # along a meridian


async def _always(chat_id: int, user_id: int) -> bool:
    return True


# -- units -------------------------------------------------------------------------------


def test_haversine_matches_known_distances():
    # one degree of latitude along a meridian, and Stockholm–Göteborg (~398 km)
    assert places.distance_m(56.0, 14.0, 57.0, 14.0) == pytest.approx(METRES_PER_DEGREE)
    assert places.distance_m(59.3293, 18.0686, 57.7089, 11.9746) == pytest.approx(398_000, rel=0.01)


def test_boundary_rule_includes_exactly_the_radius():
    """distance − group radius ≤ chosen radius, in whole metres: equal is inside."""
    place = GroupPlace(1, 56.060, 14.580, 500)
    on_boundary = 56.060 - 1500 / METRES_PER_DEGREE  # 1500 m south of the centre
    assert places.matches(place, on_boundary, 14.580, 1000) == 1500
    just_out = 56.060 - 1501 / METRES_PER_DEGREE
    assert places.matches(place, just_out, 14.580, 1000) is None
    # the same point with a group radius one metre smaller is outside
    assert places.matches(GroupPlace(1, 56.060, 14.580, 499), on_boundary, 14.580, 1000) is None


def test_rounding_and_radius_parsing():
    assert places.round_coordinate(56.051849) == 56.052
    assert places.round_coordinate(14.58049) == 14.58
    assert places.parse_radius("2 km") == 2000
    assert places.parse_radius("1,5 km") == 1500
    assert places.parse_radius("800 m") == 800
    assert places.parse_radius("800") == 800
    assert places.parse_radius("3") == 3000
    for bad in ("", "abc", "50 m", "30 km", "nan", "-1 km"):
        assert places.parse_radius(bad) is None, bad


# -- /grupp plats ---------------------------------------------------------------------------


async def _coordinated_group(bot, lang: str):
    anna = bot.emu.add_user("Anna", language_code=lang)
    cia = bot.emu.add_user("Cia", language_code=lang)
    grp = bot.emu.add_group("G", members=[cia], admins=[anna], bot_is_member=True)
    command = "/registrera Torget, Lund" if lang == "sv" else "/register Torget, Lund"
    await bot.emu.send_text(anna, command, chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    return anna, cia, grp, group


async def test_coordinator_shares_the_groups_place_in_swedish(bot):
    emu, db = bot.emu, bot.services.db
    anna, cia, grp, group = await _coordinated_group(bot, "sv")
    await emu.send_text(anna, "/grupp", chat=grp)
    info = await emu.wait_for_message(grp.id)
    assert "Plats: ingen" in info.text  # a group without a place works as before
    shared = await emu.share_location(anna, 55.704649, 13.191292, chat=grp)
    await emu.send_text(anna, "/grupp plats", chat=grp, reply_to=shared)
    done = await emu.wait_for_message(grp.id)
    assert "Gruppens plats är sparad" in done.text
    assert "55.705, 13.191 (avrundat), radie 1 km" in done.text
    stored = await place_store.get_place(db, group.id)
    assert stored == GroupPlace(group.id, 55.705, 13.191, 1000)  # rounded, default radius
    # typed coordinates and a radius replace it
    await emu.send_text(anna, "/grupp plats 55.7, 13.2 2 km", chat=grp)
    await emu.wait_for_message(grp.id, lambda m: "radie 2 km" in m.text)
    assert (await place_store.get_place(db, group.id)).radius_m == 2000
    # a member who is not a coordinator cannot change it
    await emu.send_text(cia, "/grupp plats 1.0, 1.0", chat=grp)
    assert "kontaktombud" in (await emu.wait_for_message(grp.id)).text
    assert (await place_store.get_place(db, group.id)).latitude == 55.7
    await emu.send_text(anna, "/grupp plats 55.7, 13.2 massor", chat=grp)
    assert "Radien ska vara mellan 100 m och 20 km" in (await emu.wait_for_message(grp.id)).text
    await emu.send_text(anna, "/grupp", chat=grp)
    assert "55.700, 13.200 (avrundat), radie 2 km" in (await emu.wait_for_message(grp.id)).text
    # decimal commas, as Swedes write them (a reviewer's "56,05 14,58" was not understood)
    await emu.send_text(anna, "/grupp plats 56,05 14,58", chat=grp)
    await emu.wait_for_message(grp.id, lambda m: "56.050, 14.580 (avrundat)" in m.text)
    # a radius without a location to go with it is said not to be a place
    await emu.send_text(anna, "/grupp plats 2 km", chat=grp)
    assert "förstod inte ”2 km” som en plats" in (await emu.wait_for_message(grp.id)).text
    await emu.send_text(anna, "/grupp plats bort", chat=grp)
    assert "borttagen" in (await emu.wait_for_message(grp.id)).text
    assert await place_store.get_place(db, group.id) is None
    audit = await db.fetch_all("SELECT action FROM audit_log WHERE action LIKE 'group.place%'")
    assert [row[0] for row in audit] == [
        "group.place", "group.place", "group.place", "group.place_removed"
    ]  # fmt: skip


async def test_coordinator_shares_the_groups_place_in_english(bot):
    emu = bot.emu
    anna, _, grp, group = await _coordinated_group(bot, "en")
    await emu.send_text(anna, "/group place", chat=grp)
    howto = await emu.wait_for_message(grp.id)
    assert "Place: none" in howto.text and "reply to it with /group place" in howto.text
    shared = await emu.share_location(anna, 55.70, 13.19, chat=grp)
    await emu.send_text(anna, "/group place 800 m", chat=grp, reply_to=shared)
    done = await emu.wait_for_message(grp.id)
    assert "place is saved" in done.text and "radius 800 m" in done.text
    stored = await place_store.get_place(bot.services.db, group.id)
    assert stored is not None and stored.radius_m == 800


# -- /larm near a place -------------------------------------------------------------------


async def _groups_with_places(bot):
    """Six groups around a point P south of 56.060, 14.580 (officer polices 1082 only):
    A: centre 1500 m from P, radius 500 → exactly on the 1 km boundary (inside);
    B: same centre, radius 499 → 1 m outside; C: near P; D: 100 km away;
    E: no place; F: near P but in another kommun."""
    emu, db = bot.emu, bot.services.db
    chats = {n: emu.add_group(f"Grupp {n}", bot_is_member=True) for n in "ABCDEF"}
    registered = await register_groups(bot, [chats[n] for n in "ABCDE"], "1082")
    ids = dict(zip("ABCDE", registered, strict=True))
    ids["F"] = (await register_groups(bot, [chats["F"]], "1083"))[0]
    names = {"A": "Hamnen", "B": "Hamnplan", "C": "Centrum", "D": "Långtbort", "E": "Skogen",
             "F": "Grannkommun"}  # fmt: skip
    now = bot.services.clock.now()
    for n, gid in ids.items():
        await group_store.rename_area(db, gid, names[n], now, None)
    centres = {"A": (56.060, 14.580, 500), "B": (56.060, 14.580, 499), "C": (56.047, 14.580, 300),
               "D": (57.0, 14.580, 1000), "F": (56.047, 14.581, 300)}  # fmt: skip
    for n, (lat, lon, radius) in centres.items():
        await places.set_group_place(db, now, system("test"), _always, ids[n], lat, lon, radius)
    member = emu.add_user("Mia")
    await emu.send_text(member, "/hjalp")  # known to the bot
    await emu.wait_for_message(member.id)
    await group_store.add_member(db, ids["C"], member.id, "deep_link", now)
    return chats, ids


P = (56.060 - 1500 / METRES_PER_DEGREE, 14.580)


async def _to_place_step(emu, officer):
    await emu.send_text(officer, "/larm")
    prompt = await emu.wait_for_message(officer.id)
    await emu.press_button(officer, prompt, data=AlertType("burglary").pack())
    place = AlertTarget(Target.PLACE).pack()
    await emu.wait_until(lambda: any(d == place for _, d in prompt.buttons()))
    await emu.press_button(officer, prompt, data=place)
    await emu.wait_until(lambda: prompt.edited and not prompt.reply_markup and prompt)
    return prompt


async def _finish(emu, officer, near, text: str):
    await emu.press_button(officer, near, data=AlertNear(None).pack())
    await text_of(emu, near, "larmtexten" if "larm" in text else "alert text")
    before = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, text)
    photo_ask = await emu.wait_for_message(officer.id, lambda m: m.buttons(), after=before)
    before = len(emu.sent_messages(officer.id))
    await emu.press_button(officer, photo_ask, data=AlertPhotoSkip().pack())
    before = await answer_details(emu, officer, before, None, None)
    confirm = await emu.wait_for_message(
        officer.id, lambda m: any(d == AlertConfirm(True).pack() for _, d in m.buttons()),
        after=before,
    )  # fmt: skip
    await emu.press_button(officer, confirm, data=AlertConfirm(True).pack())
    return confirm


async def test_place_targeting_picks_exactly_the_groups_inside_the_radius(bot):
    emu = bot.emu
    chats, ids = await _groups_with_places(bot)
    officer = emu.add_user("Olle", language_code="sv")
    await make_police(bot, officer, "1082")
    await _to_place_step(emu, officer)
    before = len(emu.sent_messages(officer.id))
    await emu.share_location(officer, *P)
    radius_ask = await emu.wait_for_message(officer.id, lambda m: m.buttons(), after=before)
    assert "den delade platsen" in radius_ask.text
    assert [label for label, _ in radius_ask.buttons()] == ["500 m", "1 km", "3 km", "5 km"]
    await emu.press_button(officer, radius_ask, data=AlertRadius(1000).pack())
    near = await text_of(emu, radius_ask, "inom 1 km")
    listed = {AlertNear.parse(d).group_id for _, d in near.buttons()} - {None}
    assert listed == {ids["C"], ids["A"]}  # B 1 m outside, D far, E no place, F not his
    assert "2 grupper inom 1 km" in near.text
    assert (
        "✅ Centrum · 54 m · 1 medlem\n✅ Hamnen · 1,5 km · 0 medlemmar" in near.text
    )  # nearest first, with members
    # untick Centrum: only Hamnen gets the alert
    await emu.press_button(officer, near, data=AlertNear(ids["C"]).pack())
    await text_of(emu, near, "⬜ Centrum")
    confirm = await _finish(emu, officer, near, "Inbrott i hamnen, larmtext")
    assert "till <b>1</b> grupp: grupper nära en plats" in confirm.html
    await text_of(emu, confirm, "Levererat: 1 av 1")
    assert "Inbrott i hamnen" in emu.last_message(chats["A"].id).text
    for n in "BCDEF":
        assert emu.sent_messages(chats[n].id) == [], n


async def test_place_typed_as_area_and_kommun_in_english(bot):
    emu = bot.emu
    chats, ids = await _groups_with_places(bot)
    officer = emu.add_user("Olle", language_code="en")
    await make_police(bot, officer, "1082")
    await _to_place_step(emu, officer)
    before = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "Hamnvägen, Nowhereville")
    refusal = await emu.wait_for_message(officer.id, after=before)
    assert "can't find a kommun" in refusal.text and "Share a location" in refusal.text
    before = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "Skogen, Karlshamn")  # named, but no place
    assert "have no place yet" in (await emu.wait_for_message(officer.id, after=before)).text
    before = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "Grannkommun, Sölvesborg")  # not his kommun
    assert "not allowed" in (await emu.wait_for_message(officer.id, after=before)).text
    before = len(emu.sent_messages(officer.id))
    await emu.send_text(officer, "centrum, karlshamn")
    radius_ask = await emu.wait_for_message(officer.id, lambda m: m.buttons(), after=before)
    assert "How far from Centrum?" in radius_ask.text
    await emu.press_button(officer, radius_ask, data=AlertRadius(500).pack())
    near = await text_of(emu, radius_ask, "within 500 m")
    listed = {AlertNear.parse(d).group_id for _, d in near.buttons()} - {None}
    assert listed == {ids["C"]}  # A: 1446 − 500 = 946 m > 500 m
    assert "Centrum · 0 m · 1 member" in near.text
    # a forged group outside the list is refused
    forged = AlertNear(ids["D"]).pack()
    near.reply_markup["inline_keyboard"].append([{"text": "x", "callback_data": forged}])
    await emu.press_button(officer, near, data=forged)
    assert "not allowed" in (await emu.wait_for_callback_answer())["text"]
    confirm = await _finish(emu, officer, near, "Break-ins around the centre")
    await text_of(emu, confirm, "Delivered: 1 of 1")
    assert "Break-ins" in emu.last_message(chats["C"].id).text


async def test_no_group_within_the_radius_keeps_the_step(bot):
    emu = bot.emu
    await _groups_with_places(bot)
    officer = emu.add_user("Olle", language_code="sv")
    await make_police(bot, officer, "1082")
    await _to_place_step(emu, officer)
    before = len(emu.sent_messages(officer.id))
    await emu.share_location(officer, 58.0, 14.0)
    radius_ask = await emu.wait_for_message(officer.id, lambda m: m.buttons(), after=before)
    await emu.press_button(officer, radius_ask, data=AlertRadius(5000).pack())
    answer = await emu.wait_for_callback_answer()
    assert "Ingen av dina grupper ligger inom 5 km" in answer["text"]
    await emu.press_button(officer, radius_ask, data=AlertRadius(3000).pack())
    assert "inom 3 km" in (await emu.wait_for_callback_answer())["text"]


async def test_many_groups_near_a_place_fit_telegrams_limits(bot):
    """45 groups with the longest names within 5 km: the shared groups screen shows 40 with
    their distance and members, says how many did not fit, and stays within 4096 UTF-16
    units; unticking one redraws it within the limits too."""
    emu, db = bot.emu, bot.services.db
    chats = [emu.add_group(f"Grupp {n}", bot_is_member=True) for n in range(45)]
    ids = await register_groups(bot, chats, "1082")
    now = bot.services.clock.now()
    for n, gid in enumerate(ids):
        head = f"Område {n:02d} "
        await group_store.rename_area(db, gid, head + "ö" * (64 - len(head)), now, None)
        lat = P[0] + (1100 + 80 * n) / METRES_PER_DEGREE  # 1000 m to 4520 m from P
        await places.set_group_place(db, now, system("test"), _always, gid, lat, P[1], 100)
    officer = emu.add_user("Olle", language_code="sv")
    await make_police(bot, officer, "1082")
    await _to_place_step(emu, officer)
    before = len(emu.sent_messages(officer.id))
    await emu.share_location(officer, *P)
    radius_ask = await emu.wait_for_message(officer.id, lambda m: m.buttons(), after=before)
    await emu.press_button(officer, radius_ask, data=AlertRadius(5000).pack())
    near = await text_of(emu, radius_ask, "inom 5 km")
    assert "45 grupper inom 5 km" in near.text and "de första 40 av 45 grupper" in near.text
    assert utf16_len(near.text) <= 4096 and len(near.buttons()) == 41
    assert "✅ Område 00 " in near.text and " · 0 medlemmar\n✅ Område 01 " in near.text
    await emu.press_button(officer, near, data=AlertNear(ids[0]).pack())
    await text_of(emu, near, "⬜ Område 00")
    assert utf16_len(near.text) <= 4096 and "Klar (44)" in near.button_texts()
    assert not emu.errors
