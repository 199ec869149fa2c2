"""FHIR ServiceRequest intake and read, as a GP system would use them."""

import copy
import io

import pytest
from django.core.management import call_command
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task
from rest_framework.test import APIClient

from referrals import codes
from referrals.models import Referral
from referrals.services import referral_assign, referral_record_progress
from socialrx.core.models import AuditEvent
from tests.helpers.interop import CONSENT, PATIENT, SERVICE_REQUEST

URL = "/fhir/ServiceRequest"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
REASON_SYSTEM = "https://socialrx.example/fhir/CodeSystem/referral-reason"


@pytest.fixture
def gp_client(referrer):
    client = APIClient()
    out = io.StringIO()
    call_command("issue_api_token", referrer.email, stdout=out)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}")
    return client


def _post(client, body):
    return client.post(URL, body, format="json")


def _outcome(response) -> str:
    body = response.json()
    OperationOutcome.model_validate(body)  # always a structurally valid OperationOutcome
    return body["issue"][0]["diagnostics"]


@pytest.mark.django_db
def test_contained_patient_creates_a_referral_and_returns_a_service_request(gp_client, route):
    response = _post(gp_client, SERVICE_REQUEST)
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert response["Location"].endswith(f"/fhir/ServiceRequest/{referral.uuid}")
    assert referral.person.nhs_number == "9990000018"
    assert referral.person.registered_practice == route.practice
    assert sorted(referral.reason_codes) == ["loneliness", "other"]
    assert referral.reason_other == "Recently widowed"
    assert referral.consent_recorded_by == "Dr Test"
    ServiceRequest.model_validate(response.json())


@pytest.mark.django_db
def test_a_bundle_with_patient_and_service_request_is_accepted(gp_client, route):
    request = copy.deepcopy(SERVICE_REQUEST)
    request["contained"] = [CONSENT]
    request["subject"] = {"reference": "urn:uuid:3f1c"}
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:3f1c", "resource": {**PATIENT, "id": "3f1c"}},
            {"resource": request, "request": {"method": "POST", "url": "ServiceRequest"}},
        ],
    }
    assert _post(gp_client, bundle).status_code == 201


@pytest.mark.django_db
def test_resending_the_same_identifier_returns_the_same_referral(gp_client, route):
    first, again = _post(gp_client, SERVICE_REQUEST), _post(gp_client, SERVICE_REQUEST)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Referral.objects.count() == 1
    # The replay hands back the stored person (a contained Patient): a view of them.
    person = Referral.objects.get().person
    assert AuditEvent.objects.for_object("referrals.person", person.pk).filter(action="view")


@pytest.mark.django_db
def test_reading_a_service_request_is_a_view_of_the_referral_and_its_person(gp_client, route):
    created = _post(gp_client, SERVICE_REQUEST)
    referral = Referral.objects.get()

    assert gp_client.get(f"{URL}/{created.json()['id']}").status_code == 200

    viewed = set(AuditEvent.objects.filter(action="view").values_list("object_type", "object_id"))
    assert {
        ("referrals.referral", str(referral.pk)),
        ("referrals.person", str(referral.person_id)),
    } <= viewed


def _without_patient():
    body = copy.deepcopy(SERVICE_REQUEST)
    body["contained"] = [CONSENT]
    return body


def _changed(path, value):
    body = copy.deepcopy(SERVICE_REQUEST)
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (_without_patient(), 422, "reference a Patient"),
        (_changed(("status",), "draft"), 422, "status"),
        (_changed(("intent",), "plan"), 422, "intent"),
        (_changed(("code", "coding", 0, "code"), "123"), 422, "871731000000106"),
        (_changed(("contained", 0, "identifier", 0, "value"), "9434765918"), 422, "not valid"),
        (_changed(("contained", 0, "birthDate"), "2999-01-01"), 422, "past"),
        (_changed(("priority",), "yesterday"), 400, "priority"),
        (_changed(("status",), "sent"), 400, "value set"),
        (_changed(("subject",), "not a reference"), 400, "not valid FHIR"),
        ({"resourceType": "Patient"}, 400, "ServiceRequest"),
        ([1, 2], 400, "JSON object"),
    ],
)
def test_invalid_resources_get_an_operation_outcome(gp_client, route, body, status, message):
    response = _post(gp_client, body)
    assert response.status_code == status
    assert message in _outcome(response)
    assert Referral.objects.count() == 0


@pytest.mark.django_db
def test_broken_json_gets_an_operation_outcome(gp_client, route):
    response = gp_client.post(URL, "{not json", content_type="application/fhir+json")
    assert response.status_code == 400
    assert "JSON" in _outcome(response)


@pytest.mark.django_db
def test_read_shows_the_task_status_and_snomed_code_as_the_referral_moves(
    gp_client, route, triage_lead, link_worker
):
    created = _post(gp_client, SERVICE_REQUEST)
    url = f"{URL}/{created.json()['id']}"
    referral = Referral.objects.get()

    assert gp_client.get(url).status_code == 200

    def task():
        body = gp_client.get(f"/fhir/Task/{created.json()['id']}").json()
        Task.model_validate(body)
        return body

    assert task()["status"] == "received"
    referral_assign(referral=referral, team=route.default_team, actor=triage_lead)
    assert task()["status"] == "accepted"
    referral_record_progress(referral=referral, actor=link_worker, kind="first_contact")
    assert {c["code"] for c in task()["businessStatus"]["coding"]} == {
        "first_contact",
        codes.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING,
    }
    assert task()["status"] == "in-progress"


@pytest.mark.django_db
def test_read_is_404_for_other_organisations_and_401_without_a_token(
    gp_client, route, other_org_user
):
    created = _post(gp_client, SERVICE_REQUEST).json()
    outsider = APIClient()
    outsider.force_authenticate(other_org_user)
    assert outsider.get(f"{URL}/{created['id']}").status_code == 404
    anonymous = APIClient().get(f"{URL}/{created['id']}")
    assert anonymous.status_code == 401
    assert anonymous.json()["resourceType"] == "OperationOutcome"


@pytest.mark.django_db
def test_roles_other_than_referrer_cannot_post(route, commissioner):
    client = APIClient()
    client.force_authenticate(commissioner)
    response = _post(client, SERVICE_REQUEST)
    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"
