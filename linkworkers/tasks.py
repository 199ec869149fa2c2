"""Celery tasks of the linkworkers app: Celery's autodiscovery imports this module.

Thin wrappers that call services; each is safe to run twice. Connection tasks live in
``linkworkers.connections.tasks``, which autodiscovery imports too.
"""

from celery import shared_task

from linkworkers.services.digest import digests_send
from socialrx.core.retry import RETRY_POLICY


@shared_task(**RETRY_POLICY)
def linkworker_digests_send_task() -> int:
    """The daily digest. Each link worker is emailed at most once a day."""
    return digests_send()
