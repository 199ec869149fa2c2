"""Core workflows: outbound notifications."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from socialrx.core.models import Notification, NotificationStatus, User

logger = logging.getLogger(__name__)


def notification_queue(
    *,
    to_email: str,
    kind: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    recipient: User | None = None,
) -> Notification:
    """Store an email and send it from the worker once the transaction commits."""
    from socialrx.core.tasks import notification_send_task

    notification = Notification.objects.create(
        recipient=recipient,
        to_email=to_email,
        kind=kind,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    transaction.on_commit(lambda: notification_send_task.delay(notification.pk))
    return notification


def notification_send(*, notification_id: int) -> bool:
    """Send one queued notification. Safe to run twice: a sent one is left alone.

    Returns True when this call sent it.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status == NotificationStatus.SENT:
            return False
        if notification.attempts >= Notification.MAX_ATTEMPTS:
            return False
        notification.attempts += 1
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.to_email],
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        try:
            message.send()
        except OSError as error:  # SMTP errors are OSErrors
            notification.status = NotificationStatus.FAILED
            notification.last_error = f"{type(error).__name__}: {error}"[:300]
            notification.save(update_fields=["status", "attempts", "last_error", "updated_at"])
            logger.warning(
                "Notification %s failed on attempt %s", notification.pk, notification.attempts
            )
            return False
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        # Links and details in the message should not linger once delivered.
        notification.body_text = ""
        notification.body_html = ""
        notification.save()
        logger.info("Notification %s sent (%s)", notification.pk, notification.kind)
        return True


def notifications_send_pending(*, older_than_seconds: int = 60) -> int:
    """Send notifications the worker missed or that failed; returns how many were sent."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending_ids = list(
        Notification.objects.pending()
        .filter(updated_at__lte=cutoff)
        .values_list("pk", flat=True)[:500]
    )
    return sum(notification_send(notification_id=pk) for pk in pending_ids)
