"""The OpenAPI description at /api/schema/ is valid and says what the API really does:
paginated lists as pages, and the one error shape for 400/401/403/404."""

import json

import jsonschema
import pytest
from openapi_spec_validator import validate

from socialrx.core.api_schema import ERROR_SCHEMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_the_schema_passes_openapi_spec_validator(schema):
    validate(schema)  # raises OpenAPIValidationError with the first fault


@pytest.mark.parametrize("path", ["/api/v1/referrals/", "/api/v1/cases/"])
def test_paginated_lists_are_described_as_pages(schema, path):
    operation = schema["paths"][path]["get"]

    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"
    assert "page" in {p["name"] for p in operation["parameters"]}


def test_every_api_operation_documents_its_errors_in_the_one_shape(schema):
    error_ref = "#/components/schemas/ErrorOut"
    for path, method, operation in _operations(schema):
        if not path.startswith("/api/"):
            continue
        expected = {"401", "403"} | ({"404"} if "{" in path else set())
        expected |= {"400"} if method == "post" else set()
        for code in expected:
            response = operation["responses"].get(code)
            assert response, f"{method.upper()} {path} does not document {code}"
            assert response["content"]["application/json"]["schema"]["$ref"] == error_ref


def test_real_errors_match_the_documented_shape(client, link_worker):
    # Given the errors a client meets most: no credentials, then a record not found.
    unauthenticated = client.get("/api/v1/cases/")
    client.force_login(link_worker)
    not_found = client.get("/api/v1/cases/999999/")
    invalid = client.post("/api/v1/cases/", {"referral": "x"}, content_type="application/json")

    for response, code in ((unauthenticated, 401), (not_found, 404), (invalid, 400)):
        assert response.status_code == code
        jsonschema.validate(response.json(), ERROR_SCHEMA)


def test_a_real_page_matches_the_documented_page(client, link_worker, schema):
    client.force_login(link_worker)

    body = client.get("/api/v1/cases/").json()

    page = schema["components"]["schemas"]["PaginatedCaseOutList"]
    assert set(body) == set(page["properties"])
