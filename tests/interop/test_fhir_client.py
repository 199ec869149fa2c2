"""The interface driven over HTTP by fhirclient (SMART on FHIR's Python client), a library
the server does not use, as a GP system integrator would; every response is also checked
with fhir.resources."""

import copy
import datetime

import pytest
import requests
from fhir.resources.R4B.bundle import Bundle as CheckedBundle
from fhir.resources.R4B.servicerequest import ServiceRequest as CheckedServiceRequest
from fhir.resources.R4B.task import Task as CheckedTask
from fhirclient import client as fhir_client
from fhirclient.models.bundle import Bundle
from fhirclient.models.servicerequest import ServiceRequest
from fhirclient.models.task import Task
from fhirclient.server import FHIRNotFoundException

from interop.services import system_client_register
from referrals.models import Referral
from referrals.services import referral_assign, referral_record_progress
from tests.helpers.interop import (
    PATIENT,
    SERVICE_REQUEST,
)

pytestmark = pytest.mark.django_db(transaction=True)
SCOPES = "servicerequest.write servicerequest.read task.read message.read"


def _request(identifier: str) -> dict:
    body = copy.deepcopy(SERVICE_REQUEST)
    body["contained"] = [PATIENT]
    body["supportingInfo"] = []
    body["identifier"] = [{"system": "https://emis.example/referrals", "value": identifier}]
    return body


@pytest.fixture
def smart(live_server, practice, route):
    """A connected GP system: fhirclient reads /fhir/metadata (prepare) and finds the token
    endpoint there; the token comes from OAuth 2.0 client credentials."""
    credentials = system_client_register(name="EMIS Web", practice=practice)
    settings = {"app_id": "emis-test", "api_base": f"{live_server.url}/fhir/"}
    smart = fhir_client.FHIRClient(settings=settings)
    smart.prepare()
    token_uri = smart.server.auth._token_uri
    assert token_uri == f"{live_server.url}/oauth/token/"
    token = requests.post(
        token_uri,
        data={"grant_type": "client_credentials", "scope": SCOPES},
        auth=(credentials.client_id, credentials.client_secret),
        timeout=10,
    ).json()["access_token"]
    smart.server.auth.access_token = token
    return smart


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_metadata_lists_what_the_server_supports(smart):
    statement = smart.server.capabilityStatement
    assert statement.fhirVersion == "4.0.1"
    kinds = {r.type: r for r in statement.rest[0].resource}
    assert {p.name for p in kinds["Task"].searchParam} >= {
        "focus",
        "owner",
        "status",
        "_lastUpdated",
    }


def test_a_gp_system_refers_searches_polls_withdraws_and_reads_the_message(
    smart, triage_lead, route, link_worker
):
    server = smart.server
    # Given a referral sent in a transaction Bundle, with no Consent resource
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:5e0b4a8e-0f0e-4c84-9d5b-9c1f0f1f7a01",
                "resource": {**PATIENT, "id": "p1"},
            },
            {
                "resource": {
                    **_request("EMIS-1"),
                    "contained": [],
                    "subject": {"reference": "urn:uuid:5e0b4a8e-0f0e-4c84-9d5b-9c1f0f1f7a01"},
                },
                "request": {"method": "POST", "url": "ServiceRequest"},
            },
        ],
    }
    created = server.post_json("ServiceRequest", bundle)
    assert created.status_code == 201
    first = CheckedServiceRequest.model_validate(created.json())
    assert Referral.objects.get().consent_to_confirm

    # When the same person is referred again by NHS number, twice with If-None-Exist
    by_number = _request("EMIS-2")
    by_number["contained"] = []
    by_number["subject"] = {
        "identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}
    }
    server.session.headers["If-None-Exist"] = "identifier=https://emis.example/referrals|EMIS-2"
    try:
        one = server.post_json("ServiceRequest", by_number)
        two = server.post_json("ServiceRequest", by_number)
    finally:
        del server.session.headers["If-None-Exist"]
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["id"] == two.json()["id"]
    assert Referral.objects.count() == 2
    assert Referral.objects.values("person").distinct().count() == 1

    # Then search finds them
    found = ServiceRequest.where(
        struct={"patient.identifier": "https://fhir.nhs.uk/Id/nhs-number|9990000018"}
    ).perform_iter(server)
    found = next(found)
    CheckedBundle.model_validate(found.as_json())
    assert found.total == 2
    read = ServiceRequest.read(first.id, server)
    assert read.status == "active"

    # And polling Tasks by _lastUpdated shows only what changed since the last poll
    now = datetime.datetime.now(datetime.UTC)
    since = _utc(now - datetime.timedelta(seconds=1))
    later = _utc(now + datetime.timedelta(minutes=1))
    assert (
        list(Task.where(struct={"_lastUpdated": f"gt{later}"}).perform_resources_iter(server)) == []
    )
    accepted = Referral.objects.get(sender_identifier_value="EMIS-1")
    referral_assign(
        referral=accepted, team=route.default_team, actor=triage_lead, link_worker=link_worker
    )
    referral_record_progress(referral=accepted, actor=link_worker, kind="first_contact")
    changed = list(
        Task.where(
            struct={"_lastUpdated": f"gt{since}", "status": "in-progress"}
        ).perform_resources_iter(server)
    )
    assert [t.focus.reference for t in changed] == [f"ServiceRequest/{accepted.uuid}"]
    task = changed[0]
    CheckedTask.model_validate(task.as_json())
    assert "871731000000106" in {c.code for c in task.businessStatus.coding}

    # The message back to the registered practice is the Task's output, a document Bundle
    document_id = task.output[0].valueReference.reference.removeprefix("Bundle/")
    document = Bundle.read(document_id, server)
    assert document.type == "document"
    CheckedBundle.model_validate(document.as_json())
    composition = document.entry[0].resource
    assert composition.event[0].code[0].coding[0].code == "871731000000106"

    # Withdrawal: the other referral, still open, is revoked; a second attempt is refused
    withdrawn = one.json()
    withdrawn["status"] = "revoked"
    response = server.put_json(f"ServiceRequest/{withdrawn['id']}", withdrawn)
    assert response.json()["status"] == "revoked"
    again = server.session.put(
        f"{server.base_uri}ServiceRequest/{withdrawn['id']}",
        json=withdrawn,
        headers={"Authorization": f"Bearer {smart.server.auth.access_token}"},
        timeout=10,
    )
    assert again.status_code == 422
    assert again.json()["resourceType"] == "OperationOutcome"


def test_another_practices_referral_is_not_found(smart, other_org_user):
    with pytest.raises(FHIRNotFoundException):
        ServiceRequest.read("8b6f5e2a-1c1d-4b5e-9f0a-2d3c4b5a6978", smart.server)
