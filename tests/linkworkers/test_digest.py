import datetime

import pytest
from django.utils import timezone

from linkworkers.services.digest import digests_send
from linkworkers.tasks import linkworker_digests_send_task
from socialrx.core.models import Notification, Role
from tests.factories import user_with_role
from tests.linkworkers.factories import CaseFactory, ConnectionFactory, PlanGoalFactory

pytestmark = pytest.mark.django_db


def test_one_digest_a_day_with_counts_and_no_personal_data(case, link_worker, link_worker_team):
    # Given one overdue first contact, a review due in 3 days and a connection quiet 20 days
    today = timezone.localdate()
    case.first_contact_due_on = today - datetime.timedelta(days=1)
    case.save()
    PlanGoalFactory(plan__case=case, review_on=today + datetime.timedelta(days=3))
    ConnectionFactory(
        case=case,
        status="referred",
        consent_to_share=True,
        status_changed_at=timezone.now() - datetime.timedelta(days=20),
    )
    idle = user_with_role(Role.LINK_WORKER, link_worker_team)  # nothing to do: no email

    # When the task runs twice
    assert linkworker_digests_send_task.delay().get() == 1
    assert digests_send() == 0

    # Then one email, with counts and a link, and no name or NHS number
    [email] = Notification.objects.filter(kind="linkworker_digest")
    assert email.recipient == link_worker
    # (The body is still stored: sending waits for a commit these tests never make.)
    assert "First contacts overdue: 1" in email.body_text
    assert "Support plan reviews due this week: 1" in email.body_text
    assert "Connections with no update for 14 days: 1" in email.body_text
    assert not Notification.objects.filter(recipient=idle).exists()


def test_the_digest_body_holds_counts_only(
    case, link_worker, mailoutbox, django_capture_on_commit_callbacks
):
    case.first_contact_due_on = timezone.localdate() - datetime.timedelta(days=2)
    case.save()
    CaseFactory(
        team=case.team,
        link_worker=link_worker,
        first_contact_due_on=timezone.localdate() - datetime.timedelta(days=2),
    )

    with django_capture_on_commit_callbacks(execute=True):
        digests_send()

    [mail] = mailoutbox
    assert "First contacts overdue: 2" in mail.body
    assert "/caseload/" in mail.body
    person = case.referral.person
    for private in (person.given_name, person.family_name, case.referral.reference):
        assert private not in mail.body
        assert private not in mail.subject
