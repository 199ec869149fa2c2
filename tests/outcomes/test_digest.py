"""Follow-ups due appear in the link worker's daily digest, as a count only."""

import datetime

import pytest
from django.utils import timezone

from linkworkers.models import Case
from linkworkers.services.digest import digests_send
from outcomes import codes
from outcomes.services.measures import follow_ups_due_count
from socialrx.core.models import Notification
from tests.linkworkers.factories import CaseFactory
from tests.outcomes.factories import record_measure

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
UCLA = [1, 2, 3]  # three items, 1-3 each


def weeks_ago(weeks: int, days: int = 0) -> datetime.date:
    return TODAY - datetime.timedelta(weeks=weeks, days=days)


@pytest.fixture(autouse=True)
def _weeks(settings):
    settings.OUTCOMES_FOLLOW_UP_WEEKS = [12, 26]


def test_each_passed_follow_up_not_yet_recorded_is_due(case, link_worker, link_worker_team):
    # Given baselines at several ages on the worker's open cases
    record_measure(case, codes.UCLA3, UCLA, on=weeks_ago(12))  # 12 weeks today: due
    record_measure(case, codes.ONS_LONELINESS, [1], on=weeks_ago(11, 6))  # tomorrow
    older = CaseFactory(team=link_worker_team, link_worker=link_worker)
    record_measure(older, codes.UCLA3, UCLA, on=weeks_ago(30))  # 12 and 26 both passed
    done = CaseFactory(team=link_worker_team, link_worker=link_worker)
    record_measure(done, codes.UCLA3, UCLA, on=weeks_ago(13))
    record_measure(done, codes.UCLA3, UCLA, on=weeks_ago(1))  # its 12-week follow-up
    # ... and ones that do not count: a closed case, another worker's case
    closed = CaseFactory(team=link_worker_team, link_worker=link_worker)
    record_measure(closed, codes.UCLA3, UCLA, on=weeks_ago(20))
    Case.objects.filter(pk=closed.pk).update(
        status="closed", closure_outcome="supported", closed_at=timezone.now()
    )
    theirs = CaseFactory(team=link_worker_team)
    record_measure(theirs, codes.UCLA3, UCLA, on=weeks_ago(20))

    # Then: case at 12 weeks (1) + the older case's two follow-ups (2)
    assert follow_ups_due_count(link_worker=link_worker, today=TODAY) == 3


def test_no_configured_follow_ups_means_none_due(case, link_worker, settings):
    settings.OUTCOMES_FOLLOW_UP_WEEKS = []
    record_measure(case, codes.UCLA3, UCLA, on=weeks_ago(40))

    assert follow_ups_due_count(link_worker=link_worker, today=TODAY) == 0


def test_counting_takes_one_query_whatever_the_caseload(
    case, link_worker, link_worker_team, django_assert_num_queries
):
    for _ in range(4):
        other = CaseFactory(team=link_worker_team, link_worker=link_worker)
        record_measure(other, codes.UCLA3, UCLA, on=weeks_ago(27))
    # 1. the baselines of the worker's open cases, with a filtered count per configured
    #    week of those whose follow-up has passed and has no record
    with django_assert_num_queries(1):
        assert follow_ups_due_count(link_worker=link_worker, today=TODAY) == 8


def test_the_digest_counts_follow_ups_due_and_names_nobody(
    case, link_worker, mailoutbox, django_capture_on_commit_callbacks
):
    # Given only a follow-up is due (nothing else on the caseload needs doing)
    today = timezone.localdate()
    record_measure(case, codes.UCLA3, UCLA, on=today - datetime.timedelta(weeks=13))

    # When the digest runs twice the same day
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
        assert digests_send() == 0

    # Then one email with the count, and no name or reference
    [mail] = mailoutbox
    assert mail.to == [link_worker.email]
    assert "Wellbeing measures due for follow-up: 1" in mail.body
    person = case.referral.person
    for private in (person.given_name, person.family_name, case.referral.reference):
        assert private not in mail.body
        assert private not in mail.subject
    assert Notification.objects.filter(kind="linkworker_digest").count() == 1
