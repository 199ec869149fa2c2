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
from tests.factories import OrganisationFactory
from tests.outcomes.formats import csv_cells, xlsx_cells
from tests.outcomes.world import build_world

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


def test_subscription_filters_are_offered_from_the_area_and_applied_when_it_runs(
    client, commissioner, make_world, pcn, practice, link_worker_service, link_worker_team,
    link_worker, area, django_capture_on_commit_callbacks,
):  # fmt: skip
    # Given referrals in January 2025 from the area's practice, and from another PCN's
    world = make_world(12, start=datetime.date(2025, 1, 6))
    other = OrganisationFactory(org_type="pcn", parent=area, name="Other Villages PCN")
    build_world(
        people=9, practice=OrganisationFactory(org_type="gp_practice", parent=other),
        service=link_worker_service, team=link_worker_team, link_worker=link_worker,
        start=datetime.date(2025, 1, 6),
    )  # fmt: skip
    client.force_login(commissioner)

    # When the commissioner subscribes to activity for one PCN and practice
    body = client.get(reverse("outcomes:archive")).content.decode()
    for org in (pcn, practice, link_worker_service):
        assert f'value="{org.pk}"' in body  # offered: in the commissioner's area
    response = client.post(
        reverse("outcomes:subscribe"),
        {"report": "activity", "frequency": "monthly", "fmt": "csv", "pcn": pcn.pk,
         "practice": practice.pk},
    )  # fmt: skip
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=commissioner)
    assert subscription.filters == {"pcn": pcn.pk, "practice": practice.pk}
    page = client.get(reverse("outcomes:archive")).content.decode()
    assert f"PCN: {pcn.name}; Practice: {practice.name}" in page

    # And the schedule runs for January
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_report_generate(
            subscription_id=subscription.pk, today=datetime.date(2025, 2, 2)
        )

    # Then the archived report was built with the filters, and its notes say so
    run = ReportFile.objects.get(subscription=subscription)
    assert (run.params["pcn"], run.params["practice"]) == (pcn.pk, practice.pk)
    rows = csv_cells(bytes(run.content))
    assert ["Note", f"PCN: {pcn.name}"] in rows
    assert ["Note", f"Practice: {practice.name}"] in rows
    header = rows.index(["Month", "PCN", "Referrals"])
    assert rows[header + 1] == ["January 2025", pcn.name, "10"]  # 12 referrals, rounded
    assert len(world.referrals) == 12
    assert not any(other.name in cell for row in rows for cell in row)  # filtered out


def test_a_filter_outside_the_area_is_refused(client, commissioner):
    elsewhere = OrganisationFactory(org_type="pcn")
    client.force_login(commissioner)

    response = client.post(
        reverse("outcomes:subscribe"),
        {"report": "activity", "frequency": "monthly", "fmt": "csv", "pcn": elsewhere.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ReportSubscription.objects.exists()


def test_subscriptions_take_only_known_filters_as_ids(commissioner):
    with pytest.raises(ValueError, match="filters"):
        subscription_create(
            user=commissioner, report="activity", frequency="monthly", filters={"name": "x"}
        )
