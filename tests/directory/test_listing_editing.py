"""VCSE editors change everything in their own listings in the browser: new services,
who a service is for, places, opening times and contacts. Each change is published at
once, kept in the change history and the audit log, and lands in the review queue."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from directory.models import (
    ApprovalStatus,
    ChangeKind,
    Contact,
    Location,
    PostcodeCentroid,
    Schedule,
    Service,
    ServiceChange,
    TaxonomyTerm,
)
from directory.permissions import services_awaiting_review
from directory.taxonomy import AUDIENCE, CATEGORY
from socialrx.core.models import AuditAction, AuditEvent
from tests.directory.factories import (
    AddressFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    service_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(own_service) -> Location:
    address = AddressFactory(location__organization=own_service.organization)
    ServiceAtLocationFactory(service=own_service, location=address.location)
    return address.location


@pytest.fixture
def times(own_service) -> Schedule:
    return ScheduleFactory(service=own_service, opens_at=time(10), closes_at=time(12))


@pytest.fixture
def contact(own_service) -> Contact:
    contact = Contact.objects.create(service=own_service, title="Coordinator")
    contact.phones.create(number="01632 960000")
    return contact


def term(code, value):
    return TaxonomyTerm.objects.get(taxonomy__code=code, term=value)


def edits(service):
    return ServiceChange.objects.filter(service=service, kind=ChangeKind.EDITED)


# (url name, the objects its URL takes after the service, method)
VIEWS = [
    ("directory:service_manage", (), "get"),
    ("directory:service_eligibility", (), "get"),
    ("directory:service_eligibility", (), "post"),
    ("directory:location_add", (), "get"),
    ("directory:location_add", (), "post"),
    ("directory:location_edit", ("place",), "get"),
    ("directory:location_edit", ("place",), "post"),
    ("directory:location_remove", ("place",), "post"),
    ("directory:schedule_add", (), "get"),
    ("directory:schedule_add", (), "post"),
    ("directory:schedule_edit", ("times",), "get"),
    ("directory:schedule_edit", ("times",), "post"),
    ("directory:schedule_remove", ("times",), "post"),
    ("directory:contact_add", (), "get"),
    ("directory:contact_add", (), "post"),
    ("directory:contact_edit", ("contact",), "get"),
    ("directory:contact_edit", ("contact",), "post"),
    ("directory:contact_remove", ("contact",), "post"),
]


def view_url(request, name, objects, service):
    return reverse(name, args=[service.id, *(request.getfixturevalue(o).id for o in objects)])


@pytest.mark.parametrize(("name", "objects", "method"), VIEWS)
def test_another_organisations_editor_gets_404(
    request, client, other_org_user, own_service, name, objects, method
):
    client.force_login(other_org_user)
    response = getattr(client, method)(view_url(request, name, objects, own_service))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "objects", "method"), VIEWS)
def test_a_user_without_an_editor_role_gets_403(
    request, client, referrer, own_service, name, objects, method
):
    client.force_login(referrer)
    response = getattr(client, method)(view_url(request, name, objects, own_service))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "objects", "method"), VIEWS)
def test_signed_out_users_are_sent_to_sign_in(request, client, own_service, name, objects, method):
    response = getattr(client, method)(view_url(request, name, objects, own_service))
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(("name", "objects", "method"), [v for v in VIEWS if v[1]])
def test_another_listings_place_times_or_contact_is_404_even_to_its_editor(
    request, client, vcse_editor, listing_org, own_service, name, objects, method
):
    """The nested record must belong to the listing in the URL, not just to someone."""
    sibling = service_with(organization=listing_org, name="A sibling listing")
    client.force_login(vcse_editor)
    response = getattr(client, method)(view_url(request, name, objects, sibling))
    assert response.status_code == 404


def test_new_service_is_404_for_another_organisation_and_403_without_the_role(
    client, other_org_user, referrer, listing_org
):
    url = reverse("directory:service_new", args=[listing_org.id])
    client.force_login(other_org_user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Mine now"}).status_code == 404
    client.force_login(referrer)
    assert client.get(url).status_code == 403


# --- a new service ----------------------------------------------------------------------


def test_an_editor_adds_a_service_which_is_published_at_once(client, vcse_editor, listing_org):
    arts = term(CATEGORY, "arts")
    client.force_login(vcse_editor)
    listings = client.get("/directory/listings/").content.decode()
    url = reverse("directory:service_new", args=[listing_org.id])
    assert url in listings
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "name": "Saturday sketching",
            "description": "Drawing in the park, pencils provided.",
            "categories": [arts.id],
            "referral_routes": "self",
        },
    )

    service = Service.objects.get(name="Saturday sketching")
    assert response["Location"] == reverse("directory:service_manage", args=[service.id])
    assert service.organization == listing_org
    assert list(service.taxonomy_terms.all()) == [arts]
    assert service.capacity.status == "accepting"
    assert service.assured_date == timezone.localdate()
    change = ServiceChange.objects.get(service=service)
    assert (change.kind, change.actor) == (ChangeKind.CREATED, vcse_editor)
    assert change.changes["name"] == ["", "Saturday sketching"]
    assert AuditEvent.objects.for_object("directory.service", service.id).get().action == (
        AuditAction.CREATE
    )
    assert service in services_awaiting_review()
    assert "Saturday sketching" in client.get("/directory/", {"q": "sketching"}).content.decode()


def test_a_new_service_needs_a_name_and_what_it_offers(client, vcse_editor, listing_org):
    client.force_login(vcse_editor)
    response = client.post(
        reverse("directory:service_new", args=[listing_org.id]), {"referral_routes": "nonsense"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert "Choose at least one thing the service offers" in content
    assert not Service.objects.filter(organization=listing_org).exists()


def test_a_rejected_organisation_cannot_add_services(client, vcse_editor, listing_org):
    listing_org.approval_status = ApprovalStatus.REJECTED
    listing_org.save()
    client.force_login(vcse_editor)
    assert client.get(reverse("directory:service_new", args=[listing_org.id])).status_code == 404


def test_an_administrator_may_add_a_service_to_any_organisation(
    client, directory_admin, listing_org
):
    client.force_login(directory_admin)
    response = client.post(
        reverse("directory:service_new", args=[listing_org.id]),
        {"name": "Added by the council", "description": "x",
         "categories": [term(CATEGORY, "arts").id], "referral_routes": "both"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Service.objects.filter(organization=listing_org, name="Added by the council").exists()


# --- the overview -----------------------------------------------------------------------


def test_the_overview_shows_every_part_with_change_links(
    client, vcse_editor, own_service, place, times, contact, django_assert_num_queries
):
    client.force_login(vcse_editor)
    # 1 the user with their roles (the session is cached), 2 the service with organisation
    # and capacity (the editor's organisations a subquery), then its prefetches: 3 the
    # organisation's identifiers, 4 schedules, 5 areas, 6 places, 7 their addresses,
    # 8 accessibility and 9 times, 10 languages, 11 funding, 12 costs, 13 contacts,
    # 14 phones, 15 attributes, 16 terms; nothing per row
    with django_assert_num_queries(16):
        response = client.get(reverse("directory:service_manage", args=[own_service.id]))
    content = response.content.decode()
    assert response.status_code == 200
    for name, args in [
        ("service_edit", ()),
        ("service_eligibility", ()),
        ("location_edit", (place.id,)),
        ("schedule_edit", (times.id,)),
        ("contact_edit", (contact.id,)),
        ("location_add", ()),
        ("schedule_add", ()),
        ("contact_add", ()),
    ]:
        assert reverse(f"directory:{name}", args=[own_service.id, *args]) in content
    assert "10:00 to 12:00" in content
    assert "01632 960000" in content
    assert "NS1 1AA" in content


# --- opening times ----------------------------------------------------------------------


def test_adding_opening_times_publishes_and_records_them(client, vcse_editor, own_service):
    own_service.reviewed_at = timezone.now()
    own_service.save()
    client.force_login(vcse_editor)

    response = client.post(
        reverse("directory:schedule_add", args=[own_service.id]),
        {"days": ["WE", "MO"], "opens_at": "9.30", "closes_at": "2pm", "description": ""},
    )

    assert response.status_code == 302
    schedule = own_service.schedules.get()
    assert (schedule.freq, schedule.byday) == ("WEEKLY", "MO,WE")
    assert (schedule.opens_at, schedule.closes_at) == (time(9, 30), time(14))
    change = edits(own_service).get()
    assert change.actor == vcse_editor
    assert change.changes == {"opening times": ["", "Monday and Wednesday 09:30 to 14:00"]}
    assert AuditEvent.objects.for_object("directory.service", own_service.id).exists()
    assert own_service in services_awaiting_review()
    detail = client.get(reverse("directory:service_detail", args=[own_service.id]))
    assert "Monday and Wednesday 09:30 to 14:00" in detail.content.decode()
    # and the ORUK feed publishes them
    oruk = client.get(f"/oruk/services/{own_service.id}").json()
    assert oruk["schedules"][0]["byday"] == "MO,WE"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"days": ["MO"], "opens_at": "14:00", "closes_at": "10:00"},
         "The closing time must be after the opening time"),
        ({"days": ["MO"], "opens_at": "10:00", "closes_at": "10:00"},
         "The closing time must be after the opening time"),
        ({"days": ["MO"], "opens_at": "lunchtime", "closes_at": "14:00"},
         "Enter a time, like 09:30 or 14:00"),
        ({"days": ["MO"], "opens_at": "25:00", "closes_at": "26:00"},
         "Enter a time, like 09:30 or 14:00"),
        ({"opens_at": "10:00", "closes_at": "12:00"}, "Choose the days it is open"),
        ({"days": ["XX"], "opens_at": "10:00", "closes_at": "12:00"}, "Select a valid choice"),
        ({"days": ["MO"], "closes_at": "12:00"}, "Enter the time it opens"),
    ],
)  # fmt: skip
def test_opening_times_are_checked_and_errors_shown_not_500(
    client, vcse_editor, own_service, data, message
):
    client.force_login(vcse_editor)
    response = client.post(reverse("directory:schedule_add", args=[own_service.id]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "nhsuk-error-summary" in content
    assert not Schedule.objects.exists()
    assert not edits(own_service).exists()


def test_opening_times_can_be_at_one_of_several_places(client, vcse_editor, own_service, place):
    second = AddressFactory(location__organization=own_service.organization).location
    at_second = ServiceAtLocationFactory(service=own_service, location=second)
    client.force_login(vcse_editor)
    page = client.get(reverse("directory:schedule_add", args=[own_service.id])).content.decode()
    assert f"At {second.name}" in page

    client.post(
        reverse("directory:schedule_add", args=[own_service.id]),
        {"days": ["FR"], "opens_at": "10:00", "closes_at": "11:00", "at": at_second.id},
    )

    schedule = Schedule.objects.get()
    assert (schedule.service, schedule.service_at_location) == (None, at_second)
    assert edits(own_service).get().changes["opening times"][1] == (
        f"Friday 10:00 to 11:00 at {second.name}"
    )


def test_changing_and_removing_opening_times(client, vcse_editor, own_service, times):
    client.force_login(vcse_editor)
    url = reverse("directory:schedule_edit", args=[own_service.id, times.id])
    assert 'value="10:00"' in client.get(url).content.decode()

    client.post(url, {"days": ["MO", "TU"], "opens_at": "10:00", "closes_at": "13:00"})
    times.refresh_from_db()
    assert (times.byday, times.closes_at) == ("MO,TU", time(13))
    assert edits(own_service).get().changes["opening times"] == [
        "Monday 10:00 to 12:00",
        "Monday and Tuesday 10:00 to 13:00",
    ]

    client.post(reverse("directory:schedule_remove", args=[own_service.id, times.id]))
    assert not Schedule.objects.exists()
    assert edits(own_service).first().changes["opening times"] == [
        "Monday and Tuesday 10:00 to 13:00",
        "",
    ]


def test_saving_unchanged_times_writes_no_history(client, vcse_editor, own_service, times):
    client.force_login(vcse_editor)
    client.post(
        reverse("directory:schedule_edit", args=[own_service.id, times.id]),
        {"days": ["MO"], "opens_at": "10:00", "closes_at": "12:00"},
    )
    assert not edits(own_service).exists()


# --- places -----------------------------------------------------------------------------

PLACE = {
    "name": "Riverside Community Centre",
    "address_1": "2 Mill Lane",
    "city": "Northby",
    "state_province": "Northshire",
    "postal_code": "ns2 4bb",
}


def test_adding_a_place_geocodes_its_postcode_for_distance_search(client, vcse_editor, own_service):
    PostcodeCentroid.objects.create(postcode="NS2", latitude=52.3, longitude=-0.8)
    client.force_login(vcse_editor)

    response = client.post(reverse("directory:location_add", args=[own_service.id]), PLACE)

    assert response.status_code == 302
    location = own_service.service_at_locations.get().location
    assert location.organization == own_service.organization
    assert (location.latitude, location.longitude) == (52.3, -0.8)
    assert location.addresses.get().postal_code == "NS2 4BB"
    assert edits(own_service).get().changes == {
        "place: Riverside Community Centre": [
            "",
            "Riverside Community Centre, 2 Mill Lane, Northby, NS2 4BB",
        ]
    }


@pytest.mark.parametrize("postcode", ["12345", "NS2"])
def test_a_place_needs_a_full_postcode(client, vcse_editor, own_service, postcode):
    client.force_login(vcse_editor)
    response = client.post(
        reverse("directory:location_add", args=[own_service.id]),
        PLACE | {"postal_code": postcode},
    )
    assert response.status_code == 200
    assert "Enter a full postcode, like NS1 1AA" in response.content.decode()
    assert not Location.objects.exists()


def test_changing_a_place_is_recorded_on_every_service_held_there(
    client, vcse_editor, own_service, place
):
    also_there = service_with(organization=own_service.organization, name="Coffee morning")
    ServiceAtLocationFactory(service=also_there, location=place)
    client.force_login(vcse_editor)
    url = reverse("directory:location_edit", args=[own_service.id, place.id])
    assert "1 High Street" in client.get(url).content.decode()

    client.post(url, PLACE | {"name": place.name})

    assert place.addresses.get().address_1 == "2 Mill Lane"
    for service in (own_service, also_there):
        (change,) = edits(service)
        assert change.changes[f"place: {place.name}"][1].startswith(f"{place.name}, 2 Mill Lane")


def test_removing_a_place(client, vcse_editor, own_service, place):
    client.force_login(vcse_editor)
    client.post(reverse("directory:location_remove", args=[own_service.id, place.id]))
    assert not own_service.service_at_locations.exists()
    assert not Location.objects.filter(id=place.id).exists()
    assert edits(own_service).get().changes[f"place: {place.name}"][1] == ""


# --- contacts ---------------------------------------------------------------------------


def test_adding_a_contact_with_a_phone(client, vcse_editor, own_service, contact):
    contact.is_referral_contact = True
    contact.save()
    client.force_login(vcse_editor)

    client.post(
        reverse("directory:contact_add", args=[own_service.id]),
        {"name": "Sam", "title": "Volunteer lead", "phone": "01632 960123",
         "is_referral_contact": "on"},
    )  # fmt: skip

    sam = own_service.contacts.get(name="Sam")
    assert [p.number for p in sam.phones.all()] == ["01632 960123"]
    assert sam.is_referral_contact
    contact.refresh_from_db()
    assert not contact.is_referral_contact  # only one referral contact
    assert edits(own_service).get().changes == {
        "contact: Sam": ["", "Sam, Volunteer lead, 01632 960123, referral contact"]
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Sam"}, "Give an email address or a phone number"),
        ({"email": "sam@test.example"}, "Give a name or a role"),
        ({"name": "Sam", "phone": "call me"}, "Enter a phone number"),
        ({"name": "Sam", "email": "not-an-email"}, "Enter a valid email address"),
    ],
)
def test_a_contact_is_checked(client, vcse_editor, own_service, data, message):
    client.force_login(vcse_editor)
    response = client.post(reverse("directory:contact_add", args=[own_service.id]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not own_service.contacts.exists()


def test_changing_and_removing_a_contact(client, vcse_editor, own_service, contact):
    client.force_login(vcse_editor)
    url = reverse("directory:contact_edit", args=[own_service.id, contact.id])
    assert "01632 960000" in client.get(url).content.decode()

    client.post(url, {"title": "Coordinator", "email": "hello@test.example", "phone": ""})
    contact.refresh_from_db()
    assert contact.email == "hello@test.example"
    assert not contact.phones.exists()
    assert edits(own_service).get().changes["contact: Coordinator"] == [
        "Coordinator, 01632 960000",
        "Coordinator, hello@test.example",
    ]

    client.post(reverse("directory:contact_remove", args=[own_service.id, contact.id]))
    assert not own_service.contacts.exists()


# --- eligibility ------------------------------------------------------------------------


def test_eligibility_replaces_who_it_is_for_and_keeps_what_it_offers(
    client, vcse_editor, listing_org
):
    arts, carers, older = (
        term(CATEGORY, "arts"),
        term(AUDIENCE, "carers"),
        term(AUDIENCE, "older-people"),
    )
    service = service_with(organization=listing_org, terms=[arts, carers])
    client.force_login(vcse_editor)

    response = client.post(
        reverse("directory:service_eligibility", args=[service.id]),
        {"audiences": [older.id], "minimum_age": "50", "maximum_age": ""},
    )

    assert response.status_code == 302
    assert set(service.taxonomy_terms.all()) == {arts, older}
    service.refresh_from_db()
    assert (service.minimum_age, service.maximum_age) == (50, None)
    assert edits(service).get().changes == {
        "who it is for": ["Carers", older.name],
        "minimum_age": ["", "50"],
    }


def test_an_upside_down_age_range_is_an_error_not_a_500(client, vcse_editor, own_service):
    client.force_login(vcse_editor)
    response = client.post(
        reverse("directory:service_eligibility", args=[own_service.id]),
        {"minimum_age": "65", "maximum_age": "18"},
    )
    assert response.status_code == 200
    assert "The oldest age must not be below the youngest age" in response.content.decode()


def test_an_administrator_may_edit_any_listings_times(client, directory_admin, other_service):
    client.force_login(directory_admin)
    response = client.post(
        reverse("directory:schedule_add", args=[other_service.id]),
        {"days": ["SA"], "opens_at": "10:00", "closes_at": "12:00"},
    )
    assert response.status_code == 302
    assert edits(other_service).get().actor == directory_admin
    overview = client.get(reverse("directory:service_manage", args=[other_service.id]))
    assert overview.status_code == 200


def test_history_lists_the_changes_with_who_made_them(client, vcse_editor, own_service, times):
    client.force_login(vcse_editor)
    client.post(reverse("directory:schedule_remove", args=[own_service.id, times.id]))
    history = client.get(reverse("directory:service_history", args=[own_service.id]))
    content = history.content.decode()
    assert "opening times: Monday 10:00 to 12:00" in content
    assert escape(str(vcse_editor)) in content  # names like O'Neil are HTML-escaped
