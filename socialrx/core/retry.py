"""The one retry policy for every Celery task: ``@shared_task(**RETRY_POLICY)``.

Every task is idempotent (it re-reads its rows and claims its work), so running it again
after a passing fault does no harm. Retried: a dropped or deadlocked database connection
and a network fault (an OSError: the mail server or the broker not answering). Not
retried: anything else, which is a bug and would fail the same way again.

The waits grow from about 30 seconds to at most 10 minutes, each drawn at random up to
that bound so that tasks failing together do not retry together; five retries cover an
outage of about a quarter of an hour. The beat sweeps (unsent notifications, reminders
that run hourly) pick up whatever is still undone after that.
"""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, OSError)

RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}
