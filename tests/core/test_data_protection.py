"""The information governance pages: who may use them, rights requests and their
decisions, and the subject access export."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from linkworkers.models import ConnectionEvent
from linkworkers.services.closure import case_close
from linkworkers.services.contacts import contact_record
from outcomes import codes as outcome_codes
from referrals.services.people import person_update_details
from socialrx.core.audit import audit_record
from socialrx.core.data_protection.models import RightsRequest
from socialrx.core.data_protection.registry import subject_sections
from socialrx.core.models import AuditEvent, Notification, Role
from tests.factories import user_with_role
from tests.linkworkers.factories import (
    AssessmentFactory,
    CaseFactory,
    ConnectionFactory,
    PlanGoalFactory,
)
from tests.outcomes.factories import record_measure
from tests.outcomes.formats import pdf_is_tagged, pdf_text

pytestmark = pytest.mark.django_db

PAGES = ["data_protection", "data_protection_request_new", "data_protection_subject_access"]


@pytest.fixture
def ig_lead(council):
    return user_with_role(Role.INFORMATION_GOVERNANCE, council)


@pytest.fixture
def case(link_worker, link_worker_team):
    """A closed case with something of every record type, seen once by its link worker."""
    case = CaseFactory(
        team=link_worker_team, link_worker=link_worker, referral__person__email="p@example.org"
    )
    contact_record(
        case=case, actor=link_worker, occurred_at=timezone.now(), mode="phone", successful=True
    )
    AssessmentFactory(case=case)
    PlanGoalFactory(plan__case=case, description="Walk with others weekly")
    connection = ConnectionFactory(case=case, service__name="Riverside Garden")
    ConnectionEvent.objects.create(connection=connection, to_status="suggested")
    record_measure(case, outcome_codes.ONS_LONELINESS, [1])
    Notification.objects.create(to_email="p@example.org", kind="referral_update", subject="Update")
    case_close(case=case, actor=link_worker, outcome="supported", support_summary="Done.")
    person_update_details(
        person=case.referral.person, actor=link_worker, details={"phone": "07700 900123"}
    )
    audit_record(actor=link_worker, action="view", obj=case.referral.person)
    return case


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["user_without_roles", "link_worker", "other_org_user"])
def test_other_roles_are_refused(client, request, name, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["ig_lead", "system_admin"])
def test_governance_roles_open_every_page(client, request, name, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(name))

    assert response.status_code == 200


def test_the_overview_shows_the_schedule_from_settings(client, ig_lead):
    client.force_login(ig_lead)

    response = client.get(reverse("data_protection"))

    assert "closed_case" in response.text
    assert "2920" in response.text  # 8 years in days


def test_an_erasure_refusal_is_recorded_with_its_reason(client, ig_lead, case):
    client.force_login(ig_lead)
    person_id = case.referral.person_id

    response = client.post(
        reverse("data_protection_request_new"),
        {
            "person_id": person_id,
            "kind": "erasure",
            "received_on": timezone.localdate().isoformat(),
            "request_detail": "Please delete everything about me.",
            "decision": "refused",
            "reason": "Health and care record: exempt under UK GDPR Art. 17(3)(c).",
        },
    )

    assert response.status_code == 302
    rights = RightsRequest.objects.get()
    assert (rights.subject_id, rights.kind, rights.decision) == (
        str(person_id),
        "erasure",
        "refused",
    )
    assert "17(3)(c)" in rights.reason
    assert rights.decided_by == ig_lead
    assert rights.decided_at is not None
    assert AuditEvent.objects.filter(
        object_type="core.rightsrequest", object_id=str(rights.pk), action="create"
    ).exists()
    page = client.get(reverse("data_protection"))
    assert "17(3)(c)" in page.text
    assert "Refused" in page.text


def test_a_decision_without_a_reason_is_refused_with_a_clear_error(client, ig_lead):
    client.force_login(ig_lead)

    response = client.post(
        reverse("data_protection_request_new"),
        {"person_id": 1, "kind": "restriction", "received_on": "2026-01-05", "decision": "refused"},
    )

    assert response.status_code == 200
    assert "Enter the reason for the decision" in response.text
    assert not RightsRequest.objects.exists()


def test_a_pending_request_needs_no_reason(client, ig_lead):
    client.force_login(ig_lead)

    client.post(
        reverse("data_protection_request_new"),
        {"person_id": 1, "kind": "restriction", "received_on": "2026-01-05", "decision": "pending"},
    )

    assert RightsRequest.objects.get().decided_at is None


def test_subject_access_json_holds_every_record_type_and_who_viewed(client, ig_lead, case):
    client.force_login(ig_lead)
    person = case.referral.person

    response = client.get(
        reverse("data_protection_subject_access"), {"person_id": person.pk, "format": "json"}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.json"')
    export = json.loads(response.content)
    sections = export["sections"]
    expected = {s.record_type for s in subject_sections()} | {"views"}
    assert set(sections) == expected
    # Every record type actually has this person's rows in it, not just a heading.
    assert all(sections[t]["rows"] for t in expected), {
        t: len(sections[t]["rows"]) for t in expected
    }
    assert sections["person"]["rows"][0]["family_name"] == person.family_name
    # with the corrections made to their details, who made them and the values either side
    (correction,) = sections["person"]["rows"][0]["corrections"]
    assert correction["changes"]["phone"][1] == "07700 900123"
    assert correction["by"] == case.link_worker.full_name
    assert sections["referrals"]["rows"][0]["history"]
    assert sections["connections"]["rows"][0]["service"] == "Riverside Garden"
    assert sections["plans"]["rows"][0]["goal"] == "Walk with others weekly"
    viewers = {row["viewed_by"] for row in sections["views"]["rows"]}
    assert case.link_worker.full_name in viewers
    assert AuditEvent.objects.filter(
        actor=ig_lead, action="export", object_type="referrals.person", object_id=str(person.pk)
    ).exists()


@pytest.mark.parametrize(
    ("given", "family"), [("Łukasz", "Wójcik-Şahin"), ("Nguyễn Thị", "Hương"), ("فاطمة", "الزهراء")]
)
def test_subject_access_pdf_reads_as_written_and_is_tagged(client, ig_lead, case, given, family):
    # Given a person whose name is in Polish, Turkish, Vietnamese or Arabic letters
    person = case.referral.person
    person.given_name, person.family_name = given, family
    person.save()
    client.force_login(ig_lead)
    # When the IG lead downloads their subject access export as a PDF
    response = client.get(
        reverse("data_protection_subject_access"), {"person_id": person.pk, "format": "pdf"}
    )
    # Then it is a PDF kept out of every cache
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # whose text holds the name as written (no boxes) and every record type's heading
    text = pdf_text(response.content)
    assert given.split()[0] in text
    assert family in text
    assert "■" not in text
    for section in subject_sections():
        assert section.title in text
    assert "Who has viewed these records" in text
    assert "Riverside Garden" in text
    # and it is a tagged PDF/UA document, as every PDF the app writes
    assert pdf_is_tagged(response.content)


def test_subject_access_for_nobody_is_404_and_not_audited(client, ig_lead):
    client.force_login(ig_lead)

    response = client.get(
        reverse("data_protection_subject_access"), {"person_id": 999999, "format": "json"}
    )

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_subject_access_with_a_bad_number_shows_the_form_error(client, ig_lead):
    client.force_login(ig_lead)

    response = client.get(
        reverse("data_protection_subject_access"), {"person_id": "abc", "format": "json"}
    )

    assert response.status_code == 200
    assert "Enter a whole number" in response.text
