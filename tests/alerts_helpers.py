"""Helpers for the alert tests and benchmark: registered groups, police, the /alert dialogue."""

from __future__ import annotations

from typing import Any

from handlers.alerts_buttons import (
    AlertConfirm,
    AlertDetailSkip,
    AlertKommun,
    AlertPhotoSkip,
    AlertTarget,
    AlertType,
    DetailStep,
    Target,
)
from tests.emulator.state import Chat, SentMessage, User
from tests.scenario import Scenario


async def register_groups(
    harness: Any, chats: list[Chat], kommun: str = "0180", language: str = "sv"
) -> list[int]:
    """Register emulator groups directly in storage (as /register would); returns group ids."""
    world = Scenario.of(harness)
    return [
        await world.group(chat.id, f"Område {n}", kommun, title=chat.title, language=language)
        for n, chat in enumerate(chats)
    ]


async def make_police(harness: Any, user: User, *kommuner: str) -> None:
    """Grant the police role for some kommuner directly in storage."""
    await Scenario.of(harness).police(user, *kommuner)


async def text_of(emu: Any, message: SentMessage, needle: str, wait: float = 5.0) -> SentMessage:
    """Wait until a (possibly edited) message contains `needle`."""
    return await emu.wait_until(
        lambda: needle in (message.content or "") and message,
        wait,
        f"{needle!r} in {message!r}",
    )


async def compose_alert(
    emu: Any,
    officer: User,
    text: str,
    *,
    category: str = "burglary",
    target: str = "all",
    kommun: str | None = None,
    photo: bool = False,
    send: bool = True,
    link: str | None = None,
    event_number: str | None = None,
) -> SentMessage:
    """Run /alert through to the confirm step (and press Send); returns the confirm message."""
    chat = officer.id
    await emu.send_text(officer, "/alert")
    prompt = await emu.wait_for_message(chat)
    await emu.press_button(officer, prompt, data=AlertType(category).pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(officer, prompt, data=AlertTarget(Target(target)).pack())
    if target == "kommun":
        await emu.wait_until(
            lambda: any(d == AlertKommun(kommun).pack() for _, d in prompt.buttons())
        )
        await emu.press_button(officer, prompt, data=AlertKommun(kommun).pack())
    await emu.wait_until(lambda: not prompt.reply_markup and prompt.edited and prompt)
    before = len(emu.sent_messages(chat))
    await emu.send_text(officer, text)
    photo_prompt = await emu.wait_for_message(chat, after=before)
    before = len(emu.sent_messages(chat))
    if photo:
        await emu.send_photo(officer)
    else:
        await emu.press_button(officer, photo_prompt, data=AlertPhotoSkip().pack())
    before = await answer_details(emu, officer, before, link, event_number)
    confirm = await emu.wait_for_message(
        chat,
        lambda m: any(d == AlertConfirm(send=True).pack() for _, d in m.buttons()),
        after=before,
    )
    if send:
        await emu.press_button(officer, confirm, data=AlertConfirm(send=True).pack())
    return confirm


async def answer_details(
    emu: Any, officer: User, after: int, link: str | None, event_number: str | None
) -> int:
    """The optional link and event-number steps: answer each, or press its Skip; returns
    the number of the officer's messages before the last answer."""
    chat = officer.id
    for step, answer in ((DetailStep.LINK, link), (DetailStep.EVENT, event_number)):
        skip = AlertDetailSkip(step).pack()
        prompt = await emu.wait_for_message(
            chat, lambda m, skip=skip: any(d == skip for _, d in m.buttons()), after=after
        )
        after = len(emu.sent_messages(chat))
        if answer is None:
            await emu.press_button(officer, prompt, data=skip)
        else:
            await emu.send_text(officer, answer)
    return after
