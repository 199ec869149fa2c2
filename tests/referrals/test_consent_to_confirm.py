"""A referral sent without a record of consent (from a GP system) is shown as such at
triage and on the case, and triage or the link worker records the consent."""

import pytest
from django.urls import reverse

from referrals.models import Referral
from referrals.services import referral_submit
from socialrx.core.models import AuditEvent
from tests.referrals.conftest import referral_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconfirmed(route, referrer, practice) -> Referral:
    data = referral_input(
        practice,
        consent_to_referral=False,
        consent_to_share=False,
        consent_to_confirm=True,
        consent_recorded_by="To be confirmed at first contact",
    )
    return referral_submit(data=data, referrer=referrer, organisation=practice).referral


def test_triage_sees_consent_to_confirm_and_records_it(client, unconfirmed, triage_lead):
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:triage_detail", args=[unconfirmed.pk]))
    assert "Consent to be confirmed at first contact" in page.content.decode()

    response = client.post(
        reverse("referrals:confirm_consent", args=[unconfirmed.pk]),
        {"next": reverse("referrals:triage_detail", args=[unconfirmed.pk])},
    )
    assert response.status_code == 302
    unconfirmed.refresh_from_db()
    assert unconfirmed.consent_to_referral
    assert not unconfirmed.consent_to_confirm
    assert unconfirmed.consent_recorded_by == triage_lead.full_name
    assert AuditEvent.objects.filter(object_id=str(unconfirmed.pk), action="update").exists()
    page = client.get(reverse("referrals:triage_detail", args=[unconfirmed.pk]))
    assert "Consent to be confirmed" not in page.content.decode()


def test_other_organisations_get_404_and_referrers_403(
    client, unconfirmed, other_org_user, referrer
):
    url = reverse("referrals:confirm_consent", args=[unconfirmed.pk])
    client.force_login(other_org_user)
    assert client.post(url).status_code == 404
    client.force_login(referrer)
    assert client.post(url).status_code == 403
    unconfirmed.refresh_from_db()
    assert unconfirmed.consent_to_confirm


def test_a_next_address_elsewhere_is_not_followed(client, unconfirmed, triage_lead):
    client.force_login(triage_lead)
    response = client.post(
        reverse("referrals:confirm_consent", args=[unconfirmed.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("referrals:detail", args=[unconfirmed.pk])
