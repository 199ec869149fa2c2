"""Connection tasks: thin wrappers that call ``services.connection_reminders``; beat runs
them (CELERY_BEAT_SCHEDULE). Registered through ``linkworkers.tasks``, which
Celery's autodiscovery imports.

Each is safe to run twice: a nudge is claimed under a row lock and recorded once per
referral, and the no-response move re-checks the status under the lock.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from linkworkers.services import connection_reminders

# A dropped database connection or a deadlock is worth retrying; a bug is not.
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def connection_nudges_send_task() -> int:
    return connection_reminders.connection_nudges_send()


@shared_task(**RETRY)
def connections_no_response_mark_task() -> int:
    return connection_reminders.connections_no_response_mark()
