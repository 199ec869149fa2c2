"""The JSON API refuses hostile JSON with a 400 in the one error shape, never a 500."""

import pytest
from rest_framework.test import APIClient

from socialrx.core.parsers import json_depth


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        # Brackets inside strings, escaped quotes included, nest nothing.
        ('{"a": "[[[{{{\\"[[["}', 1),
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
