import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import PlanGoal
from linkworkers.services.plans import StepInput, plan_goal_add, plan_goal_mark
from tests.linkworkers.factories import CaseFactory, PlanGoalFactory

pytestmark = pytest.mark.django_db

IN_A_MONTH = datetime.timedelta(days=28)


def test_a_goal_starts_the_plan_with_steps_and_who_does_what(case, link_worker):
    goal = plan_goal_add(
        case=case,
        actor=link_worker,
        description="Join a walking group",
        domain=codes.LifeDomain.PHYSICAL_HEALTH,
        review_on=timezone.localdate() + IN_A_MONTH,
        steps=[
            StepInput("Find a group nearby", codes.StepOwner.LINK_WORKER),
            StepInput("Go along with my daughter", codes.StepOwner.FAMILY_OR_CARER, "Sam"),
        ],
    )
    assert goal.plan.case == case
    assert [(s.owner, s.owner_name) for s in goal.steps.all()] == [
        ("link_worker", ""),
        ("family_or_carer", "Sam"),
    ]
    second = plan_goal_add(
        case=case,
        actor=link_worker,
        description="Sort out my pension credit",
        review_on=timezone.localdate() + IN_A_MONTH,
        steps=[StepInput("Book Citizens Advice", codes.StepOwner.PERSON)],
    )
    assert second.plan == goal.plan


def test_a_goal_needs_a_step_and_a_future_review(case, link_worker):
    with pytest.raises(ValidationError):
        plan_goal_add(
            case=case,
            actor=link_worker,
            description="x",
            review_on=timezone.localdate() + IN_A_MONTH,
            steps=[],
        )
    with pytest.raises(ValidationError):
        plan_goal_add(
            case=case,
            actor=link_worker,
            description="x",
            review_on=timezone.localdate() - datetime.timedelta(days=1),
            steps=[StepInput("y", codes.StepOwner.PERSON)],
        )


@pytest.mark.parametrize("status", ["achieved", "partly_achieved", "not_achieved"])
def test_goals_are_marked_at_review(case, link_worker, status):
    goal = PlanGoalFactory(plan__case=case)
    plan_goal_mark(goal=goal, actor=link_worker, status=status, note="Goes every Tuesday")
    goal.refresh_from_db()
    assert goal.status == status
    assert goal.outcome_recorded_at is not None
    with pytest.raises(ValidationError):
        plan_goal_mark(goal=goal, actor=link_worker, status="open")


def test_link_worker_builds_and_reviews_the_plan_in_the_browser(client, case, link_worker):
    client.force_login(link_worker)
    review = timezone.localdate() + IN_A_MONTH
    response = client.post(
        reverse("linkworkers:goal_add", args=[case.pk]),
        {
            "description": "Get out twice a week",
            "domain": "social_connection",
            "review_on_day": review.day,
            "review_on_month": review.month,
            "review_on_year": review.year,
            "step_1": "Try the befriending café",
            "step_1_owner": "person",
        },
    )
    assert response.status_code == 302
    goal = PlanGoal.objects.get(plan__case=case)

    plan_page = client.get(reverse("linkworkers:plan", args=[case.pk])).content.decode()
    assert "Try the befriending café: The person" in plan_page

    response = client.post(
        reverse("linkworkers:goal_outcome", args=[case.pk, goal.pk]), {"status": "partly_achieved"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "partly_achieved"


def test_a_step_without_who_is_an_error(client, case, link_worker):
    client.force_login(link_worker)
    response = client.post(
        reverse("linkworkers:goal_add", args=[case.pk]),
        {
            "description": "x",
            "step_1": "Do it",
            "review_on_day": "1",
            "review_on_month": "1",
            "review_on_year": "2099",
        },
    )
    assert response.status_code == 400
    assert "Select who will do step 1" in response.content.decode()


def test_a_goal_of_another_case_is_404(client, case, link_worker):
    elsewhere = PlanGoalFactory(plan__case=CaseFactory(team=case.team, link_worker=link_worker))
    client.force_login(link_worker)
    response = client.get(reverse("linkworkers:goal_outcome", args=[case.pk, elsewhere.pk]))
    assert response.status_code == 404
