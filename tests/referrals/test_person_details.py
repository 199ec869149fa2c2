"""Triage corrects the referred person's details from the referral, identity included."""

import pytest
from django.urls import reverse

from referrals.models import Person, PersonDetailsEvent
from socialrx.core.models import OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.referrals.factories import PersonFactory, ReferralFactory

CONTACT = {
    "phone": "01604 496 000",
    "address": "",
    "email": "",
    "postcode": "NN1 1AA",
    "language": "Urdu",
    "preferred_contact_method": "phone",
}


@pytest.fixture
def referral(referrer, link_worker_service, route):
    return ReferralFactory(referrer=referrer, triage_service=link_worker_service)


def _url(referral):
    return reverse("referrals:triage_person_details", args=[referral.pk])


def _identity(person, **changes):
    dob = person.date_of_birth
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth_day": str(dob.day),
        "date_of_birth_month": str(dob.month),
        "date_of_birth_year": str(dob.year),
        "nhs_number": person.nhs_number,
        **CONTACT,
        **changes,
    }


@pytest.mark.django_db
def test_triage_corrects_a_wrong_nhs_number_and_the_identity_conflict_goes(
    client, triage_lead, referral, referrer
):
    # Given a conflict: the new referral carries someone else's NHS number
    Person.objects.filter(pk=referral.person_id).update(nhs_number="9990000018")
    ReferralFactory(
        referrer=referrer,
        triage_service=referral.triage_service,
        person=PersonFactory(nhs_number="9990000018", given_name="Someone", family_name="Else"),
    )
    client.force_login(triage_lead)
    detail = reverse("referrals:triage_detail", args=[referral.pk])
    assert client.get(detail).context["conflicts"]
    # When triage corrects the number from the referral
    referral.person.refresh_from_db()
    response = client.post(_url(referral), _identity(referral.person, nhs_number="999 000 0026"))
    assert response.status_code == 302
    # Then the conflict is gone, and the history says who changed the number from what
    assert client.get(detail).context["conflicts"] == []
    event = PersonDetailsEvent.objects.get(person=referral.person)
    assert event.changes["nhs_number"] == ["9990000018", "9990000026"]
    assert event.actor == triage_lead


@pytest.mark.django_db
def test_an_invalid_nhs_number_is_refused_with_a_clear_error(client, triage_lead, referral):
    client.force_login(triage_lead)
    response = client.post(_url(referral), _identity(referral.person, nhs_number="943 476 5918"))
    assert response.status_code == 400
    assert "not valid" in " ".join(response.context["form"].errors["nhs_number"])


@pytest.mark.django_db
def test_triage_person_details_access(client, referral, link_worker, referrer):
    url = _url(referral)
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    other_service = OrganisationFactory(org_type=OrganisationType.LINK_WORKER_SERVICE)
    client.force_login(user_with_role(Role.TRIAGE_LEAD, other_service))
    assert client.get(url).status_code == 404
    client.force_login(referrer)
    assert client.get(url).status_code == 403
    client.force_login(link_worker)
    assert client.get(url).status_code == 403
