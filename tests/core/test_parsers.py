"""The JSON API refuses hostile JSON with a 400 in the one error shape, never a 500."""

import pytest
from rest_framework.test import APIClient

from socialrx.core.parsers import _STRING, json_depth


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        # Brackets inside strings, escaped quotes included, nest nothing.
        ('{"a": "[[[{{{\\"[[["}', 1),
        # Not JSON (json.loads refuses them next): a string left open runs to the end.
        ('[["abc [[', 2),
        ('[["a\\', 2),
        ('"\\"\\"', 0),
    ],
)
def test_depth_counts_only_brackets_outside_strings(text, depth):
    assert json_depth(text) == depth


@pytest.mark.django_db
def test_json_nested_5000_deep_gets_a_400_from_the_api(referrer):
    client = APIClient()
    client.force_authenticate(referrer)
    body = "[" * 5000 + "]" * 5000
    response = client.post(
        "/api/v1/referrals/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert response.status_code == 400
    assert "nested" in response.json()["message"]


@pytest.mark.parametrize("text", ['"\\' * 50, '"abc"' * 5 + '"open', '["a", "b\\', '"\\"' * 9])
def test_the_string_pattern_matches_at_every_quote(text):
    # Why the scan is linear: a quote where the pattern failed would be scanned again from
    # the next quote, so a body of `"\` repeated took time growing with its square.
    quotes = [i for i, char in enumerate(text) if char == '"']
    assert all(_STRING.match(text, i) for i in quotes)


@pytest.mark.django_db
def test_a_body_of_open_strings_gets_a_400_from_the_api_and_fhir(referrer):
    client = APIClient()
    client.force_authenticate(referrer)
    body = '"\\' * 200_000  # 400 kB of quotes and backslashes: not JSON
    api = client.post(
        "/api/v1/referrals/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k2"
    )
    fhir = client.post("/fhir/ServiceRequest", body, content_type="application/fhir+json")
    assert api.status_code == 400
    assert "JSON parse error" in api.json()["message"]
    assert fhir.status_code == 400
    assert fhir.json()["resourceType"] == "OperationOutcome"
