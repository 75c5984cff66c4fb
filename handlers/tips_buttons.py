"""Every button of /tips: a group's schedule panel (handlers/tips.py) and the tip library
with its add/edit dialogue (handlers/tips_library.py). All are re-checked against storage
when pressed; ids are only hints.
"""

from __future__ import annotations

import enum

from bot.callbacks import CallbackData, any_of


class PanelAction(enum.StrEnum):
    PANEL = "p"  # show the group's panel
    DAY = "d"  # weekday 0-6
    TIME = "t"  # HHMM
    FREQUENCY = "f"  # a code of tips.FREQ_CODES
    PREVIEW = "n"  # the next tip
    SEND = "s"  # send one now


class TipsPanel(CallbackData, prefix="tips"):
    """A group's schedule panel; without a value a picker is shown, with one it is stored."""

    action: PanelAction
    group_id: int
    value: str | None = None


class LibraryPage(CallbackData, prefix="tlib"):
    """The tip library, one page (0-based)."""

    page: int


class LibraryTip(CallbackData, prefix="ttip"):
    """One tip of the library; `enable` set: switch it on or off first."""

    tip_id: int
    enable: bool | None = None


class LibraryAdd(CallbackData, prefix="tadd"):
    """Start the add-a-tip dialogue."""


class LibraryEdit(CallbackData, prefix="tedit"):
    """Start editing one text (`language`: sv / en) of a tip."""

    tip_id: int
    language: str


class TipFocus(CallbackData, prefix="tfocus"):
    """Add-a-tip dialogue: the focus area (one of tips.FOCUS_AREAS)."""

    focus: str


class TipSeason(CallbackData, prefix="tseason"):
    """Add-a-tip dialogue: the season (one of tips.SEASONS)."""

    season: str


TIPS_BUTTONS = any_of(
    TipsPanel, LibraryPage, LibraryTip, LibraryAdd, LibraryEdit, TipFocus, TipSeason
)
"""Any version of any /tips button (an unmatched one is expired, e.g. a lost dialogue)."""
