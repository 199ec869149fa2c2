import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from linkworkers import codes
from linkworkers.models import Case
from referrals import codes as referral_codes
from tests.linkworkers.factories import PlanGoalFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _url(name, case, *extra):
    return reverse(f"linkworkers:{name}", args=[case.pk, *extra])


def test_a_link_worker_works_a_case_through_the_api(api, link_worker, link_worker_team):
    referral = ReferralFactory(
        status=referral_codes.Status.ASSIGNED,
        assigned_team=link_worker_team,
        source=referral_codes.ReferralSource.SELF,
    )
    api.force_authenticate(link_worker)

    opened = api.post(reverse("linkworkers:api_cases"), {"referral": referral.pk}, format="json")
    assert opened.status_code == 201, opened.data
    case = Case.objects.get(pk=opened.data["id"])

    contact = api.post(
        _url("api_contacts", case),
        {
            "occurred_at": timezone.now().isoformat(),
            "mode": "phone",
            "successful": True,
            "duration_minutes": 25,
            "note": "Spoke about the garden",
        },
        format="json",
    )
    assert contact.status_code == 201, contact.data

    assessment = api.post(
        _url("api_assessments", case),
        {
            "assessed_on": timezone.localdate().isoformat(),
            "what_matters": "My garden",
            "domains": [
                {"domain": d, "need_level": 1, "strengths": "Green fingers"}
                for d in codes.LifeDomain.values
            ],
        },
        format="json",
    )
    assert assessment.status_code == 201, assessment.data
    assert len(assessment.data["domains"]) == len(codes.LifeDomain.values)

    review_on = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    goal = api.post(
        _url("api_goals", case),
        {
            "description": "Garden weekly",
            "review_on": review_on,
            "steps": [{"description": "Visit the community garden", "owner": "person"}],
        },
        format="json",
    )
    assert goal.status_code == 201, goal.data
    reviewed = api.post(
        _url("api_goal_review", case, goal.data["id"]), {"status": "achieved"}, format="json"
    )
    assert reviewed.data["status"] == "achieved"
    assert api.get(_url("api_plan", case)).data[0]["steps"][0]["owner"] == "person"

    closed = api.post(_url("api_case_close", case), {"outcome": "supported"}, format="json")
    assert closed.data["status"] == "closed"
    listing = api.get(reverse("linkworkers:api_cases"))
    assert [c["id"] for c in listing.data["results"]] == [case.pk]


def test_errors_have_the_one_shape(api, case, link_worker):
    api.force_authenticate(link_worker)
    response = api.post(_url("api_contacts", case), {"mode": "carrier pigeon"}, format="json")
    assert response.status_code == 400
    assert response.data["message"] == "The request was not valid."
    assert "mode" in response.data["extra"]["fields"]
    response = api.post(
        _url("api_assessments", case),
        {
            "assessed_on": timezone.localdate().isoformat(),
            "domains": [],
        },
        format="json",
    )
    assert response.status_code == 400  # the service refuses: no conversation yet


API_CASE_URLS = [
    ("api_case", "get"),
    ("api_contacts", "get"),
    ("api_contacts", "post"),
    ("api_assessments", "get"),
    ("api_assessments", "post"),
    ("api_plan", "get"),
    ("api_goals", "post"),
    ("api_case_close", "post"),
]


@pytest.mark.parametrize(("name", "method"), API_CASE_URLS)
def test_another_team_gets_404_and_other_roles_403(
    api, case, other_team_worker, referrer, name, method
):
    api.force_authenticate(other_team_worker)
    assert getattr(api, method)(_url(name, case), {}, format="json").status_code == 404
    api.force_authenticate(referrer)
    assert getattr(api, method)(_url(name, case), {}, format="json").status_code == 403


def test_goal_review_of_another_team_is_404(api, case, other_team_worker):
    goal = PlanGoalFactory(plan__case=case)
    api.force_authenticate(other_team_worker)
    response = api.post(_url("api_goal_review", case, goal.pk), {"status": "achieved"})
    assert response.status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(client, link_worker):
    client.force_login(link_worker)
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{id}/contacts/",
        "/api/v1/cases/{id}/assessments/",
        "/api/v1/cases/{id}/plan/goals/",
    ):
        assert path in schema["paths"], path
