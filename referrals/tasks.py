"""Referral tasks: thin wrappers that call ``referrals.reminders``; beat runs them.

Each is safe to run twice (the services claim their work under a unique row or a row
lock), so a retry after a lost connection or a duplicate beat tick does no harm.
"""

from __future__ import annotations

from celery import shared_task

from referrals import reminders
from socialrx.core.retry import RETRY_POLICY


@shared_task(**RETRY_POLICY)
def referral_alerts_untriaged_task() -> int:
    return reminders.referral_alerts_untriaged_send()


@shared_task(**RETRY_POLICY)
def referral_alerts_no_first_contact_task() -> int:
    return reminders.referral_alerts_no_first_contact_send()


@shared_task(**RETRY_POLICY)
def referrals_decline_expired_task() -> int:
    return reminders.referrals_decline_expired()
