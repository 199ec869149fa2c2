"""Thin Celery tasks: ids in, re-fetch and call a service. Idempotent."""

from __future__ import annotations

from celery import shared_task

from outcomes.services.archive import report_generate, scheduled_report_generate


@shared_task(
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
)
def report_generate_task(report_file_id: int) -> bool:
    return report_generate(report_file_id=report_file_id)


@shared_task(
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
)
def scheduled_report_task(subscription_id: int) -> bool:
    return scheduled_report_generate(subscription_id=subscription_id)
