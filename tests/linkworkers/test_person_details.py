"""Correcting the person's details from the case: history, audit, access, and the unmet
need that a missing postcode used to block."""

import pytest
from django.urls import reverse

from linkworkers.models import UnmetNeed
from referrals import codes
from referrals.models import Person, PersonDetailsEvent
from socialrx.core.models import AuditEvent

DETAILS = {
    "phone": "01604 496 000",
    "email": "",
    "address": "1 Test Street, Northampton",
    "postcode": "nn1 1aa",
    "registered_practice": "",
    "language": "Polish",
    "interpreter_needed": "on",
    "accessible_formats": ["large_print", "easy_read"],
    "accessibility_needs": "",
    "preferred_contact_method": "phone",
    "preferred_contact_times": "Mornings",
    "note": "Confirmed by phone",
}


def _url(case):
    return reverse("linkworkers:case_person_details", args=[case.pk])


@pytest.mark.django_db
def test_link_worker_corrects_a_missing_postcode_then_records_an_unmet_need(
    client, case, link_worker
):
    # Given a person referred without a postcode (optional on the GP's form)
    Person.objects.filter(pk=case.referral.person_id).update(postcode="")
    client.force_login(link_worker)
    need_url = reverse("linkworkers:unmet_need_new", args=[case.pk])
    need = {"domain": "housing", "description": "Tenancy advice"}
    blocked = client.post(need_url, need)
    assert "Add it to their details first" in blocked.content.decode()
    # When the link worker corrects the details from the case
    response = client.post(_url(case), DETAILS)
    assert response.status_code == 302
    assert response["Location"] == reverse("linkworkers:case", args=[case.pk])
    # Then the details are stored, with the history and an audit entry naming what changed
    person = Person.objects.get(pk=case.referral.person_id)
    assert person.postcode == "NN1 1AA"
    assert person.language == "Polish"
    assert person.interpreter_needed is True
    assert person.accessible_formats == ["large_print", "easy_read"]
    event = PersonDetailsEvent.objects.get(person=person)
    assert event.actor == link_worker
    assert event.changes["postcode"] == ["", "NN1 1AA"]
    assert event.note == "Confirmed by phone"
    audit = AuditEvent.objects.for_object("referrals.person", person.pk).filter(action="update")
    assert audit.get().detail["changed"] == sorted(event.changes)
    # and the unmet need can now be recorded, in the corrected area
    assert client.post(need_url, need).status_code == 302
    assert UnmetNeed.objects.get().postcode_district == "NN1"
    # and the page shows who changed what
    page = client.get(_url(case)).content.decode()
    assert "Postcode" in page
    assert str(link_worker) in page


@pytest.mark.django_db
def test_saving_unchanged_details_writes_no_history(client, case, link_worker):
    client.force_login(link_worker)
    client.post(_url(case), DETAILS)
    client.post(_url(case), DETAILS)
    assert PersonDetailsEvent.objects.count() == 1


@pytest.mark.django_db
def test_details_need_one_way_to_contact_the_person(client, case, link_worker, practice):
    client.force_login(link_worker)
    no_route = {**DETAILS, "phone": "", "address": "", "email": ""}
    response = client.post(_url(case), no_route)
    assert response.status_code == 400
    assert "or choose to contact them through their GP practice" in " ".join(
        response.context["form"].errors["phone"]
    )
    # One error summary, not two.
    assert response.content.decode().count("nhsuk-error-summary__heading") == 1
    through_practice = {
        **no_route,
        "preferred_contact_method": codes.ContactMethod.GP_PRACTICE,
        "registered_practice": str(practice.pk),
    }
    assert client.post(_url(case), through_practice).status_code == 302


@pytest.mark.django_db
def test_case_person_details_access(client, case, other_team_worker, service_manager, referrer):
    url = _url(case)
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    assert reverse("login") in client.get(url)["Location"]
    client.force_login(other_team_worker)
    assert client.get(url).status_code == 404
    client.force_login(referrer)  # no link worker role
    assert client.get(url).status_code == 403
    # A team lead sees the case; the link worker of its team corrects the details.
    client.force_login(service_manager)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_case_page_links_to_the_details_for_its_link_worker(client, case, link_worker):
    client.force_login(link_worker)
    page = client.get(reverse("linkworkers:case", args=[case.pk])).content.decode()
    assert _url(case) in page
