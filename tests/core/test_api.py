import pytest
from rest_framework.test import APIClient

from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_token_issue, api_token_revoke
from socialrx.core.models import Role


@pytest.fixture
def api_client():
    return APIClient()


@pytest.mark.django_db
def test_token_caller_sees_their_roles(api_client, link_worker, link_worker_team):
    issued = api_token_issue(user=link_worker, name="Case system", actor=link_worker)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")

    response = api_client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == link_worker.email
    assert response.json()["memberships"] == [
        {
            "organisation_id": link_worker_team.pk,
            "organisation": link_worker_team.name,
            "organisation_type": "link_worker_team",
            "role": Role.LINK_WORKER,
            "target_caseload": 200,
        }
    ]


@pytest.mark.django_db
def test_missing_or_revoked_token_gets_401_in_the_one_error_shape(api_client, referrer):
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)
    api_token_revoke(token=issued.token, reason=RevocationReason.ADMINISTRATOR, actor=None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {issued.secret}")

    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {
        "message": "The API token has been revoked. Ask its owner for a new one.",
        "extra": {},
    }


@pytest.mark.django_db
def test_openapi_schema_is_published(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/me/" in response.content
    # Callers are told to send the personal token as a Bearer token.
    assert b"scheme: bearer" in response.content
