"""The FHIR interface as a GP system integrator meets it: metadata, OAuth scopes, refusals
as OperationOutcomes, consent to confirm, known people by reference, search, polling and
withdrawal."""

import copy
import datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from interop.services import system_client_register
from referrals import codes
from referrals.models import Referral
from referrals.services import referral_assign, referral_record_progress
from socialrx.core.models import AuditEvent, Notification
from tests.helpers.interop import (
    ALL_SCOPES,
    CONSENT,
    PATIENT,
    SERVICE_REQUEST,
    oauth_token,
)

pytestmark = pytest.mark.django_db
URL = "/fhir/ServiceRequest"


def _outcome(response) -> str:
    body = response.json()
    OperationOutcome.model_validate(body)
    return body["issue"][0]["diagnostics"]


@pytest.fixture
def system(practice):
    return system_client_register(name="Test GP system", practice=practice)


@pytest.fixture
def gp(system, route):
    """A GP system with every scope, as its integrator would set it up."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {oauth_token(client, system, ALL_SCOPES)}")
    return client


def _without_consent(identifier="GP-2"):
    body = copy.deepcopy(SERVICE_REQUEST)
    body["contained"] = [PATIENT]
    body["supportingInfo"] = []
    body["identifier"] = [{"system": "https://gp-system.example/referrals", "value": identifier}]
    return body


def test_metadata_is_a_capability_statement_anyone_may_read(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    statement = CapabilityStatement.model_validate(response.json())
    kinds = {r.type for r in statement.rest[0].resource}
    assert kinds == {"ServiceRequest", "Task", "Bundle"}


def test_format_parameter_chooses_json_and_refuses_xml(client):
    assert client.get("/fhir/metadata?_format=json").status_code == 200
    refused = client.get("/fhir/metadata?_format=xml")
    assert refused.status_code == 406


def test_a_system_client_sends_without_consent_and_triage_sees_it_to_confirm(gp, practice):
    response = gp.post(URL, _without_consent(), format="json")
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert referral.consent_to_confirm
    assert not referral.consent_to_referral
    assert referral.referring_organisation == practice
    assert referral.sender_identifier_value == "GP-2"
    assert "Consent to be confirmed" in response.json()["note"][0]["text"]


def test_requester_practitioner_and_ods_code_are_kept(gp):
    body = _without_consent()
    body["contained"].append(
        {
            "resourceType": "Practitioner",
            "id": "gp",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "5550001"}],
            "name": [{"family": "Okafor", "given": ["Ngozi"], "prefix": ["Dr"]}],
        }
    )
    body["contained"].append(
        {
            "resourceType": "Organization",
            "id": "org",
            "identifier": [
                {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "Y99001"}
            ],
        }
    )
    body["requester"] = {"reference": "#gp"}
    assert gp.post(URL, body, format="json").status_code == 201
    referral = Referral.objects.get()
    assert referral.requester_name == "Dr Ngozi Okafor"
    assert referral.requester_identifier == "https://fhir.nhs.uk/Id/sds-user-id|5550001"
    assert referral.requester_ods_code == "Y99001"


def test_snomed_reasons_map_through_the_table_and_unknown_codes_stay_as_text(gp):
    body = _without_consent()
    body["reasonCode"] = [
        {"coding": [{"system": "http://snomed.info/sct", "code": "422650009"}]},
        {"coding": [{"system": "http://snomed.info/sct", "code": "999999", "display": "Odd"}]},
    ]
    assert gp.post(URL, body, format="json").status_code == 201
    referral = Referral.objects.get()
    assert sorted(referral.reason_codes) == ["loneliness", "other"]
    assert referral.reason_other == "Odd"


def test_a_known_person_is_referred_by_nhs_number_and_a_stranger_is_refused(gp):
    assert gp.post(URL, _without_consent("GP-A"), format="json").status_code == 201
    person = Referral.objects.get().person
    body = _without_consent("GP-B")
    body["contained"] = []
    body["subject"] = {
        "identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}
    }
    assert gp.post(URL, body, format="json").status_code == 201
    by_id = _without_consent("GP-C")
    by_id["contained"] = []
    by_id["subject"] = {"reference": f"Patient/{person.pk}"}
    assert gp.post(URL, by_id, format="json").status_code == 201
    assert {r.person_id for r in Referral.objects.all()} == {person.pk}

    body["subject"]["identifier"]["value"] = "9434765919"
    body["identifier"][0]["value"] = "GP-D"
    refused = gp.post(URL, body, format="json")
    assert refused.status_code == 422
    assert "does not know a person" in _outcome(refused)


def test_conditional_create_stores_one_referral(gp):
    condition = "identifier=https://gp-system.example/referrals|GP-9"
    first = gp.post(URL, _without_consent("GP-9"), format="json", HTTP_IF_NONE_EXIST=condition)
    again = gp.post(URL, _without_consent("GP-9"), format="json", HTTP_IF_NONE_EXIST=condition)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1


def test_search_and_task_polling_by_last_updated(gp, route, triage_lead):
    gp.post(URL, _without_consent("GP-1"), format="json")
    gp.post(URL, _without_consent("GP-2"), format="json")
    found = gp.get(URL, {"identifier": "https://gp-system.example/referrals|GP-2"}).json()
    Bundle.model_validate(found)
    assert found["total"] == 1
    by_patient = gp.get(URL, {"patient.identifier": "https://fhir.nhs.uk/Id/nhs-number|9990000018"})
    assert by_patient.json()["total"] == 2
    assert gp.get(URL, {"requester": "Y99001", "status": "active"}).json()["total"] == 2

    since = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=1)).isoformat()
    referral = Referral.objects.get(sender_identifier_value="GP-1")
    polled = gp.get("/fhir/Task", {"_lastUpdated": f"gt{since}"}).json()
    assert polled["total"] == 0
    Referral.objects.filter(pk=referral.pk).update(
        updated_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)
    )
    polled = gp.get("/fhir/Task", {"_lastUpdated": f"gt{since}"}).json()
    Bundle.model_validate(polled)
    assert [e["resource"]["focus"]["reference"] for e in polled["entry"]] == [
        f"ServiceRequest/{referral.uuid}"
    ]
    assert gp.get("/fhir/Task", {"status": "received"}).json()["total"] == 2


def test_search_refuses_unknown_parameters_and_bad_dates(gp):
    assert gp.get(URL, {"colour": "blue"}).status_code == 400
    bad = gp.get("/fhir/Task", {"_lastUpdated": "gtyesterday"})
    assert bad.status_code == 400
    assert "_lastUpdated" in _outcome(bad)


def test_withdrawal_while_open_tells_triage_and_is_refused_after(gp, triage_lead):
    created = gp.post(URL, _without_consent(), format="json").json()
    url = f"{URL}/{created['id']}"
    response = gp.patch(url, {"status": "revoked"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked"
    referral = Referral.objects.get()
    assert referral.status == codes.Status.WITHDRAWN
    told = Notification.objects.filter(kind="referral_withdrawn").values_list("to_email", flat=True)
    assert list(told) == [triage_lead.email]
    task = gp.get(f"/fhir/Task/{created['id']}").json()
    assert task["status"] == "cancelled"

    again = gp.patch(url, {"status": "revoked"}, format="json")
    assert again.status_code == 422
    assert "can no longer be withdrawn" in _outcome(again)


def test_task_cancel_withdraws_but_not_once_the_person_was_contacted(
    gp, route, triage_lead, link_worker
):
    created = gp.post(URL, _without_consent(), format="json").json()
    referral = Referral.objects.get()
    referral_assign(
        referral=referral, team=route.default_team, actor=triage_lead, link_worker=link_worker
    )
    referral_record_progress(referral=referral, actor=link_worker, kind="first_contact")
    response = gp.patch(f"/fhir/Task/{created['id']}", {"status": "cancelled"}, format="json")
    assert response.status_code == 422
    assert "first contact made" in _outcome(response)


def test_scopes_limit_what_a_token_may_do(system, route):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {oauth_token(client, system, 'task.read')}")
    refused = client.post(URL, _without_consent(), format="json")
    assert refused.status_code == 403
    assert "servicerequest.write" in _outcome(refused)
    assert client.get("/fhir/Task").status_code == 200


def test_guessing_a_client_secret_is_throttled_like_a_password(system, settings):
    # Given a GP system's client id, and someone guessing its secret
    client = APIClient()

    def ask(secret):
        return client.post(
            "/oauth/token/",
            {"grant_type": "client_credentials", "client_id": system.client_id,
             "client_secret": secret, "scope": "task.read"},
        )  # fmt: skip

    for attempt in range(settings.SIGNIN_FAILURE_LIMIT):
        assert ask(f"guess-{attempt}").status_code == 401
    # Then the next request is refused whatever the secret, saying when to try again
    refused = ask(system.client_secret)
    assert refused.status_code == 429
    assert refused.json()["error"] == "slow_down"
    assert (
        f"Try again in {settings.SIGNIN_LOCKOUT_MINUTES} minutes"
        in (refused.json()["error_description"])
    )
    # And each failure and the lockout are in the audit, with no user to name
    events = AuditEvent.objects.filter(detail__step="oauth_token")
    assert [e.action for e in events.order_by("pk")] == ["login_failed"] * 5 + ["lockout"]
    assert {e.system_reason for e in events} == {"failed_sign_in"}


def test_reads_are_scoped_to_the_clients_practice_and_audited(gp, other_org_user):
    created = gp.post(URL, _without_consent(), format="json").json()
    outsider = APIClient()
    outsider.force_authenticate(other_org_user)
    assert outsider.get(f"{URL}/{created['id']}").status_code == 404
    assert outsider.get(URL).json()["total"] == 0
    assert gp.get(f"/fhir/Task/{created['id']}").status_code == 200
    referral = Referral.objects.get()
    viewed = AuditEvent.objects.filter(action="view", object_type="referrals.person")
    assert viewed.filter(object_id=str(referral.person_id)).exists()


def test_an_invalid_token_gets_401_as_an_operation_outcome(route):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = client.get(URL)
    assert response.status_code == 401
    _outcome(response)


MALFORMED = [
    {"resourceType": "Bundle", "type": "transaction", "entry": [1, "x"]},
    {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": []}]},
    {"resourceType": "Bundle", "type": "searchset", "entry": []},
    {**SERVICE_REQUEST, "contained": ["not an object"]},
    {**SERVICE_REQUEST, "contained": {"a": 1}},
    {**SERVICE_REQUEST, "subject": []},
    {**SERVICE_REQUEST, "requester": "Dr"},
    {
        **SERVICE_REQUEST,
        "contained": [{**PATIENT, "name": [{"family": "La\x00ne", "given": ["A"]}]}, CONSENT],
    },
    {
        **SERVICE_REQUEST,
        "contained": [{**PATIENT, "name": [{"family": "L" * 100_000, "given": ["A"]}]}],
    },
    # Contained items fhir.resources cannot look up (it raised KeyError or TypeError: a 500).
    *(
        {**SERVICE_REQUEST, "contained": [{"resourceType": kind, "id": "x"}]}
        for kind in ("", None, 5, ["Patient"], "Pateint", "String", "Coding")
    ),
    {**SERVICE_REQUEST, "contained": [{**PATIENT, "contained": [{"resourceType": ""}]}]},
]


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_bodies_get_a_4xx_operation_outcome(gp, body):
    response = gp.post(URL, body, format="json")
    assert 400 <= response.status_code < 500
    _outcome(response)
    assert Referral.objects.count() == 0


def test_deep_nesting_and_huge_bodies_are_refused(gp, settings):
    deep = gp.post(URL, "[" * 5000 + "]" * 5000, content_type="application/fhir+json")
    assert deep.status_code == 400
    assert "nested" in _outcome(deep)
    settings.FHIR_MAX_BODY_BYTES = 1000
    huge = gp.post(URL, {"resourceType": "ServiceRequest", "note": "x" * 2000}, format="json")
    assert huge.status_code == 413
    _outcome(huge)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resourceType",
                    "entry",
                    "resource",
                    "contained",
                    "subject",
                    "reference",
                    "status",
                    "intent",
                    "priority",
                    "code",
                    "coding",
                    "identifier",
                    "requester",
                    "type",
                    "id",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    noise=JSON,
    where=st.sampled_from(["body", "contained", "entry", "subject", "requester", "reasonCode"]),
)
def test_fuzzed_bodies_never_get_a_5xx(gp, noise, where):
    if where == "body":
        body = noise
    elif where == "entry":
        body = {"resourceType": "Bundle", "type": "collection", "entry": noise}
    else:
        body = {**SERVICE_REQUEST, where: noise}
    response = gp.post(URL, body, format="json")
    assert response.status_code < 500, response.content
