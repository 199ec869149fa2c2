"""Thin Celery tasks: ids in, re-fetch and call a service. Idempotent."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from outcomes.services.archive import (
    report_generate,
    reports_recover,
    scheduled_report_generate,
)
from socialrx.core.retry import RETRY_POLICY

# A yearly report over a county takes minutes, longer than the default limit. The sweep
# counts a run still "running" after this limit as interrupted.
REPORT_LIMITS = {
    # Asked to stop a minute before (half the limit, for the short ones tests set).
    "soft_time_limit": max(
        settings.OUTCOMES_REPORT_TIME_LIMIT - 60, settings.OUTCOMES_REPORT_TIME_LIMIT // 2
    ),
    "time_limit": settings.OUTCOMES_REPORT_TIME_LIMIT,
}


@shared_task(**RETRY_POLICY, **REPORT_LIMITS)
def report_generate_task(report_file_id: int) -> bool:
    return report_generate(report_file_id=report_file_id)


@shared_task(**RETRY_POLICY, **REPORT_LIMITS)
def scheduled_report_task(subscription_id: int) -> bool:
    return scheduled_report_generate(subscription_id=subscription_id)


@shared_task(**RETRY_POLICY)
def reports_recover_task() -> int:
    return reports_recover()
