"""One person's dialogue state: PTB's `user_data`, typed.

PTB creates one `UserData` per person (`ContextTypes(user_data=UserData)`, bot/app.py);
handlers read and write its attributes instead of dict keys. Each dialogue owns its
attributes and `forget()`s them when it ends (done, /cancel, timed out), so ending one
dialogue never touches another's draft. bot/persistence.py stores it with the update that
changed it, without `lang` (a cache the tracker fills at every update).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from bot.services.alerts import Draft
from bot.services.observations import Reach, ReportDraft
from bot.services.presence import PresenceDialogDraft
from bot.services.surveys import SurveyDraft


@dataclass
class TipDraft:
    """The tip library's add or edit dialogue (handlers/tips_library.py)."""

    focus: str | None = None  # adding: one of FOCUS_AREAS
    season: str | None = None  # adding: one of SEASONS
    text_sv: str | None = None  # adding: the Swedish text, before the English one
    tip_id: int | None = None  # editing: which tip
    language: str | None = None  # editing: which text (sv / en)


@dataclass(frozen=True)
class SavedReport:
    """The last report a person sent, for a second press on its summary's Send."""

    prompt_message_id: int | None  # the summary whose Send stored it
    reference: str
    reach: Reach


@dataclass
class UserData:
    """Everything the bot keeps for one person between updates."""

    lang: str | None = None  # the person's language, cached by handlers.tracking
    # /alert (/larm)
    alert_draft: Draft | None = None
    # /alerts: the alert whose update text is awaited
    alert_update_id: int | None = None
    alert_update_text: str | None = None  # the update shown in the preview, to be sent
    # /report (/rapportera)
    report_draft: ReportDraft | None = None
    report_step: int | None = None  # the step whose question was shown last
    report_editing: bool = False  # changing one field from the summary
    report_location: tuple[float, float] | None = None  # shared, precision not yet chosen
    report_saved: SavedReport | None = field(default=None)  # outlives the dialogue
    # a coordinator's note on an observation
    note_observation_id: int | None = None
    # the tip library's add/edit dialogue
    tip_draft: TipDraft | None = None
    # /survey (/enkat)
    survey_draft: SurveyDraft | None = None
    # /presence (/narvaro), and moving an announced presence
    presence_draft: PresenceDialogDraft | None = None
    presence_move_id: int | None = None
    presence_move_listing: int | None = None  # the /narvarolista message to bring up to date

    def forget(self, *names: str) -> None:
        """Reset the named attributes to their defaults (a dialogue's state, when it ends).
        Raises AttributeError for a name UserData does not have."""
        defaults = UserData()
        for name in check_names(*names):
            setattr(self, name, getattr(defaults, name))

    def clear(self) -> None:
        """Forget everything kept for the person (after an erasure, /glommig)."""
        for name in _FIELDS:
            setattr(self, name, getattr(UserData(), name))

    def stored(self) -> UserData | None:
        """What is worth storing: a copy without the transient `lang`, None when empty."""
        # Called after every update (bot/persistence.py): most people have no draft, so
        # compare with the defaults before building a copy.
        state = self.__dict__
        if all(state[name] == default for name, default in _EMPTY):
            return None
        return dataclasses.replace(self, lang=None)

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A stored value from a version with fewer attributes gets the defaults of the
        # new ones; attributes this version no longer has are dropped.
        defaults = UserData()
        self.__dict__.update({name: getattr(defaults, name) for name in _FIELDS})
        self.__dict__.update({k: v for k, v in state.items() if k in _FIELDS})


_FIELDS = frozenset(f.name for f in dataclasses.fields(UserData))
# (name, default) of every field that is stored (all but `lang`).
_EMPTY = tuple((name, getattr(UserData(), name)) for name in sorted(_FIELDS - {"lang"}))


def check_names(*names: str) -> tuple[str, ...]:
    """`names` if each is an attribute of UserData (else AttributeError), for dialogues
    that declare their state at build time."""
    for name in names:
        if name not in _FIELDS:
            raise AttributeError(f"UserData has no {name!r}")
    return names
