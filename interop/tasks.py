"""Celery tasks: thin wrappers around interop's services, idempotent, ids as arguments."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from interop.services import practice_message_write

# A dropped database connection or a deadlock is worth retrying; a bug is not.
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def practice_message_write_task(referral_id: int, kind: str) -> None:
    """Write the message back for a referral event (one per referral and moment)."""
    practice_message_write(referral_id=referral_id, kind=kind)


def on_referral_transition(*, referral_id: int, kind: str) -> None:
    """Listener for ``referral.transition`` (run after commit): queue the message."""
    practice_message_write_task.delay(referral_id, kind)
