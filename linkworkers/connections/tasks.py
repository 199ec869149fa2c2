"""Connection tasks: thin wrappers that call ``services.reminders``; beat runs them
(CELERY_BEAT_SCHEDULE). Celery's autodiscovery imports this module (socialrx/celery.py).

The task names are the ones they had before the connections moved into this subpackage
(``linkworkers.tasks_connections``): beat's rows in the database and any message already
queued name them, and a renamed task would be dropped as unregistered.

Each is safe to run twice: a nudge is claimed under a row lock and recorded once per
referral, and the no-response move re-checks the status under the lock.
"""

from __future__ import annotations

from celery import shared_task

from linkworkers.connections.services import reminders
from socialrx.core.retry import RETRY_POLICY

_OLD_MODULE = "linkworkers.tasks_connections"


@shared_task(name=f"{_OLD_MODULE}.connection_nudges_send_task", **RETRY_POLICY)
def connection_nudges_send_task() -> int:
    return reminders.connection_nudges_send()


@shared_task(name=f"{_OLD_MODULE}.connections_no_response_mark_task", **RETRY_POLICY)
def connections_no_response_mark_task() -> int:
    return reminders.connections_no_response_mark()
