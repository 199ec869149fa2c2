"""Work for the fault tests: queued as the web side queues it, or left as the broker
losing its message leaves it, and how to tell it was all done once."""

from __future__ import annotations

import datetime
import json

import redis
from django.utils import timezone

from outcomes.models import ReportFile, ReportSubscription, RunStatus
from outcomes.reports.base import ReportFilters
from outcomes.services.archive import report_run_request, subscription_create
from socialrx.core.models import Notification, NotificationStatus, OrganisationType, Role, User
from socialrx.core.services import notification_queue
from tests.factories import OrganisationFactory, user_with_role

FILTERS = ReportFilters(
    start=datetime.date(2024, 1, 1), end=datetime.date(2025, 6, 30), period="quarter"
)
LONG_AGO = datetime.timedelta(days=365)


def commissioner() -> User:
    return user_with_role(Role.COMMISSIONER, OrganisationFactory(org_type=OrganisationType.ICB))


def queue_emails(prefix: str, count: int) -> list[Notification]:
    """Emails queued as a view queues them: the row, and its task sent to the broker."""
    return [
        notification_queue(
            to_email=f"{prefix}{n}@test.example", kind="test", subject="Hello", body_text="Hi"
        )
        for n in range(count)
    ]


def queue_report(user: User) -> ReportFile:
    return report_run_request(user=user, key="activity", filters=FILTERS, fmt="csv")


def lost_emails(prefix: str, count: int) -> list[Notification]:
    """Queued emails whose task message the broker lost a while ago."""
    rows = [
        Notification.objects.create(
            to_email=f"{prefix}{n}@test.example", kind="test", subject="Hello", body_text="Hi"
        )
        for n in range(count)
    ]
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    return rows


def lost_report(user: User) -> ReportFile:
    run = ReportFile.objects.create(
        owner=user, report="activity", fmt="csv", params=FILTERS.as_params()
    )
    ReportFile.objects.filter(pk=run.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    return run


def due_subscription(user: User) -> ReportSubscription:
    """A monthly subscription from last year: last month's report is due (or will be by
    06:00 on the 2nd) and, beat's message lost, not archived."""
    subscription = subscription_create(
        user=user, report="activity", frequency="monthly", filters={}
    )
    a_year_ago = timezone.now() - LONG_AGO
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        created_at=a_year_ago, updated_at=a_year_ago
    )
    return subscription


def all_sent(rows: list[Notification]) -> bool:
    pks = [row.pk for row in rows]
    return Notification.objects.filter(pk__in=pks, status=NotificationStatus.SENT).count() == len(
        pks
    )


def done(run: ReportFile) -> bool:
    return ReportFile.objects.filter(pk=run.pk, status=RunStatus.DONE).exists()


def queued_tasks(redis_url: str) -> list[str]:
    """The names of the tasks waiting in the broker's default queue, with their args."""
    client = redis.Redis.from_url(redis_url)
    waiting = []
    for raw in client.lrange("celery", 0, -1):
        headers = json.loads(raw)["headers"]
        waiting.append(f"{headers['task'].rsplit('.', 1)[-1]}{headers['argsrepr']}")
    return waiting
