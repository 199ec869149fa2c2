"""The weekly listing reminder, run by a real worker: one email per VCSE editor, however
many of their listings are due, and none more when the task runs again."""

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from directory.tasks import listing_reminders_send_task
from socialrx.core.models import Notification, NotificationStatus, Role
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import MembershipFactory
from tests.helpers.mail import SENT_TIMEOUT_SECONDS, sent_mail

pytestmark = pytest.mark.integration

TASK_DONE = "Task directory.tasks.listing_reminders_send_task[{id}] succeeded"


def run_reminders(worker) -> None:
    result = listing_reminders_send_task.delay()
    worker.wait_for_log(TASK_DONE.format(id=result.id), timeout=SENT_TIMEOUT_SECONDS)


def wait_until_all_sent(expected: int) -> list[Notification]:
    deadline = time.monotonic() + SENT_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        sent = list(Notification.objects.filter(status=NotificationStatus.SENT))
        if len(sent) >= expected:
            return sent
        time.sleep(0.2)
    pytest.fail(f"expected {expected} sent notifications, found {len(sent)}")


def test_reminders_from_the_worker_one_email_per_editor_once(
    celery_processes: Callable[..., object], vcse_editor, vcse_org, tmp_path: Path
):
    # Given two editors of one organisation with two listings due for a check
    listing_org = DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)
    second_editor = MembershipFactory(organisation=vcse_org, role=Role.VCSE_EDITOR).user
    long_ago = timezone.localdate() - timedelta(days=85)
    service_with(organization=listing_org, name="Tuesday lunch club", assured_date=long_ago)
    service_with(organization=listing_org, name="Garden volunteering", assured_date=long_ago)
    worker = celery_processes("worker")

    # When the weekly task runs on the worker, and then runs again
    run_reminders(worker)
    sent = wait_until_all_sent(2)
    run_reminders(worker)

    # Then each editor got one email naming both listings, and the rerun sent nothing
    assert sorted(n.to_email for n in sent) == sorted([vcse_editor.email, second_editor.email])
    assert Notification.objects.count() == 2
    mail = sent_mail(tmp_path)
    assert mail.count("Subject: Please check 2 directory listings") == 2
    assert mail.count("Tuesday lunch club") == 2
    assert mail.count("Garden volunteering") == 2
