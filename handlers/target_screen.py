"""The target-picking screens shared by /larm (handlers/alerts_target.py and
handlers/alerts_place.py) and /enkat, /narvaro (handlers/dialog_target.py): the kommun
buttons, the group buttons with a tick on each chosen group and a "done" button carrying
the count, and ticking/unticking a group after the feature's service has checked that the
person may pick it. Each caller brings its own buttons (CallbackData) and text keys; the
near-place screen of /larm also a line per group (its distance and members, `GroupLines`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class GroupLines:
    """A text line per shown group under the question, and the look of its buttons: the
    near-place screen lists each group's distance and members (`line(group, chosen)`),
    marks unchosen groups with `unticked`, cuts labels to `label_max` characters and puts
    `width` buttons on a row."""

    line: Callable[[GroupRecord, bool], str]
    unticked: str = "⬜ "
    width: int = 1
    label_max: int = 60


def groups_screen(
    lang: str,
    groups: Sequence[GroupRecord],
    chosen: Collection[int],
    press_for: Callable[[int | None], CallbackData],
    *,
    ask_key: str,
    done_key: str,
    too_many_key: str | None = None,
    ask_params: Mapping[str, object] | None = None,
    lines: GroupLines | None = None,
) -> tuple[Html, InlineKeyboardMarkup]:
    """The question (`count` = groups chosen, unless `ask_params` gives it; more parameters
    in `ask_params`) and a button per group, ✅ on the chosen ones, at most
    MAX_GROUP_BUTTONS, then "done" (`press_for(None)`). `lines` adds a line per shown group
    to the text (and sets the buttons' look). `too_many_key` (with `shown` and `count`)
    notes the groups that did not fit."""
    shown = groups[:MAX_GROUP_BUTTONS]
    unticked, label_max = (lines.unticked, lines.label_max) if lines else ("", None)
    buttons = [
        button(
            (("✅ " if g.id in chosen else unticked) + (g.area_name or g.title))[:label_max],
            press_for(g.id),
        )
        for g in shown
    ]
    buttons.append(button(t_plain(lang, done_key, count=len(chosen)), press_for(None)))
    parts: list[str] = [t(lang, ask_key, **{"count": len(chosen), **(ask_params or {})})]
    if lines is not None:
        parts.extend(lines.line(g, g.id in chosen) for g in shown)
    if len(groups) > MAX_GROUP_BUTTONS and too_many_key is not None:
        parts.append(t(lang, too_many_key, shown=MAX_GROUP_BUTTONS, count=len(groups)))
    return Html("\n".join(parts)), rows(buttons, lines.width if lines else 2)


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
