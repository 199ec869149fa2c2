"""What a GP system sends and holds, shared by the interop tests: FHIR resources, an
OAuth client-credentials token, and a signed launch link from the GP record."""

import time

from django.urls import reverse

from interop.launch import encode_context, sign

PATIENT = {
    "resourceType": "Patient",
    "id": "patient",
    "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}],
    "name": [{"family": "Lane", "given": ["Ada"]}],
    "gender": "female",
    "birthDate": "1948-03-02",
    "address": [{"line": ["1 Test Street"], "postalCode": "NN1 1AA"}],
    "generalPractitioner": [
        {
            "identifier": {
                "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                "value": "Y99001",
            }
        }
    ],
}
CONSENT = {
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
}
SERVICE_REQUEST = {
    "resourceType": "ServiceRequest",
    "identifier": [{"system": "https://gp-system.example/referrals", "value": "GP-1"}],
    "contained": [PATIENT, CONSENT],
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
        },
        {"text": "Recently widowed"},
    ],
    "subject": {"reference": "#patient"},
    "requester": {"display": "Dr Test"},
    "supportingInfo": [{"reference": "#consent"}],
    "patientInstruction": "Would like to meet people.",
}


def oauth_token(client, credentials, scope):
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


ALL_SCOPES = "servicerequest.write servicerequest.read task.read message.read"


SECRET = "s3cret-for-tests-only-0123456789abcdef"
CONTEXT = {
    "nhs_number": "9990000018",
    "given_name": "Ada",
    "family_name": "Lane",
    "birth_date": "1948-03-02",
    "address": "1 Test Street, Northshire",
    "postcode": "NN1 1AA",
    "clinician": "Dr Ngozi Okafor",
}


def launch_link(context=None, *, secret=SECRET, practice="Y99001", issued=None):
    ctx = encode_context({**(context or CONTEXT), "iat": issued or int(time.time())})
    query = f"practice={practice}&ctx={ctx}&sig={sign(secret, ctx)}"
    return f"{reverse('interop:gp_launch')}?{query}"
