"""The Open Referral UK API at /oruk/: shape (validated against the profile's schemas),
filters, pagination, openness."""

from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from directory.models import (
    ApprovalStatus,
    Language,
    PostcodeCentroid,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from directory.oruk import ORUK_VERSION
from directory.taxonomy import AUDIENCE, CATEGORY
from tests.directory.factories import (
    AddressFactory,
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    service_with,
)
from tests.directory.oruk_schemas import assert_no_nulls, assert_page, assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def term(taxonomy: str, code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(taxonomy__code=taxonomy, term=code)


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.status_code, response.json()


def test_root_names_the_profile(client):
    status, body = get_json(client, "/oruk/")
    assert status == 200
    assert body["version"] == ORUK_VERSION == "HSDS-UK-3.0"
    assert body["openapi_url"].startswith("https://")
    assert body["profile"].startswith("https://")


def test_every_demo_service_validates_against_the_profile(client, demo):
    ids = list(Service.objects.published().values_list("id", flat=True))
    assert len(ids) >= 40
    for service_id in ids:
        status, body = get_json(client, f"/oruk/services/{service_id}")
        assert status == 200
        assert_valid("compiled/service.json", body)
        assert_no_nulls(body)
        assert "service_at_locations" in body or "schedules" in body


def test_every_demo_service_at_location_validates_against_the_profile(client, demo):
    for sal_id in ServiceAtLocation.objects.values_list("id", flat=True):
        status, body = get_json(client, f"/oruk/service_at_locations/{sal_id}")
        assert status == 200
        assert_valid("compiled/service_at_location.json", body)
        assert_no_nulls(body)


def test_list_pages_validate_and_page_through_everything(client, demo):
    seen = []
    page = 1
    while True:
        status, body = get_json(client, "/oruk/services", page=page, per_page=10)
        assert status == 200
        assert_page(body, "compiled/service_list.json")
        assert_no_nulls(body["contents"])
        seen += [s["id"] for s in body["contents"]]
        if body["last_page"]:
            break
        page += 1
    assert body["total_pages"] == page
    assert len(seen) == len(set(seen)) == body["total_items"]
    status, body = get_json(client, "/oruk/service_at_locations", per_page=100)
    assert_page(body, "compiled/service_at_location_list.json")


def test_taxonomies_and_terms_validate(client):
    status, body = get_json(client, "/oruk/taxonomies")
    assert_page(body, "taxonomy.json")
    assert body["total_items"] == Taxonomy.objects.count()
    status, body = get_json(client, f"/oruk/taxonomies/{body['contents'][0]['id']}")
    assert_valid("taxonomy.json", body)
    assert body["taxonomy_terms"]
    status, body = get_json(client, "/oruk/taxonomy_terms", per_page=5)
    assert_page(body, "taxonomy_term.json")
    assert body["size"] == 5
    status, body = get_json(client, f"/oruk/taxonomy_terms/{body['contents'][0]['id']}")
    assert status == 200
    assert_valid("taxonomy_term.json", body)


def test_capacity_and_staleness_are_clearly_named_extensions(client):
    stale = service_with(
        name="Old listing",
        assured_date=timezone.localdate() - timedelta(days=100),
        capacity={"status": "waiting_list", "expected_wait_weeks": 3, "maximum": 8},
    )
    service_with(name="Zebra fresh listing")

    _, body = get_json(client, "/oruk/services")

    # Stale listings are shown, after fresh ones.
    assert [s["name"] for s in body["contents"]] == ["Zebra fresh listing", "Old listing"]
    item = body["contents"][1]
    assert item["id"] == str(stale.id)
    assert item["x_socialrx_stale"] is True
    assert item["x_socialrx_service_capacity"] | {"updated": None} == {
        "status": "waiting_list",
        "status_label": "Waiting list",
        "maximum": 8,
        # Counted from this week's connections: none yet, so all 8 places are left.
        "available": 8,
        "full_this_week": False,
        "unit": "referrals per week",
        "expected_wait_weeks": 3,
        "stale": False,
        "updated": None,
    }


def test_pages_run_fresh_then_stale_each_by_name_across_the_boundary(client):
    # Given fresh and stale listings whose names interleave, two of them namesakes
    old = timezone.localdate() - timedelta(days=100)
    for name in ("B fresh", "D fresh", "A fresh", "C fresh"):
        service_with(name=name)
    for name in ("B stale", "A stale", "C stale"):
        service_with(name=name, assured_date=old)
    service_with(name="A stale", assured_date=None)  # never confirmed: stale too

    # When a consumer pages through three at a time
    pages = [get_json(client, "/oruk/services", page=n, per_page=3)[1] for n in (1, 2, 3, 4)]

    # Then every fresh listing comes before every stale one, each part by name, once each
    names = [s["name"] for body in pages for s in body["contents"]]
    assert names == ["A fresh", "B fresh", "C fresh", "D fresh",
                     "A stale", "A stale", "B stale", "C stale"]  # fmt: skip
    assert len({s["id"] for body in pages for s in body["contents"]}) == 8
    assert [(b["total_items"], b["total_pages"], b["last_page"]) for b in pages[2:]] == [
        (8, 3, True),
        (8, 3, True),
    ]
    assert pages[3]["empty"] is True


def test_unpublished_listings_are_not_in_the_feed(client):
    pending = service_with(organization__approval_status=ApprovalStatus.PENDING)
    defunct = service_with(status=ServiceStatus.DEFUNCT)
    _, body = get_json(client, "/oruk/services")
    assert body["total_items"] == 0
    assert body["empty"] is True
    for service in (pending, defunct):
        status, body = get_json(client, f"/oruk/services/{service.id}")
        assert status == 404
        assert body["message"]


def test_filters_combine(client):
    arts, carers = term(CATEGORY, "arts"), term(AUDIENCE, "carers")
    match = service_with(
        name="Singing for carers", terms=[arts, carers], minimum_age=18, maximum_age=65
    )
    ScheduleFactory(service=match, byday="MO,WE", opens_at=time(10), closes_at=time(12))
    service_with(name="Singing for everyone", terms=[arts], minimum_age=18, maximum_age=65)
    evening = service_with(name="Evening singing for carers", terms=[arts, carers])
    ScheduleFactory(service=evening, byday="MO", opens_at=time(18), closes_at=time(20))

    def names(**params):
        status, body = get_json(client, "/oruk/services", **params)
        assert status == 200, body
        return sorted(s["name"] for s in body["contents"])

    assert names(taxonomy_term_id=arts.id, search="carers") == [
        "Evening singing for carers",
        "Singing for carers",
    ]
    assert names(taxonomy_term_id=carers.id, minimum_age=18) == ["Singing for carers"]
    assert names(taxonomy_id=carers.taxonomy_id, maximum_age=70) == ["Singing for carers"]
    assert names(day="monday", end_time="13:00") == ["Singing for carers"]
    assert names(day="MO", start_time="17:00") == ["Evening singing for carers"]
    assert names(day="FR") == []
    assert names(search="singing everyone") == ["Singing for everyone"]


def test_service_at_locations_by_postcode_come_nearest_first_within_proximity(client):
    PostcodeCentroid.objects.create(postcode="NS9", latitude=52.0, longitude=-1.0)
    near = ServiceAtLocationFactory(
        service=service_with(name="Near"), location=LocationFactory(latitude=52.001, longitude=-1.0)
    )
    far = ServiceAtLocationFactory(
        service=service_with(name="Far"), location=LocationFactory(latitude=52.02, longitude=-1.0)
    )
    AddressFactory(location=near.location, postal_code="NS9 1AA")

    _, body = get_json(client, "/oruk/service_at_locations", postcode="ns9 9zz")
    assert [s["id"] for s in body["contents"]] == [str(near.id), str(far.id)]
    # 0.001 degrees of latitude is about 111 metres.
    assert 100 < body["contents"][0]["x_socialrx_distance_metres"] < 120
    assert body["contents"][0]["location"]["addresses"][0]["postal_code"] == "NS9 1AA"

    _, body = get_json(client, "/oruk/service_at_locations", postcode="NS9", proximity=1000)
    assert [s["id"] for s in body["contents"]] == [str(near.id)]


def test_bad_parameters_get_one_error_shape_not_an_empty_list(client):
    for params in (
        {"postcode": "ZZ99 9ZZ"},
        {"page": "0"},
        {"per_page": "100000"},
        {"taxonomy_term_id": "arts"},
        {"day": "someday"},
        {"start_time": "noon"},
        {"minimum_age": "old"},
    ):
        status, body = get_json(client, "/oruk/service_at_locations", **params)
        assert status == 400, params
        assert set(body) == {"message", "extra"}
        assert list(body["extra"]["fields"]) == list(params)


def test_no_api_key_needed_and_bad_tokens_do_not_matter(client):
    response = client.get("/oruk/services", HTTP_AUTHORIZATION="Token nonsense")
    assert response.status_code == 200


def test_list_query_count_does_not_grow_with_results(client, django_assert_num_queries):
    languages = ["en", "pl"]
    for i in range(30):
        # Half with a weekly limit, whose week ("full this week") each item shows
        service = service_with(
            name=f"Service {i}",
            terms=[term(CATEGORY, "arts")],
            capacity={"maximum": 10} if i % 2 else {},
        )
        for code in languages:
            Language.objects.create(service=service, code=code)
        ServiceAtLocationFactory(service=service)
    # the count (all and fresh), then one page of services joined to organisation and
    # capacity with each one's places taken this week, its fresh and stale parts read by
    # name from the (name, id) index
    with django_assert_num_queries(2):
        body = client.get("/oruk/services", {"per_page": 30}).json()
    weeks = [s["x_socialrx_service_capacity"].get("full_this_week") for s in body["contents"]]
    assert weeks.count(False) == 15  # the 15 with a limit say so; the rest have no week
    # count, one page of service-at-locations with location joined, their addresses, then
    # their services with organisation, capacity and places taken this week
    with django_assert_num_queries(4):
        body = client.get("/oruk/service_at_locations", {"per_page": 30}).json()
    assert len(body["contents"]) == 30


def test_the_whole_lists_totals_are_cached_and_stay_exact_as_listings_change(
    client, django_assert_num_queries
):
    # Given three published services, counted once
    first, second, third = (service_with(name=n) for n in ("A walk", "B choir", "C garden"))
    assert get_json(client, "/oruk/services")[1]["total_items"] == 3

    # When the list is read again, its counts come from the cache: the page alone
    with django_assert_num_queries(1):
        _, body = get_json(client, "/oruk/services")
    assert body["total_items"] == 3

    # Then a service added, removed, or whose organisation is no longer approved, or
    # one gone stale, changes the totals and the fresh-first order at once
    fourth = service_with(name="D lunch club")
    assert get_json(client, "/oruk/services")[1]["total_items"] == 4
    first.delete()
    assert get_json(client, "/oruk/services")[1]["total_items"] == 3
    second.organization.approval_status = ApprovalStatus.PENDING
    second.organization.save()
    _, body = get_json(client, "/oruk/services", per_page=1)
    assert (body["total_items"], body["total_pages"]) == (2, 2)
    third.assured_date = timezone.localdate() - timedelta(days=100)
    third.save()
    _, body = get_json(client, "/oruk/services")
    assert [s["name"] for s in body["contents"]] == [fourth.name, third.name]


def test_a_filtered_lists_totals_are_counted_on_each_request(client, django_assert_num_queries):
    arts = term(CATEGORY, "arts")
    service_with(name="Choir", terms=[arts])
    params = {"taxonomy_term_id": arts.id}
    assert get_json(client, "/oruk/services", **params)[1]["total_items"] == 1
    # A term added to a listing sends no signal the cache would hear of
    painting = service_with(name="Painting")
    painting.attributes.create(taxonomy_term=arts)
    with django_assert_num_queries(2):
        _, body = get_json(client, "/oruk/services", **params)
    assert body["total_items"] == 2
