"""The daily link worker digest, run by a real Celery worker, is sent once a day.

Needs PostgreSQL and Redis (see conftest.py); ``.ci/run`` provides both.
"""

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from linkworkers.models import DigestSent
from linkworkers.tasks import linkworker_digests_send_task
from outcomes import codes as outcome_codes
from socialrx.core.models import Notification, OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.helpers.mail import sent_mail, wait_until_sent
from tests.linkworkers.factories import CaseFactory
from tests.outcomes.factories import record_measure
from tests.outcomes.world import ensure_builtin_measures

pytestmark = pytest.mark.integration


def test_digest_is_sent_once_per_link_worker_by_the_real_worker(celery_processes, tmp_path: Path):
    # Given two link workers of a team, each with a first contact overdue
    team = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_TEAM)
    workers = [user_with_role(Role.LINK_WORKER, team) for _ in range(2)]
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    cases = [CaseFactory(team=team, link_worker=w, first_contact_due_on=overdue) for w in workers]
    # ... and the first has a loneliness baseline whose first follow-up has passed (the
    # section outcomes adds through the core digest hook)
    ensure_builtin_measures()
    first_follow_up = min(settings.OUTCOMES_FOLLOW_UP_WEEKS)
    record_measure(
        cases[0],
        outcome_codes.UCLA3,
        [1, 2, 3],
        on=timezone.localdate() - datetime.timedelta(weeks=first_follow_up, days=1),
    )
    worker = celery_processes("worker")

    # When beat's task runs on the worker, and then runs again the same day
    first = linkworker_digests_send_task.delay()
    worker.wait_for_log(f"{first.id}] succeeded")
    notifications = list(Notification.objects.filter(kind="linkworker_digest"))
    for notification in notifications:
        wait_until_sent(notification)
    second = linkworker_digests_send_task.delay()
    worker.wait_for_log(f"{second.id}] succeeded")

    # Then each worker got one email, with counts and no personal data; the rerun sent none
    assert re.search(rf"{second.id}\] succeeded in [0-9.e-]+s: 0\b", worker.log())
    assert {n.recipient for n in notifications} == set(workers)
    assert DigestSent.objects.count() == 2
    mail = sent_mail(tmp_path)
    assert Counter(re.findall(r"^To: (.+)$", mail, flags=re.MULTILINE)) == {
        w.email: 1 for w in workers
    }
    assert mail.count("First contacts overdue: 1") == 2
    assert mail.count("Wellbeing measures due for follow-up: 1") == 1
    for case in cases:
        assert case.referral.person.family_name not in mail
