"""Repeated wrong tokens from one address: 429 with Retry-After until the window ends."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from socialrx.core.api_tokens.services import api_token_issue

ME = "/api/v1/me/"


def _get(secret: str, address: str, path: str = ME):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get(path, REMOTE_ADDR=address)


@pytest.fixture
def limits(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    settings.API_TOKEN_FAILURE_WINDOW_SECONDS = 600


@pytest.mark.django_db
@pytest.mark.usefixtures("limits")
def test_an_address_sending_wrong_tokens_is_refused_with_429_and_told_when_to_retry(referrer):
    good = api_token_issue(user=referrer, name="system", actor=referrer).secret

    # Given three wrong tokens from one address, each a 401
    assert [_get("sxr_wrong", "198.51.100.9").status_code for _ in range(3)] == [401] * 3

    # Then the next attempt from there is refused before any token is looked at, even a
    # good one, with the time to wait in the header and the message
    response = _get(good, "198.51.100.9")
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 600
    assert response.json() == {
        "message": (
            "Too many requests with a wrong API token from this address. "
            f"Try again in {wait} seconds."
        ),
        "extra": {"retry_after_seconds": wait},
    }

    # And another address is not affected
    assert _get(good, "198.51.100.10").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("limits")
def test_good_tokens_do_not_count_towards_the_limit(referrer):
    good = api_token_issue(user=referrer, name="system", actor=referrer).secret

    statuses = [_get(good, "198.51.100.9").status_code for _ in range(5)]

    assert statuses == [200] * 5


@pytest.mark.django_db
@pytest.mark.usefixtures("limits")
def test_the_fhir_api_says_throttled_as_an_operation_outcome(referrer):
    for _ in range(3):
        _get("sxr_wrong", "198.51.100.9")

    response = _get("sxr_wrong", "198.51.100.9", "/fhir/ServiceRequest")

    assert response.status_code == 429
    assert response["Retry-After"]
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "throttled"
