import datetime

import pytest
from django.utils import timezone

from linkworkers.services.digest import digests_send
from linkworkers.tasks import linkworker_digests_send_task
from socialrx.core import digest as core_digest
from socialrx.core.digest import DigestLine, register_digest_section
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


def test_connections_the_service_did_not_answer_are_counted(case, link_worker):
    # Given a connection the clock moved to "no response" (connections.services.lifecycle)
    ConnectionFactory(case=case, status="no_response", consent_to_share=True)

    assert digests_send() == 1

    [email] = Notification.objects.filter(kind="linkworker_digest", recipient=link_worker)
    assert "Connections the service did not answer in time: 1" in email.body_text


def test_lines_other_apps_register_are_included_with_absolute_links(
    case, link_worker, monkeypatch, settings
):
    # Given only another app's line has anything to report (linkworkers imports no later
    # app: the line arrives through the core hook)
    settings.SITE_URL = "https://socialrx.example/"
    monkeypatch.setattr(core_digest, "_sections", {})
    calls = []

    def section(user, today):
        calls.append((user, today))
        return [DigestLine("Things from another app", 4, "/elsewhere/list/")]

    register_digest_section("another", section)

    # When the digest runs twice the same day
    assert digests_send() == 1
    assert digests_send() == 0

    # Then one email holds the line with its link; the section was asked about this worker
    [email] = Notification.objects.filter(kind="linkworker_digest")
    assert email.recipient == link_worker
    assert (
        "Things from another app: 4 (https://socialrx.example/elsewhere/list/)" in email.body_text
    )
    assert calls[0] == (link_worker, timezone.localdate())
    # The subject counts everything, not only first contacts (the case has none overdue).
    assert email.subject == "Your caseload today: 4 things to do"


def test_a_registered_section_with_nothing_due_sends_no_email(case, link_worker, monkeypatch):
    monkeypatch.setattr(core_digest, "_sections", {})
    register_digest_section("quiet", lambda user, today: [DigestLine("Nothing", 0)])

    assert digests_send() == 0
