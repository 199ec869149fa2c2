"""Core workflows: outbound notifications."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from socialrx.core.models import Notification, NotificationChannel, NotificationStatus, User
from socialrx.core.notification_backends import Undeliverable, backend

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


def notification_queue_message(
    *,
    kind: str,
    template_key: str,
    language: str,
    personalisation: dict[str, str],
    channel: str,
    to_email: str = "",
    to_phone: str = "",
    about: models.Model | None = None,
) -> Notification:
    """Store a message from our templates (``socialrx.core.messages``) to a person, by
    email, text or letter, and send it from the worker once the transaction commits.
    ``personalisation`` fills the template's fields; a letter's carries its address
    lines (``address_line_1``...), as GOV.UK Notify takes them. No clinical detail.
    ``about`` is the record it is about (a referral), whose pages list it."""
    from socialrx.core.tasks import notification_send_task

    notification = Notification.objects.create(
        kind=kind,
        channel=channel,
        to_email=to_email if channel == NotificationChannel.EMAIL else "",
        to_phone=to_phone if channel == NotificationChannel.SMS else "",
        template_key=template_key,
        language=language,
        personalisation=personalisation,
        about_type=about._meta.label_lower if about is not None else "",
        about_id=about.pk if about is not None else None,
    )
    transaction.on_commit(lambda: notification_send_task.delay(notification.pk))
    return notification


def notification_send(*, notification_id: int) -> bool:
    """Send one notification, at most once. Returns True when this call sent it.

    No database lock is held while the mail server is talked to: the row is claimed
    ("sending", with ``claimed_at``) and committed first, then sent, then the result is
    recorded in a transaction of its own. A worker killed mid-send leaves the row
    "sending" for the sweep to mark "unknown"; it is never sent twice. Call it outside
    any transaction (the tasks do), or the claim is not committed before the send.

    The backend (SMTP or GOV.UK Notify, ``NOTIFICATION_BACKEND``) sends it. One that
    fails (an OSError, as SMTP errors and an unreachable Notify are) is recorded as
    "failed" and the error raised again, for the task's retry policy; one the provider
    refuses for good is recorded as "rejected" and never tried again.
    """
    notification = _claim(notification_id)
    if notification is None:
        return False
    try:
        provider_reference = backend().send(notification)
    except Undeliverable as refused:
        Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.REJECTED,
            last_error=str(refused)[:300],
            personalisation={},
            updated_at=timezone.now(),
        )
        logger.warning("Notification %s rejected: %s", notification.pk, refused)
        return False
    except OSError as error:
        Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:300],
            updated_at=timezone.now(),
        )
        logger.warning(
            "Notification %s failed on attempt %s", notification.pk, notification.attempts
        )
        raise
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENT,
        sent_at=now,
        last_error="",
        provider_reference=provider_reference,
        # Links, addresses and details in the message should not linger once delivered.
        body_text="",
        body_html="",
        personalisation={},
        updated_at=now,
    )
    logger.info("Notification %s sent (%s)", notification.pk, notification.kind)
    return True


def _claim(notification_id: int) -> Notification | None:
    """Mark the notification "sending" and commit; None if it is not ours to send (sent,
    being sent, needing review, or out of attempts)."""
    with transaction.atomic():
        notification = (
            Notification.objects.pending().select_for_update().filter(pk=notification_id).first()
        )
        if notification is None:
            return None
        notification.status = NotificationStatus.SENDING
        notification.claimed_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["status", "claimed_at", "attempts", "updated_at"])
    return notification


def notifications_mark_interrupted(*, now: datetime | None = None) -> int:
    """Mark "unknown" what has been "sending" longer than any task may run: its worker
    died mid-send, and the mail server may or may not have taken it. Not sent again
    (at most once); a person checks. Returns how many were marked."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    marked = Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=cutoff
    ).update(
        status=NotificationStatus.UNKNOWN,
        last_error="The worker stopped while sending: it may or may not have been delivered.",
        updated_at=now,
    )
    if marked:
        logger.warning("%s notifications interrupted mid-send need review", marked)
    return marked


def notifications_send_pending(*, older_than_seconds: int = 60) -> int:
    """Send notifications the worker missed or that failed; returns how many were sent.

    Stops at the first failure: a mail server that is down would fail the rest too, one
    timeout each, and the next sweep tries again.
    """
    notifications_mark_interrupted()
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending_ids = list(
        Notification.objects.pending()
        .filter(updated_at__lte=cutoff)
        .values_list("pk", flat=True)[:500]
    )
    sent = 0
    for pk in pending_ids:
        try:
            sent += notification_send(notification_id=pk)
        except OSError:
            break
    return sent
