"""The admin on personal data: every look audited, nothing changed (ADR 0021)."""

import pytest
from django.urls import reverse

from socialrx.core.models import AuditEvent
from tests.factories import UserFactory
from tests.linkworkers.factories import CaseFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def _seen(user, object_type, object_id):
    return AuditEvent.objects.for_object(object_type, object_id).filter(actor=user)


def test_the_person_list_and_a_search_are_audited_per_person_shown(client, superuser):
    referral = ReferralFactory(source="self")
    person = referral.person
    client.force_login(superuser)

    assert client.get(reverse("admin:referrals_person_changelist")).status_code == 200
    [listed] = _seen(superuser, "referrals.person", person.pk)
    assert listed.detail == {"listing": "admin"}

    found = client.get(reverse("admin:referrals_person_changelist"), {"q": str(person.pk)})
    assert found.status_code == 200
    assert (
        _seen(superuser, "referrals.person", person.pk)
        .filter(detail__listing="admin search")
        .exists()
    )

    client.get(reverse("admin:referrals_person_changelist"), {"q": "9999999999"})
    assert AuditEvent.objects.filter(
        actor=superuser, object_type="referrals.person", object_id="", detail__results=0
    ).exists()


def test_viewing_a_record_is_audited_with_its_person(client, superuser):
    case = CaseFactory()
    client.force_login(superuser)

    response = client.get(reverse("admin:linkworkers_case_change", args=[case.pk]))

    assert response.status_code == 200
    assert _seen(superuser, "linkworkers.case", case.pk).exists()
    assert _seen(superuser, "referrals.person", case.referral.person_id).exists()


def test_a_person_cannot_be_changed_added_or_deleted_in_the_admin(client, superuser):
    person = ReferralFactory(source="self").person
    client.force_login(superuser)
    url = reverse("admin:referrals_person_change", args=[person.pk])

    changed = client.post(url, {"given_name": "Changed", "family_name": "Name"})
    deleted = client.post(
        reverse("admin:referrals_person_delete", args=[person.pk]), {"post": "yes"}
    )
    added = client.get(reverse("admin:referrals_person_add"))

    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert added.status_code == 403
    person.refresh_from_db()
    assert person.given_name != "Changed"
    # The read-only page is a view of the person, audited
    client.get(url)
    assert _seen(superuser, "referrals.person", person.pk).exists()
