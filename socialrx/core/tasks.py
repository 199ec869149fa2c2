from celery import shared_task
from django.conf import settings

from socialrx.core import services


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def notification_send_task(notification_id: int) -> bool:
    return services.notification_send(notification_id=notification_id)


@shared_task
def notifications_send_pending_task() -> int:
    # Anything queued for longer than one retry period was missed or failed.
    return services.notifications_send_pending(
        older_than_seconds=settings.NOTIFICATION_RETRY_SECONDS
    )
