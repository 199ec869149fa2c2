"""Notification tasks: thin wrappers over ``socialrx.core.services`` and its receipts."""

from celery import shared_task
from django.conf import settings

from socialrx.core import notification_receipts, services
from socialrx.core.data_protection.services import retention_apply
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


@shared_task(**RETRY_POLICY)
def notifications_check_delivery_task() -> int:
    # Messages Notify accepted hours ago with no receipt: ask it; each recorded once.
    return notification_receipts.notifications_check_delivery()


# Within TASKS_LONGEST_TIME_LIMIT, so the broker's visibility timeout never hands a run
# still going to a second worker; a night's run removes one day's worth of records.
@shared_task(**RETRY_POLICY, soft_time_limit=10 * 60, time_limit=12 * 60)
def retention_apply_task() -> dict[str, int]:
    # Measured from today each time it runs, so a second run the same night finds nothing.
    return retention_apply().counts
