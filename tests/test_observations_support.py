"""Shared set-up for the observation tests: groups, members and roles made through storage."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.observations_buttons import ReportButton, ReportStep
from tests.emulator import BotApiEmulator
from tests.emulator.state import User
from tests.harness import BotHarness
from tests.scenario import Scenario


@dataclass
class World:
    harness: BotHarness
    emu: BotApiEmulator
    anna: User  # resident of group A (sv)
    bo: User  # resident of groups A and B (en)
    carl: User  # coordinator of A (sv)
    dora: User  # coordinator of B (en)
    pia: User  # police in kommun 0180 (A's kommun, sv)
    olle: User  # police in kommun 1480 (en)
    group_a: int
    group_b: int


async def add_person(harness: BotHarness, user: User) -> None:
    """Store a person as if they had talked to the bot."""
    await Scenario.of(harness).person(user, user.first_name, user.language_code)


async def build_world(harness: BotHarness) -> World:
    """Start the bot and create two groups (Stockholm 0180, Göteborg 1480) with people."""
    await harness.start()
    emu = harness.emu
    people = {
        "anna": emu.add_user("Anna", "sv"),
        "bo": emu.add_user("Bo <b>", "en"),
        "carl": emu.add_user("Carl", "sv"),
        "dora": emu.add_user("Dora", "en"),
        "pia": emu.add_user("Pia", "sv"),
        "olle": emu.add_user("Olle", "en"),
    }
    world = Scenario.of(harness)
    for user in people.values():
        user.started = True  # everyone has opened a private chat with the bot
        await world.person(user, user.first_name, user.language_code)
    # Coordinators are admins of their Telegram groups (every coordinator action checks).
    chat_a = emu.add_group("A", members=[people["anna"], people["bo"]], admins=[people["carl"]])
    chat_b = emu.add_group("B", members=[people["bo"]], admins=[people["dora"]])
    group_a = await world.group(
        chat_a.id,
        "Björkhagen <Norra>",
        "0180",
        coordinators=[people["carl"]],
        residents=[people["anna"], people["bo"]],
    )
    group_b = await world.group(
        chat_b.id, "Majorna", "1480", coordinators=[people["dora"]], residents=[people["bo"]]
    )
    await world.police(people["pia"], "0180")
    await world.police(people["olle"], "1480")
    return World(harness, emu, **people, group_a=group_a, group_b=group_b)


async def press(w: World, user: User, message, data: str):
    """Press a button of a message that the bot edits in place; wait for the edit."""
    edits = len(message.history)
    await w.emu.press_button(user, message, data=data)
    return await w.emu.wait_until(lambda: len(message.history) > edits and message)


async def file_report(
    w: World,
    user: User,
    text: str = "Man tittade in i bilar",
    *,
    location: tuple[float, float] | None = None,
    photos: int = 0,
    show_identity: bool = False,
) -> str:
    """A resident with one group files a report through the dialogue; returns the
    final (confirmation) text."""
    emu = w.emu
    await emu.send_text(user, "/report")
    prompt = await emu.wait_for_message(user.id, lambda m: "112" in m.content)
    await press(w, user, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, user, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    n = len(emu.sent_messages(user.id))
    if location is None:
        await emu.send_text(user, "Storgatan 1")
        desc = await emu.wait_for_message(user.id, after=n)
    else:
        await emu.share_location(user, *location)
        precision = await emu.wait_for_message(user.id, after=n)
        desc = await press(w, user, precision, ReportButton(ReportStep.PRECISION, "exact").pack())
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, text)
    step = await emu.wait_for_message(user.id, after=n)
    for i in range(photos):
        n = len(emu.sent_messages(user.id))
        await emu.send_photo(user)
        step = await emu.wait_for_message(user.id, after=n)
        assert str(i + 1) in step.content
    del desc
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(
        w,
        user,
        step,
        ReportButton(ReportStep.IDENTITY, "y").pack()
        if show_identity
        else ReportButton(ReportStep.IDENTITY, "n").pack(),
    )
    await press(w, user, step, ReportButton(ReportStep.SUMMARY, "ok").pack())
    return step.content


async def told_of(w: World, user, needle: str):
    """The message to `user` containing `needle`; the test clock stands still, so a send
    the per-chat rate limit put off is let through."""
    for _ in range(20):
        found = messages_with(w, user, needle)
        if found:
            return found[-1]
        w.harness.clock.advance(seconds=2)
        w.harness.services.delivery.wake()
        try:
            return await w.emu.wait_for_message(user.id, lambda m: needle in m.content, timeout=0.5)
        except AssertionError:
            continue
    raise AssertionError(f"{needle!r} never reached {user.id}")


def messages_with(w: World, user, needle: str) -> list:
    return [m for m in w.emu.sent_messages(user.id) if needle in m.content]
