import copy
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import Referral
from socialrx.core.models import AuditEvent
from tests.referrals.factories import ReferralFactory

URL = "/api/v1/referrals/"
BODY = {
    "person": {
        "given_name": "Ada",
        "family_name": "Lane",
        "date_of_birth": "1948-03-02",
        "nhs_number": "999 000 0018",
        "registered_practice_ods_code": "Y99001",
    },
    "source": "gp",
    "reasons": ["loneliness"],
    "what_matters": "Company.",
    "consent": {
        "to_referral": True,
        "to_share": True,
        "recorded_on": "2026-01-05",
        "recorded_by": "Dr Test",
    },
}


def _client(user) -> APIClient:
    client = APIClient()
    out = io.StringIO()
    call_command("issue_api_token", user.email, stdout=out)
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    return client


def _post(client, body, key="key-1"):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, body, format="json", headers=headers)


@pytest.mark.django_db
def test_post_creates_a_referral_routed_by_the_practice_ods_code(referrer, route):
    response = _post(_client(referrer), BODY)
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert response.json()["id"] == str(referral.uuid)
    assert response.json()["fhir_task_status"] == "received"
    assert referral.person.registered_practice == route.practice
    assert referral.triage_service == route.service


@pytest.mark.django_db
def test_same_key_and_body_returns_the_same_referral(referrer, route):
    client = _client(referrer)
    first, again = _post(client, BODY), _post(client, BODY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_refused_with_a_message(referrer, route):
    client = _client(referrer)
    _post(client, BODY)
    changed = copy.deepcopy(BODY)
    changed["what_matters"] = "Something else"
    response = _post(client, changed)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["message"]
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_missing_idempotency_key_is_a_400(referrer, route):
    response = _post(_client(referrer), BODY, key="")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("person", "nhs_number"), "943 476 5918", "nhs_number"),
        (("person", "date_of_birth"), "2999-01-01", "date_of_birth"),
        (("consent", "to_share"), False, "consent"),
        (("person", "registered_practice_ods_code"), "ZZZ999", "registered_practice_ods_code"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(referrer, route, path, value, field):
    body = copy.deepcopy(BODY)
    body[path[0]][path[1]] = value
    response = _post(_client(referrer), body)
    assert response.status_code == 400
    assert field in str(response.json()["extra"])
    assert Referral.objects.count() == 0


@pytest.mark.django_db
def test_unauthenticated_is_401_and_other_roles_403(commissioner, route):
    assert APIClient().post(URL, BODY, format="json").status_code == 401
    assert _post(_client(commissioner), BODY).status_code == 403
    assert _client(commissioner).get(URL).status_code == 403


@pytest.mark.django_db
def test_list_and_detail_are_scoped_and_detail_is_audited(referrer, other_org_user, route):
    referral = ReferralFactory(referrer=referrer, triage_service=route.service)
    detail = reverse("referrals:api_detail", args=[referral.uuid])
    mine = _client(referrer)
    assert [r["id"] for r in mine.get(URL).json()["results"]] == [str(referral.uuid)]
    assert mine.get(detail).json()["events"] == []
    assert AuditEvent.objects.filter(action="view", object_id=str(referral.pk)).exists()
    outsider = _client(other_org_user)
    assert outsider.get(URL).json()["results"] == []
    assert outsider.get(detail).status_code == 404
    assert outsider.get(detail).json() == {"message": "Not found.", "extra": {}}


@pytest.mark.django_db
def test_issue_api_token_prints_a_new_working_token_and_rotate_ends_the_others(referrer, capsys):
    def me(secret):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client.get("/api/v1/me/").status_code

    call_command("issue_api_token", referrer.email.upper())
    first = capsys.readouterr().out.strip()
    call_command("issue_api_token", referrer.email)
    second = capsys.readouterr().out.strip()
    # Only digests are stored, so each call can only print a new token; both work.
    assert second != first
    assert (me(first), me(second)) == (200, 200)

    call_command("issue_api_token", referrer.email, "--rotate")
    third = capsys.readouterr().out.strip()
    assert (me(first), me(second), me(third)) == (401, 401, 200)
