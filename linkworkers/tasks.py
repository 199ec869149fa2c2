"""Celery tasks of the linkworkers app: Celery's autodiscovery imports this module.

Thin wrappers that call services; each is safe to run twice. Connection tasks live in
``linkworkers.connections.tasks``, which autodiscovery imports too.
"""

from celery import shared_task
from django.db import OperationalError

from linkworkers.services.digest import digests_send


# A dropped database connection or a deadlock is worth retrying; a bug is not.
@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def linkworker_digests_send_task() -> int:
    """The daily digest. Each link worker is emailed at most once a day."""
    return digests_send()
