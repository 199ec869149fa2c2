"""Notification tasks: thin wrappers over ``socialrx.core.services``."""

from celery import shared_task
from django.conf import settings

from socialrx.core import services
from socialrx.core.retry import RETRY_POLICY


@shared_task(**RETRY_POLICY)
def notification_send_task(notification_id: int) -> bool:
    # A mail server that did not answer raises (after the failure is recorded), and the
    # policy retries it; a notification sent, or being sent, is left alone.
    return services.notification_send(notification_id=notification_id)


@shared_task(**RETRY_POLICY)
def notifications_send_pending_task() -> int:
    # Anything queued for longer than one retry period was missed or failed.
    return services.notifications_send_pending(
        older_than_seconds=settings.NOTIFICATION_RETRY_SECONDS
    )
