from celery import shared_task

from directory.reminders import listing_reminders_send


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def listing_reminders_send_task() -> int:
    # Idempotent per editor per week, so a retry or a second beat tick sends nothing new.
    return listing_reminders_send()
