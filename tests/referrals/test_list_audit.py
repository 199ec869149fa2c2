"""List pages and the API list record which referrals were shown, and nothing more."""

import pytest
from django.urls import reverse

from socialrx.core.models import AuditAction, AuditEvent
from tests.referrals.factories import ReferralFactory


def _listings(user):
    return AuditEvent.objects.filter(
        actor=user, action=AuditAction.VIEW, object_type="referrals.referral", object_id=""
    )


@pytest.fixture
def referrals(referrer, link_worker_service):
    return ReferralFactory.create_batch(3, referrer=referrer, triage_service=link_worker_service)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "url", "listing"),
    [
        ("referrer", "referrals:list", "referrer"),
        ("triage_lead", "referrals:triage", "triage"),
        ("referrer", "referrals:api_list", "api"),
    ],
)
def test_a_list_writes_one_entry_naming_the_records_shown(
    client, referrals, user, url, listing, request
):
    viewer = request.getfixturevalue(user)
    client.force_login(viewer)
    assert client.get(reverse(url)).status_code == 200
    [entry] = _listings(viewer)
    # Identifiers only, whatever order the list showed them in
    assert set(entry.detail) == {"listing", "referrals", "people"}
    assert entry.detail["listing"] == listing
    assert sorted(entry.detail["referrals"]) == sorted(r.pk for r in referrals)
    assert entry.detail["people"] == sorted(r.person_id for r in referrals)
    assert entry.path == reverse(url)


@pytest.mark.django_db
def test_an_empty_list_writes_nothing(client, referrer):
    client.force_login(referrer)
    client.get(reverse("referrals:list"))
    assert not _listings(referrer).exists()
