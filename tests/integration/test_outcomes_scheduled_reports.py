"""A scheduled monthly report, run by a real Celery worker: one report in the archive
and exactly one email with a link, however many times the task runs for the period.

Needs PostgreSQL and Redis (see conftest.py).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from outcomes.models import ReportFile
from outcomes.services.archive import subscription_create
from outcomes.tasks import scheduled_report_task
from socialrx.core.models import Notification, Organisation
from tests.helpers.mail import sent_mail, wait_until_sent
from tests.outcomes.world import build_world

pytestmark = pytest.mark.integration


def test_scheduled_monthly_report_is_archived_and_emailed_once(
    celery_processes, tmp_path: Path, commissioner, icb, pcn, practice, link_worker_service,
    link_worker_team, link_worker,
):  # fmt: skip
    # Given last month's referrals in the commissioner's area and a monthly subscription
    Organisation.objects.filter(pk__in=[pcn.pk, link_worker_service.pk]).update(parent=icb)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    build_world(
        people=10, practice=practice, service=link_worker_service, team=link_worker_team,
        link_worker=link_worker, start=last_month,
    )  # fmt: skip
    subscription = subscription_create(
        user=commissioner, report="activity", frequency="monthly", filters={}
    )
    worker = celery_processes("worker")

    # When beat's task runs on the worker, and then runs again for the same period
    first = scheduled_report_task.delay(subscription.pk)
    worker.wait_for_log(f"{first.id}] succeeded")
    notification = Notification.objects.get(kind="outcomes_scheduled_report")
    wait_until_sent(notification)
    second = scheduled_report_task.delay(subscription.pk)
    worker.wait_for_log(f"{second.id}] succeeded")

    # Then one report is archived and exactly one email sent, with a link and no figures
    assert re.search(rf"{second.id}\] succeeded in [0-9.e-]+s: False", worker.log())
    report = ReportFile.objects.get(subscription=subscription)
    assert report.period_start == last_month
    assert bytes(report.content)
    assert Notification.objects.filter(kind="outcomes_scheduled_report").count() == 1
    mail = sent_mail(tmp_path)
    assert re.findall(r"^To: (.+)$", mail, flags=re.MULTILINE) == [commissioner.email]
    assert f"/outcomes/reports/files/{report.pk}/" in mail
