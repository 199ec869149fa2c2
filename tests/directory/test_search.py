"""The search page: public, filters combine, nearest first, constant queries."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from directory.models import Language, PostcodeCentroid, TaxonomyTerm
from directory.taxonomy import AUDIENCE, CATEGORY
from tests.directory.factories import LocationFactory, ServiceAtLocationFactory, service_with

pytestmark = pytest.mark.django_db


def term(taxonomy, code):
    return TaxonomyTerm.objects.get(taxonomy__code=taxonomy, term=code)


def at(service, latitude, longitude):
    ServiceAtLocationFactory(
        service=service, location=LocationFactory(latitude=latitude, longitude=longitude)
    )
    return service


def names(client, **params):
    response = client.get("/directory/", params)
    assert response.status_code == 200
    return [card.name for card in response.context["cards"]]


def test_postcode_and_category_return_nearest_first(client):
    # Given a postcode district at a known point and walking groups 1, 3 and 6 km away
    PostcodeCentroid.objects.create(postcode="NS9", latitude=52.0, longitude=-1.0)
    walking = term(CATEGORY, "physical-activity")
    at(service_with(name="Far walk", terms=[walking]), 52.054, -1.0)
    at(service_with(name="Near walk", terms=[walking]), 52.009, -1.0)
    at(service_with(name="Middle walk", terms=[walking]), 52.027, -1.0)
    at(service_with(name="Nearby choir", terms=[term(CATEGORY, "arts")]), 52.001, -1.0)

    # When someone searches for physical activity near a full postcode in that district
    response = client.get("/directory/", {"postcode": "ns9 4zz", "category": walking.id})

    # Then only walks come back, nearest first, with their distance
    cards = response.context["cards"]
    assert [card.name for card in cards] == ["Near walk", "Middle walk", "Far walk"]
    assert cards[0].listing.distance_text == "0.6 miles away"


def test_an_unknown_postcode_gets_a_clear_message_not_an_empty_list(client):
    response = client.get("/directory/", {"postcode": "ZZ1 1ZZ"})
    content = response.content.decode()
    assert "We do not know where ZZ1 1ZZ is" in content
    assert "services found" not in content
    response = client.get("/directory/", {"postcode": "banana"})
    assert "Enter a real postcode" in response.content.decode()


def test_free_text_matches_name_description_and_taxonomy(client):
    service_with(name="Tuesday knit and natter", description="Bring wool.")
    service_with(name="Green gym", description="Conservation work with tea and natter.")
    service_with(name="Allotment club", terms=[term(CATEGORY, "green")])
    service_with(name="Debt clinic")
    assert sorted(names(client, q="natter")) == ["Green gym", "Tuesday knit and natter"]
    assert names(client, q="nature") == ["Allotment club"]


def test_filters_combine(client):
    carers = term(AUDIENCE, "carers")
    wanted = service_with(name="Carers' café", terms=[carers], cost="free")
    Language.objects.create(service=wanted, code="pl")
    service_with(name="Carers' paid course", terms=[carers], cost="paid")
    full = service_with(name="Carers' full group", terms=[carers],
                        capacity={"status": "not_accepting"})  # fmt: skip
    Language.objects.create(service=full, code="pl")

    assert names(client, audience=carers.id, cost="free", language="pl", accepting="on") == [
        "Carers' café"
    ]
    assert sorted(names(client, audience=carers.id, language="pl")) == [
        "Carers' café",
        "Carers' full group",
    ]


def test_stale_listings_are_marked_and_come_after_fresh_ones(client):
    service_with(name="A stale one", assured_date=timezone.localdate() - timedelta(days=100))
    service_with(name="B fresh one")
    response = client.get("/directory/", {"q": "one"})
    assert [card.name for card in response.context["cards"]] == ["B fresh one", "A stale one"]
    assert "Not confirmed for 3 months" in response.content.decode()


def test_results_paginate_with_a_constant_number_of_queries(client, django_assert_num_queries):
    arts = term(CATEGORY, "arts")
    PostcodeCentroid.objects.create(postcode="NS9", latitude=52.0, longitude=-1.0)
    for i in range(45):
        at(service_with(name=f"Art group {i:02}", terms=[arts]), 52.0 + i / 1000, -1.0)
    client.get("/directory/")  # fills the cached term menus
    # the postcode, then the ranked ids and distances of up to 500 matches, the page of
    # services joined to organisation and capacity, and their terms joined to taxonomies
    with django_assert_num_queries(4):
        response = client.get("/directory/", {"category": arts.id, "postcode": "NS9"})
    assert response.context["page"].paginator.count == 45
    assert len(response.context["cards"]) == 20
    content = response.content.decode()
    assert "page=2" in content
    page3 = client.get("/directory/", {"category": arts.id, "postcode": "NS9", "page": 3})
    assert [card.name for card in page3.context["cards"]][0] == "Art group 40"


def test_a_published_listing_is_public_and_an_unpublished_one_is_404(client):
    service = service_with(name="Lunch club")
    assert "Lunch club" in client.get(f"/directory/services/{service.id}/").content.decode()
    hidden = service_with(organization__approval_status="pending")
    assert client.get(f"/directory/services/{hidden.id}/").status_code == 404
    assert names(client, q="") == ["Lunch club"]


def test_link_workers_see_the_track_record_fragment_the_public_does_not(client, link_worker):
    service = service_with(name="Lunch club")
    fragment = f'hx-get="/services/{service.id}/track-record/"'
    assert fragment not in client.get(f"/directory/services/{service.id}/").content.decode()

    client.force_login(link_worker)
    assert fragment in client.get(f"/directory/services/{service.id}/").content.decode()
    # The path the page asks for is served (by the link worker app).
    assert client.get(f"/services/{service.id}/track-record/").status_code == 200


def test_import_postcodes_reads_the_ons_directory_and_district_csvs(tmp_path):
    ons = tmp_path / "onspd.csv"
    ons.write_text(
        "pcd,pcds,lat,long\nNS1 1AA,NS1 1AA,52.24,-0.89\nNS1 9ZZ,NS1 9ZZ,99.999999,0.000000\n"
    )
    districts = tmp_path / "districts.csv"
    districts.write_text("postcode,latitude,longitude\nns7,52.1,-0.8\n")

    call_command("import_postcodes", str(ons))
    call_command("import_postcodes", str(districts))
    call_command("import_postcodes", str(districts))  # again: updates, no duplicates

    assert set(PostcodeCentroid.objects.values_list("postcode", flat=True)) == {"NS1 1AA", "NS7"}


def test_demo_postcodes_come_from_the_shipped_district_file(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert PostcodeCentroid.objects.filter(postcode__in=["NS1", "FB5"]).count() == 2


def test_a_search_matching_more_than_the_cap_says_so_and_pages_through_the_first(
    client, monkeypatch
):
    # Given more walking groups than the search ranks, fresh and stale
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 25)
    for i in range(30):
        service_with(name=f"Walk {i:02}")
    service_with(name="Walk 00 again", assured_date=timezone.localdate() - timedelta(days=100))

    # When someone searches for them
    response = client.get("/directory/", {"q": "walk"})

    # Then the page says the count is a floor and how to narrow the search
    content = response.content.decode()
    assert "More than 25 services found" in content
    assert "These pages show the 25 best matches. Add a word, a category or a postcode" in content
    page = response.context["page"]
    assert page.paginator.count == 25
    assert page.paginator.num_pages == 2
    # and the pages hold the first 25 in the search's order: fresh first, then by name
    last = client.get("/directory/", {"q": "walk", "page": 2}).context["cards"]
    assert [card.name for card in last] == ["Walk 20", "Walk 21", "Walk 22", "Walk 23", "Walk 24"]


def test_a_search_within_the_cap_gives_the_exact_count_and_no_hint(client):
    service_with(name="Walk one")
    service_with(name="Walk two")
    content = client.get("/directory/", {"q": "walk"}).content.decode()
    assert "2 services found" in content
    assert "These pages show" not in content


def test_a_search_with_no_results_says_so(client):
    service_with(name="Lunch club")
    content = client.get("/directory/", {"q": "ukulele"}).content.decode()
    assert "0 services found" in content


def test_the_nearest_are_kept_when_a_postcode_search_is_capped(client, monkeypatch):
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 2)
    PostcodeCentroid.objects.create(postcode="NS9", latitude=52.0, longitude=-1.0)
    at(service_with(name="Far"), 52.05, -1.0)
    at(service_with(name="Near"), 52.01, -1.0)
    at(service_with(name="Nearer"), 52.005, -1.0)
    response = client.get("/directory/", {"postcode": "NS9"})
    assert [card.name for card in response.context["cards"]] == ["Nearer", "Near"]
    assert response.context["cards"][0].listing.distance_text == "0.3 miles away"
    assert "These pages show the 2 nearest." in response.content.decode()


def test_renaming_a_term_in_the_admin_renames_it_in_the_search_menu(admin_client):
    befriending = term(CATEGORY, "befriending")
    assert "Social connection and befriending" in admin_client.get("/directory/").content.decode()

    response = admin_client.post(
        f"/admin/directory/taxonomyterm/{befriending.id}/change/",
        {
            "taxonomy": befriending.taxonomy_id,
            "term": befriending.term,
            "name": "Friendship and company",
            "description": befriending.description,
        },
    )

    assert response.status_code == 302
    content = admin_client.get("/directory/").content.decode()
    assert "Friendship and company" in content
    assert "Social connection and befriending" not in content


def test_an_unknown_category_is_refused(client):
    response = client.get("/directory/", {"category": "5b0f6a36-3a55-4b9e-9f39-6f1d4d6c2a10"})
    assert "Select a valid choice" in response.content.decode()
    assert "page" not in response.context


# Distance searches on PostgreSQL that match more than SMALL_MATCHES services rank the
# services within the first radius that holds a full set of fresh results
# (directory.search.nearest_rows); the answers must be those of ranking every service,
# which is what fewer matches get. Each test runs both ways (``ns9``'s parameter: rings
# read, or all ranked at once). On SQLite every service is ranked: the same expectations.
# A kilometre north of NS9 is 0.009 degrees of latitude; east, 0.0147 of longitude.


@pytest.fixture(params=["radii", "all at once"])
def ns9(request, db, monkeypatch):
    if request.param == "radii":
        monkeypatch.setattr("directory.search.ranking.SMALL_MATCHES", 0)
    return PostcodeCentroid.objects.create(postcode="NS9", latitude=52.0, longitude=-1.0)


def test_a_radius_with_enough_fresh_services_gives_the_nearest_first(client, monkeypatch, ns9):
    # Given a 2 km radius, two services within it, one in the corner of its box (2.7 km
    # away) and one just outside the box (2.2 km away, nearer than the corner one)
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 3)
    monkeypatch.setattr("directory.search.ranking.NEAR_RADII_METRES", (2_000.0, 8_000.0))
    at(service_with(name="Corner"), 52.0171, -1.0279)
    at(service_with(name="Just outside"), 52.0198, -1.0)
    at(service_with(name="One km"), 52.009, -1.0)
    at(service_with(name="Half a km"), 52.0, -0.9926)
    at(service_with(name="Far away"), 52.5, -1.0)

    # When three are asked for and too few are fresh within 2 km, 8 km is read; when
    # one is asked for, 2 km is enough
    assert names(client, postcode="NS9") == ["Half a km", "One km", "Just outside"]
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 1)
    assert names(client, postcode="NS9") == ["Half a km"]


def test_too_few_fresh_services_near_ranks_every_service(client, monkeypatch, ns9):
    # Given a 1 km radius holding a stale service and a fresh one, and others far away,
    # one of them with no venue at all
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 3)
    monkeypatch.setattr("directory.search.ranking.NEAR_RADII_METRES", (1_000.0,))
    stale = timezone.localdate() - timedelta(days=100)
    at(service_with(name="Near but stale", assured_date=stale), 52.001, -1.0)
    at(service_with(name="Near"), 52.002, -1.0)
    at(service_with(name="Fifty km"), 52.45, -1.0)
    at(service_with(name="Twenty km"), 52.18, -1.0)
    service_with(name="Nowhere")

    # Then the fresh come first, nearest first, and the stale one after them
    assert names(client, postcode="NS9") == ["Near", "Twenty km", "Fifty km"]
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 10)
    assert names(client, postcode="NS9") == [
        "Near", "Twenty km", "Fifty km", "Nowhere", "Near but stale",
    ]  # fmt: skip


def test_a_service_with_several_venues_is_ranked_once_by_its_nearest(client, monkeypatch, ns9):
    monkeypatch.setattr("directory.search.ranking.NEAR_RADII_METRES", (2_000.0,))
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 1)
    walks = at(at(service_with(name="Walks"), 52.3, -1.0), 52.003, -1.0)
    at(service_with(name="Choir"), 52.005, -1.0)
    response = client.get("/directory/", {"postcode": "NS9"})
    assert [card.name for card in response.context["cards"]] == ["Walks"]
    assert response.context["cards"][0].listing.service == walks
    assert response.context["cards"][0].listing.distance_text == "0.2 miles away"


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="broad searches are told apart on PostgreSQL"
)


@pytest.fixture
def carers_services(db):
    """Services matching "carers" each way: by a category it names (Carers' support), by
    name, by description only, and stale; one matching nothing. Ranked, the name matches
    would come before the description match."""
    carers = term(CATEGORY, "carers")
    service_with(name="Beta group", terms=[carers])
    service_with(name="Yankee carers", terms=[carers])
    service_with(name="Zed carers circle")
    service_with(name="Alpha club", description="A club for carers and the people they help.")
    service_with(name="Stale carers club", assured_date=timezone.localdate() - timedelta(days=100))
    service_with(name="Unrelated")


@on_postgresql
def test_a_broad_search_lists_by_how_services_match_then_by_name(
    client, monkeypatch, carers_services
):
    # Given a directory where "carers" counts as a broad word
    monkeypatch.setattr("directory.search.filters.BROAD_SEARCH_MATCHES", 3)

    response = client.get("/directory/", {"q": "carers"})

    # Then fresh services in the category come first, then the others that mention the
    # word, each from A to Z (not by how often they use it), and the stale one last
    assert [card.name for card in response.context["cards"]] == [
        "Beta group",
        "Yankee carers",
        "Alpha club",
        "Zed carers circle",
        "Stale carers club",
    ]
    assert "5 services found" in response.content.decode()


@on_postgresql
def test_a_capped_broad_search_says_how_its_pages_are_ordered(client, monkeypatch, carers_services):
    monkeypatch.setattr("directory.search.filters.BROAD_SEARCH_MATCHES", 3)
    monkeypatch.setattr("directory.views.public.SEARCH_RESULTS_CAP", 2)

    response = client.get("/directory/", {"q": "carers"})

    assert names(client, q="carers") == ["Beta group", "Yankee carers"]
    content = response.content.decode()
    assert "More than 2 services found" in content
    assert "show the first 2 by how they match" in content


@on_postgresql
def test_a_search_below_the_broad_threshold_or_with_a_filter_is_ranked(
    client, monkeypatch, carers_services
):
    monkeypatch.setattr("directory.search.filters.BROAD_SEARCH_MATCHES", 100)
    ranked = names(client, q="carers")
    # The category and the name together outrank the category alone.
    assert ranked[0] == "Yankee carers"
    assert ranked.index("Yankee carers") < ranked.index("Beta group")

    # A category narrows the search: ranked, however broad the words alone
    monkeypatch.setattr("directory.search.filters.BROAD_SEARCH_MATCHES", 3)
    carers = term(CATEGORY, "carers")
    assert names(client, q="carers", category=carers.id) == ["Yankee carers", "Beta group"]


def test_each_result_lists_its_terms_by_vocabulary_then_name_and_links_to_its_page(client):
    # Given a service with terms of both vocabularies, given out of order, and one with none
    tagged = service_with(
        name="Craft café",
        terms=[term(AUDIENCE, "carers"), term(CATEGORY, "green"), term(CATEGORY, "arts")],
    )
    service_with(name="Craft walk")
    # When someone searches for both
    response = client.get("/directory/", {"q": "craft"})
    # Then each card shows its own terms, "Social prescribing categories" before "Who it
    # is for" and by name within each, and links to the service's own page
    cards = {card.name: card.listing for card in response.context["cards"]}
    assert cards["Craft café"].categories == ["Arts and culture", "Green and nature", "Carers"]
    assert cards["Craft walk"].categories == []
    content = response.content.decode()
    assert "Arts and culture, Green and nature, Carers" in content
    assert f'<a href="/directory/services/{tagged.id}/">Craft café</a>' in content


def test_a_result_card_shows_its_organisation_distance_summary_and_categories(client):
    # Given a service of an organisation whose name needs escaping, 1 km from NS9, with a
    # 50-word description and a category
    PostcodeCentroid.objects.create(postcode="NS9", latitude=52.0, longitude=-1.0)
    walking = term(CATEGORY, "physical-activity")
    words = " ".join(f"word{n}" for n in range(50))
    service = at(service_with(name="Walk & talk", description=words, terms=[walking]), 52.009, -1.0)
    service.organization.name = "Friends <of> the Park"
    service.organization.save()

    page = client.get("/directory/", {"postcode": "NS9"}).content.decode()

    # Then the card names the organisation (escaped) and the distance on one line, shows
    # the first 40 words of the description and the categories
    assert '<h3 class="nhsuk-card__heading"><a href=' in page
    assert ">Walk &amp; talk</a></h3>" in page
    assert "Friends &lt;of&gt; the Park · 0.6 miles away" in page
    assert f"{' '.join(f'word{n}' for n in range(40))} …" in page
    assert "word40" not in page
    assert f'<p class="nhsuk-body-s">{walking.name}</p>' in page
