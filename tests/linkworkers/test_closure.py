import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interop.resources import task_for
from linkworkers import codes
from linkworkers.models import MessageBack
from linkworkers.services.assessments import DomainInput, assessment_record
from linkworkers.services.closure import case_close
from linkworkers.services.contacts import contact_record
from referrals import codes as referral_codes
from socialrx.core.models import AuditEvent, Notification, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.linkworkers.factories import ConnectionFactory, PlanGoalFactory
from tests.outcomes.formats import pdf_is_tagged, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_case(case, link_worker):
    """A case with a conversation, an assessment, a goal and two connections."""
    contact_record(
        case=case,
        actor=link_worker,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        mode="phone",
        successful=True,
        duration_minutes=30,
        note="PRIVATE: son in prison",
    )
    assessment_record(
        case=case,
        actor=link_worker,
        assessed_on=timezone.localdate(),
        what_matters="My garden and my dog",
        domains=[
            DomainInput(d, 3 if d == "social_connection" else 0) for d in codes.LifeDomain.values
        ],
    )
    PlanGoalFactory(plan__case=case, description="Meet people weekly")
    ConnectionFactory(
        case=case, service__name="Riverside Garden", status="started", consent_to_share=True
    )
    ConnectionFactory(case=case, service__name="Never used", status="suggested")
    case.refresh_from_db()
    return case


def test_closing_writes_the_message_back_and_closes_the_referral(worked_case, link_worker):
    message = case_close(
        case=worked_case,
        actor=link_worker,
        outcome="supported",
        support_summary="Six sessions; now gardening weekly.",
    )

    worked_case.refresh_from_db()
    referral = worked_case.referral
    referral.refresh_from_db()
    assert (worked_case.status, worked_case.closure_outcome) == ("closed", "supported")
    assert (referral.status, referral.closure_outcome) == ("closed", "supported")
    assert "message-back" in referral.events.get(kind="closed").note
    assert "Social connection and loneliness: high need." in message.needs_and_concerns
    assert "Loneliness" in message.needs_and_concerns
    assert message.what_matters == "My garden and my dog"
    assert "Six sessions" in message.support_offered
    assert "Goal: Meet people weekly (working on it)." in message.support_offered
    assert message.activities == [{"service": "Riverside Garden", "status": "Started"}]
    assert message.snomed_codes == [referral_codes.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING]
    assert "PRIVATE" not in str(message.__dict__)
    assert Notification.objects.filter(recipient=referral.referrer, kind="referral_closed").exists()
    # The FHIR Task follows the referral's status.
    task = task_for(referral, "https://srx.example")
    assert task["status"] == "completed"


def test_a_declined_case_carries_the_declined_code(case, link_worker):
    message = case_close(case=case, actor=link_worker, outcome="declined_by_person")
    assert message.snomed_codes == [referral_codes.SNOMED_SOCIAL_PRESCRIBING_DECLINED]
    assert message.activities == []


def test_closing_needs_a_known_outcome_and_an_open_case(case, link_worker):
    with pytest.raises(ValidationError):
        case_close(case=case, actor=link_worker, outcome="bored")
    case_close(case=case, actor=link_worker, outcome="moved_away")
    with pytest.raises(ValidationError):
        case_close(case=case, actor=link_worker, outcome="moved_away")


def test_link_worker_closes_from_the_browser_and_reads_the_message(
    client, worked_case, link_worker
):
    client.force_login(link_worker)
    response = client.post(
        reverse("linkworkers:case_close", args=[worked_case.pk]),
        {"outcome": "supported", "support_summary": "Weekly gardening."},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Weekly gardening." in page.content.decode()
    assert "871731000000106" in page.content.decode()


def test_close_form_requires_an_outcome(client, case, link_worker):
    client.force_login(link_worker)
    response = client.post(reverse("linkworkers:case_close", args=[case.pk]), {})
    assert response.status_code == 400
    assert "Select why the case is closing" in response.content.decode()


def test_the_referrer_and_the_gp_practice_read_it_and_download_a_pdf(
    client, worked_case, link_worker, referrer
):
    case_close(case=worked_case, actor=link_worker, outcome="supported")
    practice = OrganisationFactory(org_type="gp_practice")
    worked_case.referral.person.registered_practice = practice
    worked_case.referral.person.save()
    gp = user_with_role(Role.REFERRER, practice)

    for reader in (referrer, gp):
        client.force_login(reader)
        page = client.get(reverse("linkworkers:message_back", args=[worked_case.pk]))
        assert page.status_code == 200
        assert "PRIVATE" not in page.content.decode()
        pdf = client.get(reverse("linkworkers:message_back_pdf", args=[worked_case.pk]))
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    person = worked_case.referral.person
    exported = AuditEvent.objects.filter(actor=gp, action="export")
    assert sorted(exported.values_list("object_type", flat=True)) == [
        "linkworkers.messageback",
        "referrals.person",
    ]
    viewed = AuditEvent.objects.filter(actor=gp, action="view")
    assert viewed.filter(object_type="referrals.person", object_id=str(person.pk)).exists()


def test_nobody_else_reads_the_message_back(client, case, link_worker, other_org_user, vcse_editor):
    case_close(case=case, actor=link_worker, outcome="supported")
    for name in ("linkworkers:message_back", "linkworkers:message_back_pdf"):
        client.force_login(other_org_user)
        assert client.get(reverse(name, args=[case.pk])).status_code == 404
        client.force_login(vcse_editor)
        assert client.get(reverse(name, args=[case.pk])).status_code == 403
    assert MessageBack.objects.count() == 1


def _attempts(case, *days_and_modes):
    from tests.linkworkers.factories import ContactFactory

    for days, mode in days_and_modes:
        ContactFactory(
            case=case, mode=mode, occurred_at=timezone.now() - datetime.timedelta(days=days)
        )


def test_unable_to_contact_after_one_attempt_needs_a_reason(case, link_worker):
    _attempts(case, (1, "phone"))
    with pytest.raises(ValidationError) as refused:
        case_close(case=case, actor=link_worker, outcome="unable_to_contact")
    assert "give the reason for closing now" in str(refused.value.message_dict["override_reason"])
    case.refresh_from_db()
    assert case.is_open


def test_unable_to_contact_with_a_reason_is_closed_and_the_reason_kept(case, link_worker):
    _attempts(case, (1, "phone"))
    case_close(
        case=case,
        actor=link_worker,
        outcome="unable_to_contact",
        override_reason="The person's daughter says they have moved into a care home",
    )
    case.refresh_from_db()
    assert case.closure_outcome == "unable_to_contact"
    assert case.unable_to_contact_override.startswith("The person's daughter")
    # Reported to the GP and referrer with the closure.
    assert case.message_back.support_offered == (
        "Closed as unable to contact before the usual attempts (3 over 10 days) were made, "
        "because: The person's daughter says they have moved into a care home"
    )


def test_unable_to_contact_once_the_rule_is_met_needs_no_reason(case, link_worker):
    _attempts(case, (11, "phone"), (6, "letter"), (1, "phone"))
    case_close(case=case, actor=link_worker, outcome="unable_to_contact", override_reason="x")
    case.refresh_from_db()
    assert case.closure_outcome == "unable_to_contact"
    assert case.unable_to_contact_override == ""  # nothing to override


def test_the_close_form_asks_for_the_reason_when_the_rule_is_not_met(client, case, link_worker):
    _attempts(case, (1, "phone"))
    client.force_login(link_worker)
    url = reverse("linkworkers:case_close", args=[case.pk])
    refused = client.post(url, {"outcome": "unable_to_contact"})
    assert refused.status_code == 400
    assert "give the reason for closing now" in refused.content.decode()
    closed = client.post(url, {"outcome": "unable_to_contact", "override_reason": "Moved away"})
    assert closed.status_code == 302


def test_the_referrers_page_links_the_message_back_and_its_pdf(client, case, link_worker):
    case_close(case=case, actor=link_worker, outcome="supported", support_summary="Walks")
    client.force_login(case.referral.referrer)
    page = client.get(reverse("referrals:detail", args=[case.referral_id])).content.decode()
    for name in ("linkworkers:message_back", "linkworkers:message_back_pdf"):
        assert f'href="{settings.SITE_URL.rstrip("/")}{reverse(name, args=[case.pk])}"' in page


@pytest.mark.parametrize(
    ("given", "family"),
    [("Łukasz", "Wójcik-Şahin"), ("Nguyễn Thị", "Hương"), ("فاطمة", "الزهراء")],
)
def test_the_message_back_pdf_prints_any_name_and_is_tagged(
    client, worked_case, link_worker, given, family
):
    # Given a person whose name is in Polish, Turkish, Vietnamese or Arabic letters
    person = worked_case.referral.person
    person.given_name, person.family_name = given, family
    person.save()
    case_close(case=worked_case, actor=link_worker, outcome="supported")
    client.force_login(link_worker)
    # When the message back is downloaded as a PDF
    pdf = client.get(reverse("linkworkers:message_back_pdf", args=[worked_case.pk])).content
    # Then its text holds the name as written (no boxes), and it is a tagged document
    text = pdf_text(pdf)
    assert given.split()[0] in text
    assert family in text
    assert "■" not in text
    assert pdf_is_tagged(pdf)
