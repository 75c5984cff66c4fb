"""The "Seen / Sett" button under a delivered alert, declared once for the service that
puts it into outbox payloads and the handler that answers it (handlers/alerts_manage.py).

Alerts delivered before the callback codec carry ``ack:<alert id>``; those messages stay
in the groups, so that format is declared too (`AlertAckV0`) and still counts.
"""

from __future__ import annotations

from bot.callbacks import CallbackData


class AlertAck(CallbackData, prefix="ack", version=2):
    """``ack2:<alert id>``; no alert id (``ack2:-``) on the composer's preview."""

    alert_id: int | None


class AlertAckV0(CallbackData, prefix="ack", version=0):
    """``ack:<alert id>``: the button of alerts delivered before the codec."""

    alert_id: int


def acknowledged_alert(data: str | None) -> AlertAck | None:
    """The pressed acknowledgement in either format (the old one read as the current)."""
    current = AlertAck.parse(data)
    if current is not None:
        return current
    legacy = AlertAckV0.parse(data)
    return AlertAck(legacy.alert_id) if legacy is not None else None


def is_ack(data: object) -> bool:
    """A `CallbackQueryHandler` pattern: an acknowledgement in any format."""
    return isinstance(data, str) and acknowledged_alert(data) is not None
