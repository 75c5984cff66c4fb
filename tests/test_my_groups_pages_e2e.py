"""End-to-end: /minagrupper in pages of `GROUPS_PER_PAGE` groups (◀ ▶), for a person in
0, 1, 10, 11 and 60 groups with the longest area names allowed. Every page is read from
storage when it is pressed: a page that no longer exists (groups left meanwhile, an old
or forged button) shows the last one and says so; leaving a group redraws the page it was
pressed on. Every message and edit stays within Telegram's limits."""

from __future__ import annotations

import pytest

from bot.services.group_input import AREA_MAX_LENGTH
from bot.services.my_groups import GROUPS_PER_PAGE
from bot.textlen import utf16_len
from handlers.my_groups import MyGroupLeave, MyGroupsPage
from storage import groups as group_store
from tests.emulator.state import SentMessage

MAX_BUTTONS = 2 * GROUPS_PER_PAGE + 2  # tips and leave per group, then ◀ ▶


def _area(n: int) -> str:
    """An area name of the longest length allowed, sorting by `n`."""
    head = f"Grupp {n:02d} "
    return head + "å" * (AREA_MAX_LENGTH - len(head))


async def _person_in(bot, count: int, lang: str = "sv"):
    person = bot.emu.add_user("Cia", language_code=lang)
    person.started = True
    await bot.emu.send_text(person, "/start")  # the bot meets her first
    await bot.emu.wait_for_message(person.id)
    db, now = bot.services.db, bot.services.clock.now()
    ids = []
    for n in range(count):
        group = await group_store.ensure_group(db, -7000 - n, f"G{n}", now)
        await group_store.register_group(db, group.id, _area(n), "1083", now)
        await group_store.add_member(db, group.id, person.id, "deep_link", now)
        ids.append(group.id)
    return person, ids


async def _my_groups(bot, person, command: str = "/minagrupper") -> SentMessage:
    n = len(bot.emu.sent_messages(person.id))
    await bot.emu.send_text(person, command)
    return await bot.emu.wait_for_message(person.id, after=n)


def _within_limits(message: SentMessage) -> None:
    assert utf16_len(message.content) <= 4096
    assert len(message.buttons()) <= MAX_BUTTONS
    assert all(utf16_len(text) <= 64 for text in message.button_texts())


def _no_failed_messages(bot) -> None:
    """No message or edit was refused (e.g. too long); other calls (a pin) may be."""
    failed = [c for c in bot.emu.errors if c.method in ("sendMessage", "editMessageText")]
    assert failed == []


def _shown_groups(message: SentMessage) -> list[int]:
    return [int(line.split()[2]) for line in message.content.splitlines() if "🏘" in line]


async def _press(bot, person, message: SentMessage, *, text=None, data=None) -> dict:
    """Press (a button by its label, or any data as a modified client would); the bot
    answers the press after its edit, so the message shows the result on return."""
    if text is not None:
        await bot.emu.press_button(person, message, text=text)
    else:
        await _forge(bot, person, message, data)
    answer = await bot.emu.wait_for_callback_answer()
    _within_limits(message)
    return answer


async def test_no_groups(bot):
    person, _ = await _person_in(bot, 0)
    mine = await _my_groups(bot, person)
    assert "inte med i någon grupp" in mine.content and not mine.buttons()


@pytest.mark.parametrize("count", [1, GROUPS_PER_PAGE])
async def test_up_to_one_page_has_no_page_buttons(bot, count):
    person, _ = await _person_in(bot, count)
    mine = await _my_groups(bot, person)
    _within_limits(mine)
    assert _shown_groups(mine) == list(range(count))
    assert "Sida" not in mine.content
    assert "Nästa ▶" not in mine.button_texts() and "◀ Föregående" not in mine.button_texts()
    assert len(mine.buttons()) == 2 * count
    _no_failed_messages(bot)


async def test_eleven_groups_make_two_pages_and_leaving_the_last_one_shows_the_first(bot):
    person, ids = await _person_in(bot, GROUPS_PER_PAGE + 1)
    mine = await _my_groups(bot, person)
    assert "Sida 1 av 2 – 11 grupper" in mine.content
    assert _shown_groups(mine) == list(range(GROUPS_PER_PAGE))
    assert mine.button_texts()[-1] == "Nästa ▶"
    await _press(bot, person, mine, text="Nästa ▶")
    assert "Sida 2 av 2 – 11 grupper" in mine.content and _shown_groups(mine) == [10]
    assert mine.button_texts()[-1] == "◀ Föregående" and "Nästa ▶" not in mine.button_texts()
    # Leaving the only group of page 2: the page is gone, so page 1 is shown.
    await _press(bot, person, mine, data=MyGroupLeave(ids[10], False, 1).pack())
    assert "Vill du lämna" in mine.content
    await _press(bot, person, mine, text="🚪 Ja, lämna")
    assert "Du har lämnat" in mine.content
    assert _shown_groups(mine) == list(range(GROUPS_PER_PAGE)) and "Sida" not in mine.content
    assert not await group_store.is_member(bot.services.db, ids[10], person.id)
    _no_failed_messages(bot)


async def test_sixty_groups_leave_from_page_three_and_forged_pages(bot):
    person, ids = await _person_in(bot, 60)
    mine = await _my_groups(bot, person)
    _within_limits(mine)
    assert "Sida 1 av 6 – 60 grupper" in mine.content
    await _press(bot, person, mine, text="Nästa ▶")
    await _press(bot, person, mine, text="Nästa ▶")
    assert "Sida 3 av 6" in mine.content and _shown_groups(mine) == list(range(20, 30))
    # Leave group 25 from page 3: asked, "No" comes back to page 3, "Yes" redraws page 3.
    leave = MyGroupLeave(ids[25], False, 2).pack()
    assert leave in [data for _, data in mine.buttons()]
    await _press(bot, person, mine, data=leave)
    await _press(bot, person, mine, text="Nej")
    assert "Sida 3 av 6" in mine.content and _shown_groups(mine) == list(range(20, 30))
    await _press(bot, person, mine, data=leave)
    await _press(bot, person, mine, text="🚪 Ja, lämna")
    assert "Du har lämnat" in mine.content and "Sida 3 av 6 – 59 grupper" in mine.content
    assert _shown_groups(mine) == [*range(20, 25), *range(26, 31)]
    # A forged page far out of range: the last page, politely.
    answer = await _press(bot, person, mine, data=MyGroupsPage(99).pack())
    assert "Den sidan finns inte längre" in answer["text"] and "sida 6" in answer["text"]
    assert "Sida 6 av 6" in mine.content and _shown_groups(mine) == list(range(51, 60))
    # Forged again while the last page is shown: nothing to edit, still answered.
    answer = await _press_unchanged(bot, person, mine, MyGroupsPage(6).pack())
    assert "sida 6" in answer["text"]
    # A negative page: the first.
    answer = await _press(bot, person, mine, data=MyGroupsPage(-3).pack())
    assert "sida 1" in answer["text"] and _shown_groups(mine) == list(range(10))
    _no_failed_messages(bot)


async def test_an_old_page_button_after_groups_were_left_elsewhere(bot):
    person, ids = await _person_in(bot, 2 * GROUPS_PER_PAGE + 1)
    mine = await _my_groups(bot, person)
    await _press(bot, person, mine, text="Nästa ▶")
    assert "Sida 2 av 3" in mine.content  # its ▶ leads to page 3
    # Meanwhile she leaves six groups (e.g. from another /minagrupper message).
    db, now = bot.services.db, bot.services.clock.now()
    from storage import my_groups as my_store

    for group_id in ids[:6]:
        assert await my_store.opt_out(db, group_id, person.id, now)
    answer = await _press(bot, person, mine, text="Nästa ▶")
    assert "Den sidan finns inte längre" in answer["text"]
    assert "Sida 2 av 2 – 15 grupper" in mine.content
    assert _shown_groups(mine) == list(range(16, 21))
    # A leave button for a group she already left is refused, and nothing changes.
    edits = len(mine.history)
    answer = await _press_unchanged(bot, person, mine, MyGroupLeave(ids[0], True, 1).pack())
    assert "inte med" in answer["text"] and len(mine.history) == edits
    assert not await group_store.is_member(db, ids[0], person.id)


async def _forge(bot, person, message: SentMessage, data: str) -> None:
    """A modified client shows a button with `data` on the message and presses it (the
    bot's guard refuses data that is not on the message's keyboard)."""
    message.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
    await bot.emu.press_button(person, message, data=data)


async def _press_unchanged(bot, person, message: SentMessage, data: str) -> dict:
    before = message.content
    await _forge(bot, person, message, data)
    answer = await bot.emu.wait_for_callback_answer()
    assert message.content == before
    return answer


async def test_pages_in_english(bot):
    person, _ = await _person_in(bot, GROUPS_PER_PAGE + 1, "en")
    mine = await _my_groups(bot, person, "/mygroups")
    assert "Page 1 of 2 – 11 groups" in mine.content
    await _press(bot, person, mine, text="Next ▶")
    assert "Page 2 of 2 – 11 groups" in mine.content
    answer = await _press(bot, person, mine, data=MyGroupsPage(5).pack())
    assert answer["text"] == "That page no longer exists, so I am showing page 2."


async def test_members_page_after_people_left_shows_the_last_page(bot):
    """/grupp → 👥 has pages too: its ▶ pressed after people left (the page is gone) shows
    the last page and says so, instead of refusing the coordinator."""
    from bot.services.my_groups import MEMBERS_PER_PAGE
    from storage import my_groups as my_store
    from tests.test_my_groups_e2e import _people, _setup

    anna, _, grp, group = await _setup(bot)
    await _people(bot, group.id, MEMBERS_PER_PAGE + 3)
    await bot.emu.send_text(anna, "/grupp", chat=grp)
    info = await bot.emu.wait_for_message(grp.id, lambda m: "anslutna" in str(m.buttons()))
    label = next(text for text in info.button_texts() if "anslutna" in text)
    await bot.emu.press_button(anna, info, text=label)
    page = await bot.emu.wait_for_message(anna.id, lambda m: "Anslutna till" in m.content)
    assert "Nästa ▶" in page.button_texts()
    db, now = bot.services.db, bot.services.clock.now()
    for i in range(5):  # five leave: everyone fits on the first page
        assert await my_store.opt_out(db, group.id, 900_000 + i, now)
    answer = await _press(bot, anna, page, text="Nästa ▶")
    assert "Den sidan finns inte längre" in answer["text"] and "sida 1" in answer["text"]
    assert "Person05" in page.content and "Person04" not in page.content
    assert not page.buttons()  # one page left: no ◀ ▶
    _no_failed_messages(bot)
