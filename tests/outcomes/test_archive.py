"""Large reports in the worker, the report archive and scheduled subscriptions."""

import datetime
import json
from datetime import date as d

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from outcomes.models import ReportFile, ReportSubscription, RunStatus
from outcomes.services.archive import (
    previous_period,
    scheduled_report_generate,
    subscription_create,
)
from socialrx.core.models import Notification
from tests.outcomes.formats import xlsx_cells

pytestmark = pytest.mark.django_db

LONG = {"start": "2024-01-01", "end": "2025-06-30", "period": "quarter"}


def test_a_long_range_runs_in_the_worker_with_progress(
    client, commissioner, make_world, django_capture_on_commit_callbacks, other_org_user
):
    make_world(12)
    client.force_login(commissioner)
    # Given a download over more than OUTCOMES_LARGE_REPORT_DAYS
    response = client.get(reverse("outcomes:report_download", args=["activity", "xlsx"]), LONG)
    assert response.status_code == 302
    start_url = response.url
    assert client.get(start_url).status_code == 200
    # When the commissioner asks for it to be generated (the task runs eagerly here)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start_url)
    run = ReportFile.objects.get()
    assert response.url == reverse("outcomes:report_file", args=[run.pk])
    # Then the progress page offers the download, which streams a workbook
    assert run.status == RunStatus.DONE
    page = client.get(response.url, headers={"HX-Request": "true"})
    assert b"Your report is ready" in page.content
    download = client.get(reverse("outcomes:report_file_download", args=[run.pk]))
    assert download.streaming
    assert "Notes" in xlsx_cells(b"".join(download.streaming_content))
    # And nobody else can open it
    client.force_login(other_org_user)
    assert client.get(reverse("outcomes:report_file", args=[run.pk])).status_code in (403, 404)


@pytest.mark.parametrize(
    ("frequency", "today", "period"),
    [
        ("monthly", d(2025, 3, 2), (d(2025, 2, 1), d(2025, 2, 28))),
        ("monthly", d(2025, 1, 2), (d(2024, 12, 1), d(2024, 12, 31))),
        ("quarterly", d(2025, 4, 2), (d(2025, 1, 1), d(2025, 3, 31))),
        ("quarterly", d(2025, 2, 2), (d(2024, 10, 1), d(2024, 12, 31))),
    ],
)  # fmt: skip
def test_previous_period(frequency, today, period):
    assert previous_period(frequency, today) == period


def test_subscription_has_its_own_beat_entry(commissioner):
    subscription = subscription_create(
        user=commissioner, report="activity", frequency="quarterly", filters={}
    )
    task = PeriodicTask.objects.get(pk=subscription.periodic_task_id)
    assert task.task == "outcomes.tasks.scheduled_report_task"
    assert json.loads(task.args) == [subscription.pk]
    assert task.crontab.month_of_year == "1,4,7,10"


def test_scheduled_report_twice_makes_one_file_and_one_email(
    commissioner, make_world, django_capture_on_commit_callbacks, mailoutbox
):
    world = make_world(20)
    subscription = subscription_create(
        user=commissioner, report="activity", frequency="monthly", filters={}
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduled_report_generate(
            subscription_id=subscription.pk, today=datetime.date(2025, 2, 2)
        )
        second = scheduled_report_generate(
            subscription_id=subscription.pk, today=datetime.date(2025, 2, 20)
        )
    assert (first, second) == (True, False)
    report = ReportFile.objects.get(subscription=subscription)
    assert report.period_start == datetime.date(2025, 1, 1)
    assert Notification.objects.filter(kind="outcomes_scheduled_report").count() == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert reverse("outcomes:report_file", args=[report.pk]) in body
    assert "Referrals" not in body  # a link, no figures
    assert len(world.referrals) == 20


def test_subscribe_through_the_archive_page(client, commissioner):
    client.force_login(commissioner)
    assert client.get(reverse("outcomes:archive")).status_code == 200
    response = client.post(
        reverse("outcomes:subscribe"), {"report": "wellbeing", "frequency": "monthly", "fmt": "pdf"}
    )
    assert response.status_code == 302
    assert ReportSubscription.objects.get(user=commissioner).fmt == "pdf"
