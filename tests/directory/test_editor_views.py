"""VCSE editors keep their own listings current; nobody else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import CapacityStatus, ChangeKind, ServiceChange, TaxonomyTerm
from directory.taxonomy import AUDIENCE, CATEGORY
from socialrx.core.models import AuditEvent

pytestmark = pytest.mark.django_db

# (url name, method) for every editor view.
EDITOR_VIEWS = [
    ("directory:service_edit", "get"),
    ("directory:service_confirm", "get"),
    ("directory:service_confirm", "post"),
    ("directory:service_capacity", "get"),
    ("directory:service_capacity_quick", "post"),
    ("directory:service_limit_quick", "post"),
    ("directory:service_history", "get"),
]


def url(name, service):
    from django.urls import reverse

    return reverse(name, args=[service.id])


@pytest.mark.parametrize(("name", "method"), EDITOR_VIEWS)
def test_another_organisations_editor_gets_404(client, other_org_user, own_service, name, method):
    client.force_login(other_org_user)
    response = getattr(client, method)(url(name, own_service), {"status": "accepting"})
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), EDITOR_VIEWS)
def test_a_user_without_an_editor_role_gets_403(client, referrer, own_service, name, method):
    client.force_login(referrer)
    response = getattr(client, method)(url(name, own_service), {"status": "accepting"})
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "method"), EDITOR_VIEWS)
def test_signed_out_users_are_sent_to_sign_in(client, own_service, name, method):
    response = getattr(client, method)(url(name, own_service))
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_my_listings_is_for_vcse_editors(client, referrer, directory_admin):
    for user in (referrer, directory_admin):
        client.force_login(user)
        assert client.get("/directory/listings/").status_code == 403


def test_my_listings_shows_own_listings_stale_first_and_not_others(
    client, vcse_editor, own_service, other_service, listing_org
):
    from tests.directory.factories import service_with

    service_with(
        organization=listing_org,
        name="Old walk",
        assured_date=timezone.localdate() - timedelta(days=120),
    )
    client.force_login(vcse_editor)
    response = client.get("/directory/listings/")
    content = response.content.decode()
    assert response.status_code == 200
    assert own_service.name in content
    assert other_service.name not in content
    assert content.index("Old walk") < content.index(own_service.name)
    assert "Not confirmed for 3 months" in content


def test_my_listings_query_count_does_not_grow(
    client, vcse_editor, listing_org, django_assert_num_queries
):
    from tests.directory.factories import service_with

    for i in range(20):
        service_with(organization=listing_org, name=f"Listing {i}")
    client.force_login(vcse_editor)
    # the user with their roles (the session is cached), the listings joined to their
    # organisation and capacity (organisations_for is a subquery), the user's
    # organisations waiting for approval, whether any is not listed yet
    with django_assert_num_queries(4):
        response = client.get("/directory/listings/")
    assert response.content.decode().count("Still accurate") == 20


def test_one_click_still_accurate(client, vcse_editor, own_service):
    own_service.assured_date = timezone.localdate() - timedelta(days=100)
    own_service.save()
    client.force_login(vcse_editor)

    response = client.post(url("directory:service_confirm", own_service))

    assert response.status_code == 302
    own_service.refresh_from_db()
    assert own_service.assured_date == timezone.localdate()
    # The feed publishes the assurer: the organisation's public contact, not the editor
    assert own_service.assurer_email == own_service.organization.email
    assert own_service.assurer_email != vcse_editor.email
    assert not own_service.is_stale()
    assert not own_service.capacity.is_stale()
    change = ServiceChange.objects.get(service=own_service)
    assert change.kind == ChangeKind.CONFIRMED
    assert change.actor == vcse_editor
    assert AuditEvent.objects.for_object("directory.service", own_service.id).exists()


def test_one_click_capacity_change_keeps_the_weekly_limit(client, vcse_editor, own_service):
    own_service.capacity.maximum = 6
    own_service.capacity.save()
    client.force_login(vcse_editor)

    response = client.post(
        url("directory:service_capacity_quick", own_service), {"status": "not_accepting"}
    )

    assert response.status_code == 302
    own_service.capacity.refresh_from_db()
    assert own_service.capacity.status == CapacityStatus.NOT_ACCEPTING
    assert own_service.capacity.maximum == 6
    change = ServiceChange.objects.get(service=own_service)
    assert change.kind == ChangeKind.CAPACITY
    assert change.changes == {"status": ["accepting", "not_accepting"]}


def test_one_click_capacity_answers_htmx_with_the_updated_row(client, vcse_editor, own_service):
    client.force_login(vcse_editor)
    response = client.post(
        url("directory:service_capacity_quick", own_service),
        {"status": "waiting_list"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="listing-{own_service.id}"' in content
    assert "<html" not in content
    assert "Waiting list" in content


def test_capacity_form_sets_wait_and_limit(client, vcse_editor, own_service):
    client.force_login(vcse_editor)
    response = client.post(
        url("directory:service_capacity", own_service),
        {"status": "waiting_list", "expected_wait_weeks": "4", "maximum": "10", "available": ""},
    )
    assert response.status_code == 302
    own_service.capacity.refresh_from_db()
    assert own_service.capacity.expected_wait_weeks == 4
    assert own_service.capacity.maximum == 10


def test_capacity_form_refuses_more_places_than_the_limit(client, vcse_editor, own_service):
    client.force_login(vcse_editor)
    response = client.post(
        url("directory:service_capacity", own_service),
        {"status": "accepting", "maximum": "3", "available": "5"},
    )
    assert response.status_code == 200
    assert "cannot be more than the weekly limit" in response.content.decode()


def test_editing_publishes_at_once_and_records_what_changed(client, vcse_editor, own_service):
    arts = TaxonomyTerm.objects.get(taxonomy__code=CATEGORY, term="arts")
    carers = TaxonomyTerm.objects.get(taxonomy__code=AUDIENCE, term="carers")
    client.force_login(vcse_editor)
    assert client.get(url("directory:service_edit", own_service)).status_code == 200

    response = client.post(
        url("directory:service_edit", own_service),
        {
            "name": "Friendly phone calls",
            "description": "A weekly call from a volunteer.",
            "status": "active",
            "categories": [arts.id],
            "audiences": [carers.id],
            "languages": ["en", "pl"],
            "cost": "free",
            "referral_routes": "both",
            "minimum_age": "18",
        },
    )

    assert response.status_code == 302
    own_service.refresh_from_db()
    assert own_service.description == "A weekly call from a volunteer."
    assert set(own_service.taxonomy_terms.all()) == {arts, carers}
    assert set(own_service.languages.values_list("code", flat=True)) == {"en", "pl"}
    change = ServiceChange.objects.get(service=own_service, kind=ChangeKind.EDITED)
    assert change.changes["description"] == [
        "Somewhere friendly to go.",
        "A weekly call from a volunteer.",
    ]
    assert change.changes["minimum_age"] == ["", "18"]
    assert "name" not in change.changes

    history = client.get(url("directory:service_history", own_service)).content.decode()
    assert "Details changed" in history
    assert "A weekly call from a volunteer." in history


def test_directory_admin_may_edit_any_listing(client, directory_admin, other_service):
    client.force_login(directory_admin)
    response = client.post(url("directory:service_confirm", other_service))
    assert response.status_code == 302
    other_service.refresh_from_db()
    assert other_service.assurer_email == other_service.organization.email  # not the admin's


def test_next_may_not_send_the_editor_off_site(client, vcse_editor, own_service):
    client.force_login(vcse_editor)
    response = client.post(
        url("directory:service_confirm", own_service), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/directory/listings/"
