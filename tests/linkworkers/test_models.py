import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Case
from tests.linkworkers.factories import (
    AssessmentDomainFactory,
    CaseFactory,
    ConnectionFactory,
    ContactFactory,
    PlanGoalFactory,
    UnmetNeedFactory,
)

pytestmark = pytest.mark.django_db


def _violates(factory, **kwargs) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_a_closed_case_has_an_outcome_and_a_date():
    _violates(CaseFactory, status=codes.CaseStatus.CLOSED)
    _violates(CaseFactory, closure_outcome="supported")
    CaseFactory(
        status=codes.CaseStatus.CLOSED, closure_outcome="supported", closed_at=timezone.now()
    )


def test_a_case_awaiting_first_contact_has_no_first_contact_time():
    _violates(CaseFactory, first_contact_at=timezone.now())


def test_one_case_per_referral():
    case = CaseFactory()
    _violates(CaseFactory, referral=case.referral)


def test_contact_duration_is_sensible():
    _violates(ContactFactory, duration_minutes=0)
    _violates(ContactFactory, duration_minutes=24 * 60)
    assert ContactFactory(duration_minutes=45).duration_minutes == 45


def test_an_assessment_rates_each_domain_once_on_a_four_point_scale():
    row = AssessmentDomainFactory()
    _violates(AssessmentDomainFactory, assessment=row.assessment, domain=row.domain)
    _violates(AssessmentDomainFactory, need_level=4)


def test_a_marked_goal_records_when():
    _violates(PlanGoalFactory, status=codes.GoalStatus.ACHIEVED)
    PlanGoalFactory(status=codes.GoalStatus.ACHIEVED, outcome_recorded_at=timezone.now())


def test_one_live_connection_per_case_and_service_but_history_may_repeat():
    first = ConnectionFactory()
    _violates(ConnectionFactory, case=first.case, service=first.service)
    ConnectionFactory(
        case=first.case,
        service=first.service,
        status=codes.ConnectionStatus.DECLINED_BY_PERSON,
        consent_to_share=True,
    )


def test_connection_decline_reason_only_when_declined_and_referral_needs_consent():
    _violates(ConnectionFactory, decline_reason="no_capacity")
    _violates(ConnectionFactory, status=codes.ConnectionStatus.REFERRED)
    ConnectionFactory(
        status=codes.ConnectionStatus.SERVICE_FULL,
        decline_reason="no_capacity",
        consent_to_share=True,
    )


def test_unmet_need_holds_a_postcode_district_not_a_postcode():
    _violates(UnmetNeedFactory, postcode_district="NN1 1AA"[:4])
    _violates(UnmetNeedFactory, postcode_district="nn1")
    assert UnmetNeedFactory(postcode_district="SW1A").postcode_district == "SW1A"


def test_next_actions_are_annotated_in_the_database():
    today = timezone.localdate()
    case = CaseFactory()
    ContactFactory.create_batch(2, case=case, successful=False)
    ContactFactory(case=case, successful=True)
    goal = PlanGoalFactory(plan__case=case, review_on=today + datetime.timedelta(days=3))
    PlanGoalFactory(
        plan=goal.plan,
        review_on=today + datetime.timedelta(days=1),
        status="achieved",
        outcome_recorded_at=timezone.now(),
    )

    annotated = Case.objects.with_next_actions().get(pk=case.pk)

    assert annotated.attempts == 2
    assert annotated.review_due_on == goal.review_on


def test_overdue_means_late_first_contact_or_a_review_past_its_date():
    today = timezone.localdate()
    late = CaseFactory(first_contact_due_on=today - datetime.timedelta(days=1))
    CaseFactory(first_contact_due_on=today + datetime.timedelta(days=1))
    review = PlanGoalFactory(
        plan__case__status=codes.CaseStatus.ACTIVE,
        plan__case__first_contact_at=timezone.now(),
        review_on=today - datetime.timedelta(days=2),
    )

    assert set(Case.objects.overdue()) == {late, review.plan.case}


def test_days_open_counts_calendar_days():
    case = CaseFactory(opened_at=timezone.now() - datetime.timedelta(days=10))
    assert case.days_open() == 10
