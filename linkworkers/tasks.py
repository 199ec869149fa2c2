"""Celery tasks of the linkworkers app: Celery's autodiscovery imports this module.

Thin wrappers that call services; each is safe to run twice. Connection tasks live in
``tasks_connections`` (the connections work) and are imported here only so that the
worker registers them.
"""

from celery import shared_task

from linkworkers.services.digest import digests_send
from linkworkers.tasks_connections import (
    connection_nudges_send_task,
    connections_no_response_mark_task,
)
from socialrx.core.retry import RETRY_POLICY

__all__ = [
    "connection_nudges_send_task",
    "connections_no_response_mark_task",
    "linkworker_digests_send_task",
]


@shared_task(**RETRY_POLICY)
def linkworker_digests_send_task() -> int:
    """The daily digest. Each link worker is emailed at most once a day."""
    return digests_send()
