"""List pages and the API list record which referrals and people were shown, each
findable by its type and id, and nothing more."""

import pytest
from django.urls import reverse

from socialrx.core.models import AuditAction, AuditEvent
from tests.referrals.factories import ReferralFactory


def _listings(user):
    return AuditEvent.objects.filter(actor=user, action=AuditAction.VIEW)


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
def test_a_list_writes_one_entry_per_record_and_person_shown(
    client, referrals, user, url, listing, request
):
    viewer = request.getfixturevalue(user)
    client.force_login(viewer)
    assert client.get(reverse(url)).status_code == 200
    entries = _listings(viewer)
    # Identifiers only: each referral and each person, as a detail page records them
    assert sorted((e.object_type, e.object_id) for e in entries) == sorted(
        [("referrals.referral", str(r.pk)) for r in referrals]
        + [("referrals.person", str(r.person_id)) for r in referrals]
    )
    assert {e.detail["listing"] for e in entries} == {listing}
    assert {e.path for e in entries} == {reverse(url)}


@pytest.mark.django_db
def test_an_empty_list_writes_nothing(client, referrer):
    client.force_login(referrer)
    client.get(reverse("referrals:list"))
    assert not _listings(referrer).exists()
