"""The two-working-day triage alert, run by a real Celery worker, is sent exactly once.

Needs PostgreSQL and Redis (see conftest.py); ``.ci/run`` provides both.
"""

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from referrals.models import AlertReason, Referral, ReferralAlert
from referrals.tasks import referral_alerts_untriaged_task
from socialrx.core.models import Notification, Role
from tests.factories import user_with_role
from tests.helpers.mail import sent_mail, wait_until_sent
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.integration

# Ten calendar days always hold more than two working days, whatever today is.
OVERDUE = datetime.timedelta(days=10)


def test_triage_alert_is_sent_once_per_lead_by_the_real_worker(
    celery_processes, tmp_path: Path, referrer, triage_lead, link_worker_service
):
    # Given a service with two triage leads and two referrals waiting too long for triage
    colleague = user_with_role(Role.TRIAGE_LEAD, link_worker_service)
    referrals = ReferralFactory.create_batch(
        2, referrer=referrer, triage_service=link_worker_service
    )
    Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(
        created_at=timezone.now() - OVERDUE
    )
    worker = celery_processes("worker")

    # When beat's task runs on the worker, and then runs again
    first = referral_alerts_untriaged_task.delay()
    worker.wait_for_log(f"{first.id}] succeeded")
    notifications = list(Notification.objects.filter(kind="referral_alert_not_triaged"))
    for notification in notifications:
        wait_until_sent(notification)
    second = referral_alerts_untriaged_task.delay()
    worker.wait_for_log(f"{second.id}] succeeded")

    # Then each lead got one email listing both referrals, and the second run sent none
    assert re.search(rf"{second.id}\] succeeded in [0-9.e-]+s: 0\b", worker.log())
    assert {n.recipient for n in notifications} == {triage_lead, colleague}
    assert Notification.objects.filter(kind="referral_alert_not_triaged").count() == 2
    assert ReferralAlert.objects.filter(reason=AlertReason.NOT_TRIAGED).count() == 2
    mail = sent_mail(tmp_path)
    recipients = Counter(re.findall(r"^To: (.+)$", mail, flags=re.MULTILINE))
    assert recipients == {triage_lead.email: 1, colleague.email: 1}
    for referral in referrals:
        assert mail.count(referral.reference) == 2, "listed once in each lead's email"
