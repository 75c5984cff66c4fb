"""End-to-end (issue #13): /grupp lists who is connected, with how they joined (paginated),
privately to the coordinator; a resident's /minagrupper leaves a group in the bot (and
seeing them in the chat again does not undo it) and explains how to mute the tips."""

from __future__ import annotations

from bot.services.my_groups import MEMBERS_PER_PAGE
from handlers.my_groups import GroupMembers, MyGroupLeave
from storage import groups as group_store
from storage import users as user_store


async def _setup(bot, lang="sv"):
    anna = bot.emu.add_user("Anna", language_code=lang)
    cia = bot.emu.add_user("Cia", language_code=lang)
    grp = bot.emu.add_group("G", members=[cia], admins=[anna], bot_is_member=True)
    anna.started = True
    await bot.emu.send_text(anna, "/registrera Torget, Lund", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    return anna, cia, grp, group


async def _people(bot, group_id: int, count: int) -> None:
    db, now = bot.services.db, bot.services.clock.now()
    for i in range(count):
        uid = 900_000 + i
        await user_store.upsert_user(
            db, uid, first_name=f"Person{i:02d}", last_name=None, username=None,
            telegram_language_code="sv", now=now,
        )  # fmt: skip
        await group_store.add_member(db, group_id, uid, "deep_link" if i % 2 else "message", now)


async def _join(bot, user, group_id: int, source: str) -> None:
    db, now = bot.services.db, bot.services.clock.now()
    await user_store.upsert_user(
        db, user.id, first_name=user.first_name, last_name=None, username=None,
        telegram_language_code=user.language_code, now=now,
    )  # fmt: skip
    await group_store.add_member(db, group_id, user.id, source, now)


async def test_group_lists_connected_people_with_how_they_joined(bot):
    anna, cia, grp, group = await _setup(bot)
    await bot.emu.send_text(cia, "hej alla", chat=grp)  # Cia is seen writing in the group
    await _people(bot, group.id, MEMBERS_PER_PAGE + 3)
    await bot.emu.send_text(anna, "/grupp", chat=grp)
    info = await bot.emu.wait_for_message(grp.id, lambda m: "anslutna" in str(m.buttons()))
    count = MEMBERS_PER_PAGE + 5  # the people, Cia and Anna (she wrote in the group)
    assert f"📋 {count} anslutna" in info.button_texts()
    await bot.emu.press_button(anna, info, text=f"📋 {count} anslutna")
    answer = await bot.emu.wait_for_callback_answer()
    assert "privat" in answer["text"]
    page = await bot.emu.wait_for_message(anna.id, lambda m: "Anslutna till" in m.content)
    assert f"({count} personer)" in page.content
    assert "Cia – skrev i gruppen" in page.content and "via gruppens länk" in page.content
    assert page.content.count("• ") == MEMBERS_PER_PAGE and "Nästa ▶" in page.button_texts()
    await bot.emu.press_button(anna, page, text="Nästa ▶")
    await bot.emu.wait_until(lambda: page.content.count("• ") == 5)
    await bot.emu.wait_for_callback_answer()
    # Someone who is not a coordinator of the group is refused.
    info.reply_markup = {
        "inline_keyboard": [[{"text": "x", "callback_data": GroupMembers(group.id, 0).pack()}]]
    }
    await bot.emu.press_button(cia, info, data=GroupMembers(group.id, 0).pack())
    assert "inte" in (await bot.emu.wait_for_callback_answer())["text"]
    assert not [m for m in bot.emu.sent_messages(cia.id) if "Anslutna" in m.content]


async def test_group_members_in_english(bot):
    anna, cia, grp, _ = await _setup(bot, "en")
    await bot.emu.send_text(cia, "hello", chat=grp)
    await bot.emu.send_text(anna, "/group", chat=grp)
    info = await bot.emu.wait_for_message(grp.id, lambda m: "connected" in str(m.buttons()))
    await bot.emu.press_button(anna, info, text="📋 2 connected")
    page = await bot.emu.wait_for_message(anna.id, lambda m: "Connected to" in m.content)
    assert "(2 people)" in page.content and "Cia – wrote in the group" in page.content


async def test_resident_leaves_a_group_in_the_bot_and_reads_how_to_mute_tips(bot):
    _, cia, _, group = await _setup(bot)
    cia.started = True
    await _join(bot, cia, group.id, "message")
    await bot.emu.send_text(cia, "/minagrupper")
    mine = await bot.emu.wait_for_message(cia.id, lambda m: "Dina grupper" in m.content)
    assert "Torget (Lund)" in mine.content
    await bot.emu.press_button(cia, mine, text="🔕 Tips: Torget")
    how = await bot.emu.wait_for_callback_answer()
    assert "Stäng av ljud" in how["text"] and how["show_alert"]
    await bot.emu.press_button(cia, mine, text="🚪 Lämna Torget")
    await bot.emu.wait_until(lambda: "Vill du lämna" in mine.content)
    await bot.emu.press_button(cia, mine, text="🚪 Ja, lämna")
    await bot.emu.wait_until(lambda: "Du har lämnat" in mine.content)
    assert "inte med i någon grupp" in mine.content
    assert not await group_store.is_member(bot.services.db, group.id, cia.id)
    # Seen in the group chat again (after a restart forgets the cache): still out.
    await group_store.add_member(
        bot.services.db, group.id, cia.id, "message", bot.services.clock.now()
    )
    assert not await group_store.is_member(bot.services.db, group.id, cia.id)
    # A forged leave of a group she is not in is answered, nothing changes.
    forged = MyGroupLeave(group.id, True, 0).pack()
    mine.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": forged}]]}
    await bot.emu.press_button(cia, mine, data=forged)
    assert "inte med" in (await bot.emu.wait_for_callback_answer())["text"]
    # Opening the group's link brings her back.
    await group_store.add_member(
        bot.services.db, group.id, cia.id, "deep_link", bot.services.clock.now()
    )
    assert await group_store.is_member(bot.services.db, group.id, cia.id)


async def test_mygroups_in_english(bot):
    _, cia, _, group = await _setup(bot, "en")
    cia.started = True
    await _join(bot, cia, group.id, "deep_link")
    await bot.emu.send_text(cia, "/mygroups")
    mine = await bot.emu.wait_for_message(cia.id, lambda m: "Your groups" in m.content)
    await bot.emu.press_button(cia, mine, text="🚪 Leave Torget")
    await bot.emu.wait_until(lambda: "Do you want to leave" in mine.content)
    await bot.emu.press_button(cia, mine, text="No")
    await bot.emu.wait_until(lambda: "Your groups in Grannvakt" in mine.content)
    assert await group_store.is_member(bot.services.db, group.id, cia.id)
