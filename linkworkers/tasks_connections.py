"""Connection tasks: thin wrappers that call ``services.connection_reminders``; beat runs
them (CELERY_BEAT_SCHEDULE). Registered through ``linkworkers.tasks``, which
Celery's autodiscovery imports.

Each is safe to run twice: a nudge is claimed under a row lock and recorded once per
referral, and the no-response move re-checks the status under the lock.
"""

from __future__ import annotations

from celery import shared_task

from linkworkers.services import connection_reminders
from socialrx.core.retry import RETRY_POLICY


@shared_task(**RETRY_POLICY)
def connection_nudges_send_task() -> int:
    return connection_reminders.connection_nudges_send()


@shared_task(**RETRY_POLICY)
def connections_no_response_mark_task() -> int:
    return connection_reminders.connections_no_response_mark()
