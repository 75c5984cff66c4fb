"""Every button of the alert feature: the /alert dialogue's steps and /alerts' update and
withdraw. The acknowledgement under a delivered alert is declared with the service that
puts it into the outbox (bot/services/alert_ack.py).
"""

from __future__ import annotations

import enum

from bot.callbacks import CallbackData, any_of


class AlertType(CallbackData, prefix="altype"):
    """/alert step 1: the alert's category (one of `alerts.CATEGORIES`)."""

    category: str


class Target(enum.StrEnum):
    ALL = "all"
    KOMMUN = "kommun"
    GROUPS = "groups"
    PLACE = "place"


class AlertTarget(CallbackData, prefix="altarget"):
    """/alert step 2: where the alert goes."""

    target: Target


class AlertKommun(CallbackData, prefix="alkommun"):
    """/alert step 3a: the kommun (its four-digit code)."""

    kommun: str


class AlertGroup(CallbackData, prefix="algroup"):
    """/alert step 3b: toggle one group; no group id = "done"."""

    group_id: int | None


class AlertRadius(CallbackData, prefix="alradius"):
    """/alert, near a place: the radius in metres (one of `places.SEARCH_RADII_M`)."""

    radius_m: int


class AlertNear(CallbackData, prefix="alnear"):
    """/alert, near a place: untick or tick one of the matching groups; None = "done"."""

    group_id: int | None


class DetailStep(enum.StrEnum):
    LINK = "link"
    EVENT = "event"


class AlertDetailSkip(CallbackData, prefix="alnodetail"):
    """/alert: go on without a "Läs mer" link / without an event number."""

    step: DetailStep


class AlertPhotoSkip(CallbackData, prefix="alnophoto"):
    """/alert: send the alert without a photo."""


class AlertConfirm(CallbackData, prefix="alconfirm"):
    """/alert, last step: send (True) or cancel (False)."""

    send: bool


COMPOSE_BUTTONS = any_of(
    AlertType,
    AlertTarget,
    AlertKommun,
    AlertGroup,
    AlertRadius,
    AlertNear,
    AlertDetailSkip,
    AlertPhotoSkip,
    AlertConfirm,
)
"""Any version of any /alert dialogue button (pressed after the dialogue ended: expired)."""


class ManageAction(enum.StrEnum):
    UPDATE = "update"
    WITHDRAW = "withdraw"
    WITHDRAW_CONFIRMED = "withdrawok"
    UPDATE_CONFIRMED = "updateok"  # send the update shown in the preview


class AlertManage(CallbackData, prefix="alm"):
    """/alerts: update or withdraw one alert (re-checked against storage when pressed)."""

    action: ManageAction
    alert_id: int


class AlertManageCancel(CallbackData, prefix="almno"):
    """/alerts: keep the alert (the withdraw confirmation's No)."""


class AlertFigures(CallbackData, prefix="alfig"):
    """/alerts: one alert's figures per group, as a message or (csv) as a CSV file; who
    may see them is checked against storage when pressed."""

    alert_id: int
    csv: bool
