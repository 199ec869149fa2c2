"""Report work the broker lost is found again by the beat sweep, and made once.

The broker losing a message is what ``django_capture_on_commit_callbacks`` without
``execute`` shows: the row is committed and its task never sent. The fault-injection
suite (tests/faults/) does the same with a real Redis, worker and beat.
"""

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from outcomes.models import ReportFile, ReportSubscription, RunStatus
from outcomes.reports.base import ReportFilters
from outcomes.services.archive import (
    previous_period,
    report_generate,
    report_run_request,
    reports_recover,
    scheduled_report_due_at,
    subscription_create,
)
from socialrx.core.models import Notification

pytestmark = pytest.mark.django_db

FILTERS = ReportFilters(
    start=datetime.date(2024, 1, 1), end=datetime.date(2025, 6, 30), period="quarter"
)


@pytest.fixture
def lost_run(commissioner, django_capture_on_commit_callbacks) -> ReportFile:
    """A run asked for on screen whose task message never reached a worker."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = report_run_request(user=commissioner, key="activity", filters=FILTERS, fmt="csv")
    assert len(callbacks) == 1, "the task would have been sent once"
    return run


def after(seconds: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds + 1)


def test_a_run_whose_message_was_lost_is_made_once_by_the_sweep(
    lost_run, settings, django_capture_on_commit_callbacks
):
    # Given the sweep before the run has waited a sweep period: it is left to its task
    assert reports_recover() == 0

    # When the sweep runs once it has waited longer, and again later
    with django_capture_on_commit_callbacks(execute=True):
        sent = reports_recover(now=after(settings.REPORTS_SWEEP_SECONDS))
    with django_capture_on_commit_callbacks(execute=True):
        sent_again = reports_recover(now=after(2 * settings.REPORTS_SWEEP_SECONDS))

    # Then its task was sent once, and the report made
    assert (sent, sent_again) == (1, 0)
    lost_run.refresh_from_db()
    assert lost_run.status == RunStatus.DONE
    assert lost_run.attempts == 1
    assert bytes(lost_run.content)
    # And the original message turning up after all changes nothing
    assert report_generate(report_file_id=lost_run.pk) is False


def test_a_run_being_made_elsewhere_is_left_alone(lost_run):
    # Given a worker has claimed the run
    ReportFile.objects.filter(pk=lost_run.pk).update(
        status=RunStatus.RUNNING, claimed_at=timezone.now(), attempts=1
    )

    # When its message is delivered a second time, and the sweep runs within the limit
    assert report_generate(report_file_id=lost_run.pk) is False
    assert reports_recover() == 0

    # Then the run is still the first worker's
    lost_run.refresh_from_db()
    assert (lost_run.status, lost_run.attempts) == (RunStatus.RUNNING, 1)


def test_a_run_whose_worker_died_is_made_again_then_failed_when_out_of_attempts(
    lost_run, settings, django_capture_on_commit_callbacks
):
    # Given a worker claimed the run and died: still "running" past the time limit
    claimed = timezone.now() - datetime.timedelta(seconds=settings.OUTCOMES_REPORT_TIME_LIMIT + 1)
    ReportFile.objects.filter(pk=lost_run.pk).update(
        status=RunStatus.RUNNING, claimed_at=claimed, attempts=1
    )

    # When the sweep runs
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_recover() == 1

    # Then it was made by a second attempt
    lost_run.refresh_from_db()
    assert (lost_run.status, lost_run.attempts) == (RunStatus.DONE, 2)

    # And a run that died on its last attempt fails, and is not sent again
    ReportFile.objects.filter(pk=lost_run.pk).update(
        status=RunStatus.RUNNING, claimed_at=claimed, attempts=ReportFile.MAX_ATTEMPTS
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_recover() == 0
    lost_run.refresh_from_db()
    assert lost_run.status == RunStatus.FAILED


def _subscription(commissioner, *, subscribed_at: datetime.datetime) -> ReportSubscription:
    subscription = subscription_create(
        user=commissioner, report="activity", frequency="monthly", filters={}
    )
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        created_at=subscribed_at, updated_at=subscribed_at
    )
    return subscription


def _once_due(settings) -> datetime.datetime:
    """Now, or just after this month's report was due if it is not yet: the period is the
    same (the month before), so the task, which reads the real date, makes that one."""
    due_at = scheduled_report_due_at("monthly", timezone.localdate())
    return max(
        timezone.now(), due_at + datetime.timedelta(seconds=settings.REPORTS_SWEEP_SECONDS + 1)
    )


def test_a_scheduled_report_beat_never_delivered_is_made_once_by_the_sweep(
    commissioner, settings, django_capture_on_commit_callbacks
):
    # Given a monthly subscription from last year, and no report for last month
    subscription = _subscription(
        commissioner, subscribed_at=timezone.now() - datetime.timedelta(days=365)
    )
    now = _once_due(settings)

    # When the sweep runs once it is due, and again
    with django_capture_on_commit_callbacks(execute=True):
        sent = reports_recover(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        sent_again = reports_recover(now=now)

    # Then last month's report is archived once, with one email
    assert (sent, sent_again) == (1, 0)
    report = ReportFile.objects.get(subscription=subscription)
    assert report.period_start == previous_period("monthly", timezone.localdate())[0]
    assert Notification.objects.filter(kind="outcomes_scheduled_report").count() == 1


def test_a_second_sweep_before_the_task_ran_does_not_send_it_again(
    commissioner, settings, django_capture_on_commit_callbacks
):
    # Given a subscription whose due report is missing, and a first sweep whose task is
    # still waiting in the broker
    _subscription(commissioner, subscribed_at=timezone.now() - datetime.timedelta(days=365))
    now = _once_due(settings)
    with django_capture_on_commit_callbacks(execute=False) as first:
        assert reports_recover(now=now) == 1

    # When a second sweep (another beat) runs within a sweep period
    with django_capture_on_commit_callbacks(execute=False) as second:
        sent_again = reports_recover(now=now)

    # Then it sends nothing
    assert (len(first), sent_again, len(second)) == (1, 0, 0)


def test_the_sweep_makes_no_report_for_a_new_or_paused_subscription(
    commissioner, settings, django_capture_on_commit_callbacks
):
    # Given a subscription made just now: its first report is at the next schedule
    subscription = _subscription(commissioner, subscribed_at=timezone.now())
    now = _once_due(settings)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_recover(now=now) == 0

    # And one from last year that an administrator paused in beat
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        created_at=a_year_ago, updated_at=a_year_ago
    )
    PeriodicTask.objects.filter(pk=subscription.periodic_task_id).update(enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_recover(now=now) == 0

    assert not ReportFile.objects.exists()
