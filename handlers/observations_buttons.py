"""Every button of the observations feature: the /report dialogue, the coordinator's
listing and actions, the police inbox, /myreports and /export. Ids are hints only: every
press is re-checked against storage.
"""

from __future__ import annotations

import enum

from bot.callbacks import CallbackData, any_of
from bot.services.observation_input import CATEGORIES, CATEGORY_BY_CODE
from bot.services.observation_listings import (
    PERIODS,
    STATUS_CODE_OF,
    STATUS_CODES,
    ListFilter,
)

# ------------------------------------------------------------------ the /report dialogue


class ReportStep(enum.StrEnum):
    GROUP = "g"  # value: the group id
    CATEGORY = "c"  # value: a category code
    WHEN = "w"  # now / today / day
    PRECISION = "p"  # round / exact
    PHOTOS_DONE = "ph"  # done
    IDENTITY = "i"  # y / n
    SUMMARY = "s"  # ok / edit / cancel (ok also on the saved report: "saved again")
    EDIT = "e"  # which field to change


class ReportButton(CallbackData, prefix="obr"):
    """A button of one step of the /report dialogue; `value` is checked by the step."""

    step: ReportStep
    value: str


# ------------------------------------------------------------------ coordinators


ALL = "a"  # the listing's "any status" / "any category"


class ObsListing(CallbackData, prefix="obsl"):
    """The coordinator's listing: filter (status and category codes or `ALL`, period in
    days with 0 = everything) and page."""

    status: str
    category: str
    period: int
    page: int

    @classmethod
    def of(cls, flt: ListFilter) -> ObsListing:
        status = STATUS_CODE_OF.get(flt.status or "", ALL)
        return cls(status, CATEGORIES.get(flt.category or "", ALL), flt.period, flt.page)

    def list_filter(self) -> ListFilter | None:
        """The filter, or None when a value is not one the buttons offer (forged)."""
        if self.status != ALL and self.status not in STATUS_CODES:
            return None
        if self.category != ALL and self.category not in CATEGORY_BY_CODE:
            return None
        if self.period not in PERIODS or not 0 <= self.page <= 10_000:
            return None
        return ListFilter(
            STATUS_CODES.get(self.status),
            CATEGORY_BY_CODE.get(self.category),
            self.period,
            self.page,
        )


class ObsFilter(CallbackData, prefix="obsf"):
    """The coordinator's filter picker, showing the filter it carries as chosen (status,
    category, period as in ObsListing); its choices are ObsFilter buttons too, "show" an
    ObsListing."""

    status: str
    category: str
    period: int

    @classmethod
    def of(cls, flt: ListFilter) -> ObsFilter:
        listing = ObsListing.of(flt)
        return cls(listing.status, listing.category, listing.period)

    def list_filter(self) -> ListFilter | None:
        """The filter (first page), or None when a value is not one offered (forged)."""
        return ObsListing(self.status, self.category, self.period, 0).list_filter()


class ObsDetail(CallbackData, prefix="obsd"):
    """A coordinator opens one observation."""

    observation_id: int


class TriageAction(enum.StrEnum):
    REVIEWED = "rv"
    FORWARD = "fw"
    CLOSED = "cl"


class ObsAction(CallbackData, prefix="obsa"):
    """A coordinator's action on one observation."""

    observation_id: int
    action: TriageAction


class ObsNote(CallbackData, prefix="obsn"):
    """A coordinator adds a note (starts a short dialogue)."""

    observation_id: int


# ------------------------------------------------------------------ police


class InboxPage(CallbackData, prefix="obsi"):
    """/inbox, one page (0-based)."""

    page: int


class PoliceDetail(CallbackData, prefix="obspd"):
    """A police officer opens one forwarded observation."""

    observation_id: int


class Handled(CallbackData, prefix="obsh"):
    """A police officer marks a forwarded observation handled."""

    observation_id: int


# ------------------------------------------------------------------ residents, /export


class Withdraw(CallbackData, prefix="obsw"):
    """/myreports: withdraw one's own report while it is new."""

    observation_id: int


class Export(CallbackData, prefix="obsx"):
    """/export: the period in days (one of the export service's periods)."""

    days: int


TRIAGE_BUTTONS = any_of(
    ObsListing,
    ObsFilter,
    ObsDetail,
    ObsAction,
    ObsNote,
    InboxPage,
    PoliceDetail,
    Handled,
    Withdraw,
    Export,
)
"""Any version of any button above the report dialogue's: one no handler took (a value out
of range, an older layout) is answered "not allowed", as these screens always did."""
