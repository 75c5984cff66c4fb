"""The target-picking screens shared by /larm (handlers/alerts_target.py and
handlers/alerts_place.py) and /enkat, /narvaro (handlers/dialog_target.py): the kommun
buttons, the group buttons with a tick on each chosen group and a "done" button carrying
the count, and ticking/unticking a group after the feature's service has checked that the
person may pick it. Each caller brings its own buttons (CallbackData) and text keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CallbackData
from bot.i18n import Html, t, t_plain
from storage.groups import GroupRecord

MAX_GROUP_BUTTONS = 40


def button(label: str, press: CallbackData) -> InlineKeyboardButton:
    """One inline button whose callback_data is `press` packed."""
    return InlineKeyboardButton(label, callback_data=press.pack())


def rows(buttons: list[InlineKeyboardButton], width: int = 2) -> InlineKeyboardMarkup:
    """The buttons laid out `width` to a row."""
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def kommun_screen(
    lang: str,
    choices: Sequence[tuple[str, str, int]],
    press_for: Callable[[str], CallbackData],
    *,
    ask_key: str,
    button_key: str,
    left_out: int = 0,
    more_key: str | None = None,
) -> tuple[Html, InlineKeyboardMarkup]:
    """The question and one button per (code, name, group count) kommun; `more_key` (with
    `count=left_out`) notes the kommuner that did not fit."""
    buttons = [
        button(t_plain(lang, button_key, name=name, count=count), press_for(code))
        for code, name, count in choices
    ]
    text = t(lang, ask_key)
    if left_out and more_key is not None:
        text = Html(text + "\n" + t(lang, more_key, count=left_out))
    return text, rows(buttons)


def groups_screen(
    lang: str,
    groups: Sequence[GroupRecord],
    chosen: Collection[int],
    press_for: Callable[[int | None], CallbackData],
    *,
    ask_key: str,
    done_key: str,
    too_many_key: str | None = None,
) -> tuple[Html, InlineKeyboardMarkup]:
    """The question (`count` = groups chosen) and a button per group, ✅ on the chosen ones,
    at most MAX_GROUP_BUTTONS, then "done" (`press_for(None)`). `too_many_key` (with
    `shown` and `count`) notes the groups that did not fit."""
    buttons = [
        button(("✅ " if g.id in chosen else "") + (g.area_name or g.title), press_for(g.id))
        for g in groups[:MAX_GROUP_BUTTONS]
    ]
    buttons.append(button(t_plain(lang, done_key, count=len(chosen)), press_for(None)))
    text = t(lang, ask_key, count=len(chosen))
    if len(groups) > MAX_GROUP_BUTTONS and too_many_key is not None:
        note = t(lang, too_many_key, shown=MAX_GROUP_BUTTONS, count=len(groups))
        text = Html(text + "\n" + note)
    return text, rows(buttons)


async def toggled(
    chosen: Sequence[int], group_id: int, check: Callable[[int], Awaitable[GroupRecord]]
) -> list[int]:
    """`chosen` with the group ticked (appended) or unticked, once `check(group_id)` (the
    service's rule: the group exists, is active and the person may reach it) has passed.

    Raises Refused from `check`; `chosen` itself is never changed."""
    group = await check(group_id)
    if group.id in chosen:
        return [g for g in chosen if g != group.id]
    return [*chosen, group.id]
