"""Thin Celery tasks: ids in, re-fetch and call a service. Idempotent."""

from __future__ import annotations

from celery import shared_task

from outcomes.services.archive import report_generate, scheduled_report_generate
from socialrx.core.retry import RETRY_POLICY

# A yearly report over a county takes minutes, longer than the default limit.
REPORT_SOFT_LIMIT = 15 * 60
REPORT_LIMIT = 16 * 60


@shared_task(**RETRY_POLICY, soft_time_limit=REPORT_SOFT_LIMIT, time_limit=REPORT_LIMIT)
def report_generate_task(report_file_id: int) -> bool:
    return report_generate(report_file_id=report_file_id)


@shared_task(**RETRY_POLICY, soft_time_limit=REPORT_SOFT_LIMIT, time_limit=REPORT_LIMIT)
def scheduled_report_task(subscription_id: int) -> bool:
    return scheduled_report_generate(subscription_id=subscription_id)
