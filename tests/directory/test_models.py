from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from directory.models import CapacityStatus, Service, ServiceCapacity, TaxonomyTerm
from directory.taxonomy import AUDIENCE, CATEGORY, TERMS, taxonomy_ensure
from tests.directory.factories import ServiceFactory, service_with

pytestmark = pytest.mark.django_db


def test_the_social_prescribing_taxonomy_is_there_from_the_migration():
    names = set(TaxonomyTerm.objects.values_list("name", flat=True))
    assert {"Social connection and befriending", "Digital inclusion", "Carers"} <= names
    assert TaxonomyTerm.objects.filter(taxonomy__code=CATEGORY).count() == len(TERMS[CATEGORY])
    assert TaxonomyTerm.objects.filter(taxonomy__code=AUDIENCE).count() == len(TERMS[AUDIENCE])


def test_taxonomy_ensure_is_idempotent_and_keeps_edited_wording():
    term = TaxonomyTerm.objects.get(term="arts", taxonomy__code=CATEGORY)
    term.name = "Arts, crafts and culture"
    term.save()
    before = TaxonomyTerm.objects.count()

    taxonomy_ensure()

    assert TaxonomyTerm.objects.count() == before
    term.refresh_from_db()
    assert term.name == "Arts, crafts and culture"


def test_a_listing_unconfirmed_for_three_months_is_stale_and_sorts_after_fresh():
    today = timezone.localdate()
    fresh = ServiceFactory(name="B fresh", assured_date=today - timedelta(days=90))
    stale = ServiceFactory(name="A stale", assured_date=today - timedelta(days=92))
    never = ServiceFactory(name="C never confirmed", assured_date=None)

    assert not fresh.is_stale()
    assert stale.is_stale()
    assert never.is_stale()
    ordered = Service.objects.with_stale_rank().order_by("stale_rank", "name")
    assert list(ordered) == [fresh, stale, never]
    assert set(Service.objects.stale()) == {stale, never}


def test_capacity_unconfirmed_for_30_days_is_stale():
    capacity = service_with().capacity
    assert not capacity.is_stale()
    capacity.updated = timezone.now() - timedelta(days=31)
    assert capacity.is_stale()


def test_the_database_refuses_more_available_places_than_the_weekly_limit():
    with pytest.raises(IntegrityError):
        service_with(capacity={"available": 5, "maximum": 3})


def test_an_expected_wait_only_makes_sense_on_a_waiting_list():
    service = ServiceFactory()
    with pytest.raises(IntegrityError):
        ServiceCapacity.objects.create(
            service=service, status=CapacityStatus.ACCEPTING, expected_wait_weeks=3
        )


def test_minimum_age_cannot_exceed_maximum_age():
    with pytest.raises(IntegrityError):
        ServiceFactory(minimum_age=30, maximum_age=18)


def test_term_filters_combine_without_duplicating_services():
    arts = TaxonomyTerm.objects.get(term="arts", taxonomy__code=CATEGORY)
    carers = TaxonomyTerm.objects.get(term="carers", taxonomy__code=AUDIENCE)
    both = service_with(terms=[arts, carers])
    service_with(terms=[arts])

    assert list(Service.objects.with_term(arts.id).with_term(carers.id)) == [both]


def test_review_queue_holds_changed_unreviewed_and_stale_listings():
    now = timezone.now()
    reviewed = ServiceFactory(reviewed_at=now, last_modified=now - timedelta(hours=1))
    changed = ServiceFactory(reviewed_at=now - timedelta(days=1), last_modified=now)
    never_reviewed = ServiceFactory(reviewed_at=None)
    stale = ServiceFactory(
        reviewed_at=now,
        last_modified=now - timedelta(days=200),
        assured_date=timezone.localdate() - timedelta(days=200),
    )

    assert set(Service.objects.awaiting_review()) == {changed, never_reviewed, stale}
    assert reviewed not in Service.objects.awaiting_review()
