import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Assessment
from linkworkers.services.assessments import DomainInput, assessment_record
from referrals import codes as referral_codes

pytestmark = pytest.mark.django_db

DOMAINS = codes.LifeDomain.values


@pytest.fixture
def active_case(case, link_worker):
    from linkworkers.services.contacts import contact_record

    contact_record(
        case=case,
        actor=link_worker,
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        mode="phone",
        successful=True,
        duration_minutes=30,
    )
    case.refresh_from_db()
    return case


def _domains(level: int, strengths: str = "") -> list[DomainInput]:
    return [DomainInput(domain=d, need_level=level, strengths=strengths) for d in DOMAINS]


def test_an_assessment_rates_every_domain_and_puts_the_referral_in_progress(
    active_case, link_worker
):
    assessment = assessment_record(
        case=active_case,
        actor=link_worker,
        assessed_on=timezone.localdate(),
        domains=_domains(2, "Good with my hands"),
        what_matters="My allotment",
        goals="Get back to the allotment",
    )

    assert assessment.domains.count() == len(DOMAINS)
    active_case.referral.refresh_from_db()
    assert active_case.referral.status == referral_codes.Status.IN_PROGRESS


def test_an_assessment_needs_a_conversation_first_and_every_domain(case, active_case, link_worker):
    with pytest.raises(ValidationError):
        assessment_record(
            case=active_case,
            actor=link_worker,
            assessed_on=timezone.localdate(),
            domains=_domains(1)[:-1],
        )
    with pytest.raises(ValidationError):
        assessment_record(
            case=active_case,
            actor=link_worker,
            assessed_on=timezone.localdate() + datetime.timedelta(days=1),
            domains=_domains(1),
        )


def test_an_assessment_waits_for_first_contact(case, link_worker):
    with pytest.raises(ValidationError):
        assessment_record(
            case=case, actor=link_worker, assessed_on=timezone.localdate(), domains=_domains(1)
        )


def _post_data(level: str, strengths: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "assessed_on_day": str(today.day),
        "assessed_on_month": str(today.month),
        "assessed_on_year": str(today.year),
        "what_matters": "Seeing my grandchildren",
        "goals": "Walk to the park each week",
    }
    for domain in DOMAINS:
        data[f"need_{domain}"] = level
        data[f"strengths_{domain}"] = strengths
    return data


def test_assessments_repeat_and_show_change_side_by_side(client, active_case, link_worker):
    client.force_login(link_worker)
    url = reverse("linkworkers:assessment_add", args=[active_case.pk])

    assert client.post(url, _post_data("3", "I love to chat")).status_code == 302
    second_form = client.get(url).content.decode()
    assert "Last time: high need." in second_form
    assert client.post(url, _post_data("1", "I go to the club now")).status_code == 302

    page = client.get(reverse("linkworkers:assessments", args=[active_case.pk]))
    body = page.content.decode()
    assert Assessment.objects.filter(case=active_case).count() == 2
    assert "I love to chat" in body
    assert "I go to the club now" in body
    rows = page.context["comparison"].rows()
    assert [row.change for row in rows] == ["Less need"] * len(DOMAINS)
    assert [c.need for c in rows[0].cells] == ["High need", "Low need"]


def test_a_missing_need_level_is_named_in_the_error(client, active_case, link_worker):
    client.force_login(link_worker)
    data = _post_data("2", "")
    del data["need_housing"]
    response = client.post(reverse("linkworkers:assessment_add", args=[active_case.pk]), data)
    assert response.status_code == 400
    assert "Select the level of need for home and housing" in response.content.decode()
