"""The relevance set: what people type, and the demo services each search must find.

Words people use ("lonely", "skint"), misspellings ("befreinding") and the words
listings use all find the services meant, on whichever database runs the suite (the
PostgreSQL run is the one that counts: its stemmed documents and pg_trgm corrections
are what production uses). A few searches also name services they must not find, so
synonyms cannot pass by matching everything."""

import pytest

from demo.seeds.core import seed_core
from demo.seeds.directory import seed_directory
from directory.models import Service
from directory.search import ServiceFilters, services_filter
from directory.taxonomy import taxonomy_ensure

RELEVANCE: list[tuple[str, set[str], set[str]]] = [
    ("lonely", {"Telephone befriending", "Home visiting befriending", "Friday friendship café"},
     {"Debt advice"}),
    ("loneliness", {"Telephone befriending", "Community choir"}, set()),
    ("isolated", {"Telephone befriending", "Memory café"}, set()),
    ("befreinding", {"Telephone befriending", "Home visiting befriending"}, {"Benefits advice"}),
    ("lonley", {"Telephone befriending"}, set()),
    ("debt", {"Debt advice", "Energy bills advice"}, {"Community choir"}),
    ("money", {"Benefits advice", "Debt advice"}, set()),
    ("benifits", {"Benefits advice"}, set()),
    ("skint", {"Community pantry membership", "Benefits advice"}, set()),
    ("bills", {"Energy bills advice"}, set()),
    ("grief", {"Bereavement support"}, {"Job search skills"}),
    ("anxious", {"Managing anxiety course"}, set()),
    ("depressed", {"Wellbeing peer support group"}, set()),
    ("exercise", {"Strength and balance classes", "Health walks in Castle Park"}, set()),
    ("walking", {"Nordic walking for beginners", "Health walks in Castle Park"}, set()),
    ("gardening", {"Therapeutic gardening"}, set()),
    ("gardning", {"Therapeutic gardening"}, set()),
    ("memory", {"Memory café", "Singing for the brain"}, set()),
    ("alzheimers", {"Dementia carers' course", "Memory café"}, set()),
    ("dementa", {"Memory café"}, set()),
    ("carer", {"Carers' assessment and advice", "Carers' support group (Northby)"}, set()),
    ("homeless", {"Housing advice line"}, set()),
    ("evicted", {"Housing advice line", "Tenancy sustainment support"}, set()),
    ("computer", {"Digital drop-in", "Device and data loan"}, set()),
    ("hungry", {"Community pantry membership", "Family food club"}, set()),
    ("singing", {"Community choir", "Singing for the brain"}, set()),
    ("job", {"Job search skills"}, set()),
    ("lonely older", {"Telephone befriending"}, {"Young carers' friendship club"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """The demo directory, seeded once for the module and removed after it."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        taxonomy_ensure()
        seed_core()
        seed_directory()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "must", "must_not"), RELEVANCE, ids=[r[0] for r in RELEVANCE])
def test_search_finds_what_people_mean(directory, text, must, must_not):
    found = set(
        services_filter(Service.objects.published(), ServiceFilters(text=text)).values_list(
            "name", flat=True
        )
    )
    assert must <= found, f"{text!r} missed {sorted(must - found)}"
    assert not (must_not & found), f"{text!r} found {sorted(must_not & found)}"


def test_the_set_has_at_least_twenty_queries():
    assert len(RELEVANCE) >= 20


@pytest.mark.django_db
def test_the_open_referral_search_filter_uses_the_same_engine(directory, client):
    body = client.get("/oruk/services", {"search": "befreinding", "per_page": 50}).json()
    names = {service["name"] for service in body["contents"]}
    assert {"Telephone befriending", "Home visiting befriending"} <= names
