"""The message back reaches the registered practice: a document Bundle written at first
contact and at closure, the Task's output, the practice inbox and its shared mailbox."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from fhir.resources.R4B.bundle import Bundle
from rest_framework.test import APIClient

from interop.models import PracticeIntegration, PracticeMessage
from interop.services import practice_message_write, system_client_register
from linkworkers.services.closure import case_close
from linkworkers.services.contacts import contact_record
from outcomes.models import Measure
from outcomes.services.measures import measure_record_create
from socialrx.core.models import AuditEvent, OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.helpers.interop import (
    ALL_SCOPES,
    oauth_token,
)
from tests.outcomes.formats import pdf_is_tagged, pdf_text
from tests.outcomes.world import ensure_builtin_measures

pytestmark = pytest.mark.django_db
ONS4 = {"satisfied": 4, "worthwhile": 5, "happy": 3, "anxious": 7}


@pytest.fixture
def marsh_lane(pcn):
    """The person's registered practice: not the practice that referred them."""
    practice = OrganisationFactory(
        name="Marsh Lane Surgery",
        org_type=OrganisationType.GP_PRACTICE,
        ods_code="Y99002",
        parent=pcn,
    )
    PracticeIntegration.objects.create(practice=practice, shared_mailbox="marsh.lane@nhs.example")
    return practice


@pytest.fixture
def marsh_lane_staff(marsh_lane):
    # Any role at the practice will do: here a practice nurse who refers.
    return user_with_role(Role.REFERRER, marsh_lane)


@pytest.fixture
def registered_case(case, marsh_lane):
    person = case.referral.person
    person.registered_practice = marsh_lane
    person.nhs_number = "9990000018"
    person.save()
    return case


def _first_contact(case, link_worker):
    contact_record(
        case=case,
        actor=link_worker,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        mode="phone",
        successful=True,
        duration_minutes=20,
        note="",
    )


def test_first_contact_and_closure_write_messages_to_the_registered_practice(
    registered_case, link_worker, marsh_lane, django_capture_on_commit_callbacks, mailoutbox
):
    ensure_builtin_measures()
    with django_capture_on_commit_callbacks(execute=True):
        _first_contact(registered_case, link_worker)
    accepted = PracticeMessage.objects.get()
    assert accepted.practice == marsh_lane
    assert accepted.snomed_code == "871731000000106"

    measure_record_create(
        case=registered_case,
        measure=Measure.objects.get(code="ons4"),
        answers=ONS4,
        actor=link_worker,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_close(
            case=registered_case, actor=link_worker, outcome="supported", support_summary="Walks"
        )
    closed = PracticeMessage.objects.get(moment="closed")
    bundle = Bundle.model_validate(closed.document)
    assert bundle.type == "document"
    composition = closed.document["entry"][0]["resource"]
    titles = [s["title"] for s in composition["section"]]
    assert {
        "Social prescribing status",
        "Outcome measures",
        "Goals",
        "What matters to the person",
    } <= set(titles)
    measures = next(s for s in composition["section"] if s["title"] == "Outcome measures")
    assert "ONS4" in measures["text"]["div"]
    # The shared mailbox is told twice, by link only: no name, NHS number or date of birth.
    told = [m for m in mailoutbox if m.to == ["marsh.lane@nhs.example"]]
    assert len(told) == 2
    person = registered_case.referral.person
    for mail in told:
        assert person.family_name not in mail.body + mail.subject
        assert "9990000018" not in mail.body
        assert f"/practice/messages/{closed.pk}/" in told[1].body


def test_writing_twice_keeps_one_message(registered_case, link_worker):
    _first_contact(registered_case, link_worker)
    first = practice_message_write(referral_id=registered_case.referral_id, kind="first_contact")
    again = practice_message_write(referral_id=registered_case.referral_id, kind="first_contact")
    assert first == again
    assert PracticeMessage.objects.count() == 1


def test_no_registered_practice_no_message(case, link_worker):
    _first_contact(case, link_worker)
    case.referral.person.registered_practice = None
    case.referral.person.save()
    assert practice_message_write(referral_id=case.referral_id, kind="first_contact") is None


@pytest.fixture
def message(registered_case, link_worker):
    _first_contact(registered_case, link_worker)
    return practice_message_write(referral_id=registered_case.referral_id, kind="first_contact")


def test_practice_staff_see_the_message_for_a_patient_they_did_not_refer(
    client, message, marsh_lane_staff
):
    client.force_login(marsh_lane_staff)
    page = client.get(reverse("interop:inbox"))
    assert page.status_code == 200
    # As the page writes it: a name such as O'Donnell has its apostrophe escaped.
    assert escape(message.referral.person.full_name) in page.content.decode()
    assert AuditEvent.objects.filter(
        actor=marsh_lane_staff, action="view", object_type="referrals.person"
    ).exists()

    detail = client.get(reverse("interop:inbox_message", args=[message.pk]))
    assert "871731000000106" in detail.content.decode()
    pdf = client.get(reverse("interop:inbox_message_pdf", args=[message.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    # The PDF carries the page's text, and is a tagged document a screen reader can read
    assert message.referral.person.family_name in pdf_text(pdf.content)
    assert pdf_is_tagged(pdf.content)

    client.post(reverse("interop:inbox_message_file", args=[message.pk]))
    message.refresh_from_db()
    assert message.filed_by == marsh_lane_staff
    assert (
        "No messages waiting to be filed" in client.get(reverse("interop:inbox")).content.decode()
    )


def test_inbox_access_other_practice_404_no_practice_role_403(
    client, message, referrer, link_worker
):
    client.force_login(referrer)  # staff of the referring practice, not the registered one
    assert client.get(reverse("interop:inbox_message", args=[message.pk])).status_code == 404
    assert client.post(reverse("interop:inbox_message_file", args=[message.pk])).status_code == 404
    assert "No messages" in client.get(reverse("interop:inbox")).content.decode()
    client.force_login(link_worker)  # no role at any practice
    assert client.get(reverse("interop:inbox")).status_code == 403
    assert client.get(reverse("interop:inbox_message", args=[message.pk])).status_code == 403


def test_the_message_is_the_tasks_output_and_a_searchable_document(message, marsh_lane):
    credentials = system_client_register(name="Marsh Lane EMIS", practice=marsh_lane)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {oauth_token(client, credentials, ALL_SCOPES)}")
    referral = message.referral
    task = client.get(f"/fhir/Task/{referral.uuid}").json()
    assert task["output"][0]["valueReference"]["reference"] == f"Bundle/{message.uuid}"
    document = client.get(f"/fhir/Bundle/{message.uuid}").json()
    Bundle.model_validate(document)
    found = client.get(
        "/fhir/Bundle", {"patient.identifier": "https://fhir.nhs.uk/Id/nhs-number|9990000018"}
    ).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(message.uuid)]
    assert client.get("/fhir/Bundle", {"practice": "Y99001"}).json()["total"] == 0
