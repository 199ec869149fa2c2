"""Delivery receipts: what GOV.UK Notify says became of a message it accepted.

"Sent" only means Notify took the message. Notify then tells us whether it arrived, by
posting to our callbacks (``socialrx.core.notify_callbacks``: one for delivery receipts,
one for returned letters), and, where no callback is set up or one was lost, by
answering ``GET /v2/notifications/<id>`` when the hourly check asks
(``notifications_check_delivery``). Both go through ``notification_record_receipt``:

- a receipt may come twice or out of order; a status replaces another only if it ranks
  higher (``DELIVERY_RANK``), so the same receipt twice changes nothing the second time
  and a late "delivered" never hides a failure;
- each change is audited as a system event (no one signed in acted);
- a number or address that does not work (``UNDELIVERABLE``) is announced
  (``NOTIFICATION_UNDELIVERABLE``) for the app the message was about, which tells the
  staff who can reach the person another way (core names no app).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from notifications_python_client.errors import APIError

from socialrx.core.audit import audit_record
from socialrx.core.listeners import announce
from socialrx.core.models import (
    DELIVERY_RANK,
    UNDELIVERABLE,
    AuditAction,
    AuditSystemReason,
    DeliveryStatus,
    Notification,
    NotificationStatus,
)
from socialrx.core.notification_backends import REFERENCE_PREFIX, notify_client

logger = logging.getLogger(__name__)

# Announced (``socialrx.core.listeners``) with ``notification_id`` once a message is
# found undeliverable.
NOTIFICATION_UNDELIVERABLE = "notification_undeliverable"

# Notify's statuses (email, text and letter) and what each means here; None for a
# message still on its way, which is no receipt yet.
NOTIFY_STATUSES: dict[str, str | None] = {
    "created": None,
    "sending": None,
    "pending": None,
    # A text to an abroad number: sent, and no receipt will follow.
    "sent": None,
    "accepted": None,
    "pending-virus-check": None,
    "delivered": DeliveryStatus.DELIVERED,
    "received": DeliveryStatus.POSTED,
    "temporary-failure": DeliveryStatus.TEMPORARY_FAILURE,
    "technical-failure": DeliveryStatus.TECHNICAL_FAILURE,
    "virus-scan-failed": DeliveryStatus.TECHNICAL_FAILURE,
    "cancelled": DeliveryStatus.TECHNICAL_FAILURE,
    "permanent-failure": DeliveryStatus.PERMANENT_FAILURE,
    # A letter whose address Notify could not accept: the address is the problem.
    "validation-failed": DeliveryStatus.PERMANENT_FAILURE,
    "returned-letter": DeliveryStatus.RETURNED_LETTER,
}
NOTIFICATION_TYPES = frozenset({"email", "sms", "letter"})
# What a receipt may change; the rest of the row is the sending worker's.
RECEIPT_FIELDS = [
    "status",
    "sent_at",
    "provider_reference",
    "last_error",
    "delivery_status",
    "delivery_status_at",
    "delivery_checked_at",
    "updated_at",
]
# Messages asked about per run: one HTTP request each; beat runs again within the hour.
CHECK_BATCH_SIZE = 200


class ReceiptError(ValueError):
    """The receipt is not one Notify would send; the message says what is wrong."""


class UnknownNotification(LookupError):
    """No message of ours has this Notify id or reference."""


@dataclass(frozen=True)
class Receipt:
    notify_id: str
    reference: str
    status: str | None  # a DeliveryStatus, or None while Notify is still sending
    at: datetime.datetime | None  # when Notify says the status was reached


def _string(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ReceiptError(f"{key} must be a string" + (" and is required" if required else ""))
    return value


def _uuid(data: dict[str, Any], key: str) -> str:
    value = _string(data, key, required=True)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ReceiptError(f"{key} must be Notify's id for the message (a UUID)") from None


def _time(data: dict[str, Any], key: str) -> datetime.datetime | None:
    value = _string(data, key)
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ReceiptError(f"{key} must be a date and time, as 2026-12-02T10:15:30.000000Z")
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=datetime.UTC)


def _object(data: object) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ReceiptError("The body must be a JSON object")
    return data


def parse_delivery_receipt(data: object) -> Receipt:
    """A delivery receipt: Notify's callback, or its answer about one message (the same
    fields, ``type`` for ``notification_type``)."""
    data = _object(data)
    status = _string(data, "status", required=True)
    if status not in NOTIFY_STATUSES:
        raise ReceiptError(f"status {status[:40]!r} is not one of GOV.UK Notify's")
    kind = _string(data, "notification_type") or _string(data, "type")
    if kind and kind not in NOTIFICATION_TYPES:
        raise ReceiptError("notification_type must be email, sms or letter")
    at = _time(data, "completed_at") or _time(data, "sent_at") or _time(data, "created_at")
    return Receipt(
        notify_id=_uuid(data, "id"),
        reference=_string(data, "reference"),
        status=NOTIFY_STATUSES[status],
        at=at,
    )


def parse_returned_letter(data: object) -> Receipt:
    """Notify's returned-letter callback: which letter came back (no date of return:
    it is recorded when we hear of it)."""
    data = _object(data)
    _time(data, "date_sent")  # checked, not kept: when it was posted, not returned
    return Receipt(
        notify_id=_uuid(data, "notification_id"),
        reference=_string(data, "reference"),
        status=DeliveryStatus.RETURNED_LETTER,
        at=None,
    )


def _find(receipt: Receipt) -> Notification:
    """The message, locked: by Notify's id, or by our reference when we never learnt the
    id (the worker died after Notify took it: the message is "unknown")."""
    found = Notification.objects.select_for_update().filter(provider_reference=receipt.notify_id)
    notification = found.first()
    our_id = receipt.reference.removeprefix(REFERENCE_PREFIX)
    if notification is None and receipt.reference.startswith(REFERENCE_PREFIX) and our_id.isdigit():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=int(our_id), provider_reference="")
            .first()
        )
    if notification is None:
        raise UnknownNotification("No message of ours has this id or reference")
    return notification


@transaction.atomic
def notification_record_receipt(
    *, receipt: Receipt, source: str, checked_at: datetime.datetime | None = None
) -> bool:
    """Record what Notify says of one message; True when its delivery status changed.

    ``source`` is "callback" or "check" (for the audit). ``checked_at``, for the check,
    records when we asked, so the next run asks about others first."""
    notification = _find(receipt)
    now = timezone.now()
    if notification.status in (NotificationStatus.SENDING, NotificationStatus.UNKNOWN):
        # Notify has it, so it was sent: the receipt settles what the dead worker left.
        notification.status = NotificationStatus.SENT
        notification.sent_at = receipt.at or now
        notification.provider_reference = receipt.notify_id
        notification.last_error = ""
    if notification.status != NotificationStatus.SENT:
        return False
    old = notification.delivery_status
    new = receipt.status
    if checked_at is not None:
        notification.delivery_checked_at = checked_at
    changed = new is not None and DELIVERY_RANK[new] > DELIVERY_RANK[old]
    if new is not None and changed:
        notification.delivery_status = new
        notification.delivery_status_at = receipt.at or now
    notification.save(update_fields=RECEIPT_FIELDS)
    if not changed:
        return False
    audit_record(
        actor=None,
        system_reason=AuditSystemReason.DELIVERY_RECEIPT,
        action=AuditAction.UPDATE,
        obj=notification,
        detail={"delivery_status": new, "was": old, "source": source},
    )
    if new in UNDELIVERABLE and old not in UNDELIVERABLE:
        announce(NOTIFICATION_UNDELIVERABLE, notification_id=notification.pk)
    return True


def notifications_check_delivery(*, now: datetime.datetime | None = None) -> int:
    """Ask Notify about messages it accepted ``NOTIFY_RECEIPT_CHECK_AFTER_HOURS`` ago or
    more with no final status, each at most once in that many hours, a batch a run.
    Returns how many changed. Safe to run twice at once: each receipt is recorded under
    the message's row lock, once. Stops at the first error that would fail the rest."""
    if not settings.NOTIFY_API_KEY:
        return 0
    now = now or timezone.now()
    wait = datetime.timedelta(hours=settings.NOTIFY_RECEIPT_CHECK_AFTER_HOURS)
    due = list(
        Notification.objects.awaiting_receipt(
            sent_after=now - datetime.timedelta(days=settings.NOTIFY_RECEIPT_MAX_AGE_DAYS),
            sent_before=now - wait,
        )
        .filter(Q(delivery_checked_at__isnull=True) | Q(delivery_checked_at__lte=now - wait))
        .values_list("pk", "provider_reference")[:CHECK_BATCH_SIZE]
    )
    client = notify_client()
    changed = 0
    for pk, notify_id in due:
        try:
            answer = client.get_notification_by_id(notify_id)
            receipt = parse_delivery_receipt(answer)
        except APIError as error:  # no answer, an error, or not JSON
            if error.status_code != 404:
                logger.warning("Asking GOV.UK Notify for receipts stopped: %s", error)
                break
            receipt = Receipt(notify_id, "", None, None)  # Notify no longer has it
        except ReceiptError as error:
            logger.warning("GOV.UK Notify's answer about notification %s: %s", pk, error)
            receipt = Receipt(notify_id, "", None, None)
        changed += notification_record_receipt(receipt=receipt, source="check", checked_at=now)
    return changed
