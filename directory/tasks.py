from celery import shared_task

from directory.reminders import listing_reminders_send
from socialrx.core.retry import RETRY_POLICY


@shared_task(**RETRY_POLICY)
def listing_reminders_send_task() -> int:
    # Idempotent per editor per week, so a retry or a second beat tick sends nothing new.
    return listing_reminders_send()
