"""Celery tasks: thin wrappers around interop's services, idempotent, ids as arguments."""

from __future__ import annotations

from celery import shared_task

from interop.services import practice_message_write
from socialrx.core.retry import RETRY_POLICY


@shared_task(**RETRY_POLICY)
def practice_message_write_task(referral_id: int, kind: str) -> None:
    """Write the message back for a referral event (one per referral and moment)."""
    practice_message_write(referral_id=referral_id, kind=kind)


def on_referral_transition(*, referral_id: int, kind: str) -> None:
    """Listener for ``referral.transition`` (run after commit): queue the message."""
    practice_message_write_task.delay(referral_id, kind)
