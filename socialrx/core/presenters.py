"""How a message to a person is described to staff: in words, never by colour alone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from socialrx.core.models import DeliveryStatus, Notification, NotificationStatus

_DS = DeliveryStatus
_NS = NotificationStatus

# What a failure means for each channel, as the staff member can act on it.
_NOT_DELIVERED: dict[tuple[str, str], str] = {
    (_DS.PERMANENT_FAILURE, "email"): "Not delivered: email address not in use",
    (_DS.PERMANENT_FAILURE, "sms"): "Not delivered: number not in use",
    (_DS.PERMANENT_FAILURE, "letter"): "Not delivered: the address could not be used",
    (_DS.TEMPORARY_FAILURE, "email"): "Not delivered: their inbox was full or not accepting email",
    (_DS.TEMPORARY_FAILURE, "sms"): "Not delivered: their phone was off or out of signal",
}
_DELIVERY: dict[str, str] = {
    _DS.POSTED: "Posted",
    _DS.DELIVERED: "Delivered",
    _DS.TEMPORARY_FAILURE: "Not delivered for now: try again later",
    _DS.TECHNICAL_FAILURE: "Not delivered: a problem at GOV.UK Notify, not their details",
    _DS.PERMANENT_FAILURE: "Not delivered: number or address not in use",
    _DS.RETURNED_LETTER: "Not delivered: letter returned to sender",
}
_SENDING: dict[str, str] = {
    _NS.QUEUED: "Waiting to be sent",
    _NS.FAILED: "Waiting to be sent again",
    _NS.SENDING: "Being sent",
    _NS.UNKNOWN: "Unknown: the send was interrupted, needs checking",
    _NS.REJECTED: "Not sent: refused by the provider",
}


@dataclass(frozen=True)
class MessagePresenter:
    notification: Notification

    @property
    def what(self) -> str:
        """Which message: "Referral received"."""
        n = self.notification
        return (n.template_key or n.kind).replace("_", " ").capitalize()

    @property
    def channel(self) -> str:
        return self.notification.get_channel_display()

    @property
    def to(self) -> str:
        """Where it went: the address or number (a letter's address is not kept)."""
        n = self.notification
        return n.to_email or n.to_phone or "their postal address"

    @property
    def state(self) -> str:
        n = self.notification
        if n.status != _NS.SENT:
            return _SENDING.get(n.status, n.get_status_display())
        if n.delivery_status:
            return _NOT_DELIVERED.get((n.delivery_status, n.channel), _DELIVERY[n.delivery_status])
        if not n.provider_reference:  # SMTP: the mail server took it, and says no more
            return "Sent (no delivery receipt for email sent this way)"
        return "Sent: waiting for the delivery receipt"

    @property
    def when(self) -> datetime.datetime:
        n = self.notification
        return n.delivery_status_at or n.sent_at or n.created_at

    @property
    def failed(self) -> bool:
        return self.notification.delivery_status in (
            _DS.PERMANENT_FAILURE,
            _DS.RETURNED_LETTER,
            _DS.TEMPORARY_FAILURE,
        )

    @property
    def undeliverable(self) -> bool:
        return self.notification.undeliverable


def message_presenters(notifications: list[Notification]) -> list[MessagePresenter]:
    return [MessagePresenter(n) for n in notifications]
