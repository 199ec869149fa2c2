"""What ``make bench-budget`` measures: the pages and endpoints of issue 17, built from
``make bench``'s catalogue (bench/endpoints.py: the same users, cases and queries) plus
the two it lacks, the signed-in fixed cost and the FHIR ServiceRequest POST."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from django.test import Client
from django.urls import reverse

from bench import endpoints as catalogue
from bench.budget.budgets import BUDGETS, FHIR_POST, FIXED_COST
from interop.models import SystemClient
from interop.services import system_client_register
from referrals.permissions import practice_by_ods_code

API_POST = "POST /api/v1/referrals/"
# The GP system the FHIR POST comes from: one per practice, registered on the first run.
FHIR_SYSTEM = "Bench GP system"
FHIR_SCOPE = "servicerequest.write"


def build() -> list[catalogue.Endpoint]:
    """Every budgeted page that exists on this branch, in BUDGETS' order."""
    built = {
        e.name: e
        for e in catalogue.build(only=list(BUDGETS))
        if e.name != catalogue.BARE and e.path is not None
    }
    referrer = built["referral detail"].user
    built[FIXED_COST] = catalogue.Endpoint(
        FIXED_COST, catalogue._path("bench_signed_in"), referrer,
        note="a signed-in view that reads the user's roles and answers 'ok'",
    )  # fmt: skip
    fhir_path = catalogue._path("interop:fhir_service_requests")
    if fhir_path is not None and API_POST in built:
        built[FHIR_POST] = fhir_post(fhir_path, built[API_POST])
    return [built[name] for name in BUDGETS if name in built]


def fhir_post(path: str, api_post: catalogue.Endpoint) -> catalogue.Endpoint:
    """The FHIR twin of the API POST, from the same practice, sent as a GP system sends
    it: by a system client with an OAuth 2.0 access token (client credentials, from the
    real token endpoint). NHS_NUMBER is replaced per request, so each one stores a new
    referral for a new person."""
    assert api_post.body is not None
    ods = api_post.body["person"]["registered_practice_ods_code"]
    body = copy.deepcopy(SERVICE_REQUEST)
    body["contained"][0]["generalPractitioner"][0]["identifier"]["value"] = ods
    client_id, secret = _system_client(ods)
    return catalogue.Endpoint(
        FHIR_POST, path, body=body, token=access_token(client_id, secret, FHIR_SCOPE),
        note="a GP system's OAuth client; each request stores a new referral",
    )  # fmt: skip


def _system_client(ods: str) -> tuple[str, str]:
    """The practice's bench GP system: its client id and a fresh secret. Registered once
    and reused (each run gets a new secret, as only its hash is stored), so runs add no
    users to the practice."""
    practice = practice_by_ods_code(ods)
    assert practice is not None, f"no practice {ods}"
    client = (
        SystemClient.objects.select_related("application")
        .filter(organisation=practice, application__name__startswith=FHIR_SYSTEM)
        .first()
    )
    if client is None:
        registered = system_client_register(name=FHIR_SYSTEM, practice=practice)
        return registered.client_id, registered.client_secret
    secret = secrets.token_urlsafe(32)
    client.application.client_secret = secret  # hashed on save by the toolkit
    client.application.save(update_fields=["client_secret"])
    return client.application.client_id, secret


def access_token(client_id: str, secret: str, scope: str) -> str:
    """A Bearer token from the token endpoint, as a GP system asks for one."""
    response = Client().post(
        reverse("interop:oauth_token"),
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "scope": scope,
        },
    )
    if response.status_code != 200:
        raise RuntimeError(f"token endpoint: {response.status_code} {response.content!r}")
    return str(response.json()["access_token"])


def client_for(endpoint: catalogue.Endpoint) -> Client:
    if endpoint.user is None:
        return Client(raise_request_exception=True)
    return catalogue.signed_in_client(endpoint.user)


def request(endpoint: catalogue.Endpoint, client: Client) -> None:
    response = endpoint.test_client_request(client)
    if response.status_code not in (200, 201):
        raise RuntimeError(f"{endpoint.name}: {response.status_code} from the test client")


ODS = "https://fhir.nhs.uk/Id/ods-organization-code"
# As a GP system sends it (tests/referrals/test_fhir.py has the accepted shapes).
SERVICE_REQUEST: dict[str, Any] = {
    "resourceType": "ServiceRequest",
    "identifier": [{"system": "https://gp-system.example/referrals", "value": "B-NHS_NUMBER"}],
    "contained": [
        {
            "resourceType": "Patient",
            "id": "patient",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "NHS_NUMBER"}],
            "name": [{"family": "Test", "given": ["Bench"]}],
            "gender": "female",
            "birthDate": "1950-05-17",
            "address": [{"line": ["1 Bench Street"], "postalCode": "SX1 1AB"}],
            "generalPractitioner": [{"identifier": {"system": ODS, "value": "ODS_CODE"}}],
        },
        {
            "resourceType": "Consent",
            "id": "consent",
            "status": "active",
            "scope": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                        "code": "patient-privacy",
                    }
                ]
            },
            "category": [{"text": "Referral and information sharing"}],
            "dateTime": "2026-01-05T10:00:00+00:00",
        },
    ],
    "status": "active",
    "intent": "order",
    "priority": "routine",
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "871731000000106"}]},
    "reasonCode": [
        {
            "coding": [
                {
                    "system": "https://socialrx.example/fhir/CodeSystem/referral-reason",
                    "code": "loneliness",
                }
            ]
        }
    ],
    "subject": {"reference": "#patient"},
    "requester": {"display": "Dr Bench"},
    "supportingInfo": [{"reference": "#consent"}],
    "patientInstruction": "Would like to meet people.",
}
