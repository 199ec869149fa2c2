"""The filters a search can carry, and the queryset they make."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import time

from django.db import connection
from django.db.models import (
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
)

from directory.geo import distance_metres
from directory.models import (
    Language,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceQuerySet,
)
from directory.search.text import StoredSearchDocument, _search_query, terms_like, text_search

# The most results the search page ranks and pages through: 25 pages of 20. Carrying
# every match of a broad word ("support": 6,119 at county scale) through the sort with
# its organisation and capacity cost more than the rest of the page (docs/performance.md).
SEARCH_RESULTS_CAP = 500
# A search by words alone that matches more services than this (by their documents or
# their terms) is listed by how each service matches, then by name, instead of ranked:
# ranking reads every match's document, and a word like "support" matches most of a
# large directory (61,000 of 100,000 services: 145 ms; docs/performance.md) and 4,660 of
# a county's 10,000 (the ranking query 21 ms of a 50 ms budget; ADR 0039). PostgreSQL.
BROAD_SEARCH_MATCHES = 2_000


@dataclass(frozen=True)
class ServiceFilters:
    text: str = ""
    taxonomy_term_ids: tuple[uuid.UUID, ...] = ()
    taxonomy_id: uuid.UUID | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    start_time: time | None = None
    end_time: time | None = None
    day: str = ""
    language: str = ""
    costs: tuple[str, ...] = ()
    accepting_only: bool = False
    origin: tuple[float, float] | None = None
    proximity: float | None = None


def is_broad_search(filters: ServiceFilters) -> bool:
    """Words alone (no other filter), on PostgreSQL, matching more than
    ``BROAD_SEARCH_MATCHES`` services: counted no further than that, on the document's
    GIN index and then on the terms' index, so a selective word costs almost nothing."""
    text = filters.text.strip()
    words_alone = dataclasses.replace(filters, text="") == ServiceFilters()
    if connection.vendor != "postgresql" or not text or not words_alone:
        return False
    documents = Service.objects.annotate(document=StoredSearchDocument()).filter(
        document=_search_query(text)
    )
    if documents.order_by().values("pk")[:BROAD_SEARCH_MATCHES].count() >= BROAD_SEARCH_MATCHES:
        return True
    terms = terms_like(text)
    tagged = ServiceAttribute.objects.filter(taxonomy_term__in=terms).values("service_id")
    return bool(terms) and tagged.order_by()[:BROAD_SEARCH_MATCHES].count() >= BROAD_SEARCH_MATCHES


def _schedule_filter(services: ServiceQuerySet, filters: ServiceFilters) -> ServiceQuerySet:
    if not (filters.day or filters.start_time or filters.end_time):
        return services
    # One schedule row must satisfy day, start and end together.
    schedules = Schedule.objects.filter(
        Q(service=OuterRef("pk")) | Q(service_at_location__service=OuterRef("pk"))
    )
    if filters.day:
        schedules = schedules.filter(byday__contains=filters.day)
    if filters.start_time:
        schedules = schedules.filter(opens_at__gte=filters.start_time)
    if filters.end_time:
        schedules = schedules.filter(closes_at__lte=filters.end_time)
    return services.filter(Exists(schedules))


def nearest_location_distance(origin: tuple[float, float]) -> Subquery:
    """The distance to a service's nearest located venue (null when it has none)."""
    return Subquery(
        ServiceAtLocation.objects.filter(service=OuterRef("pk"), location__latitude__isnull=False)
        .annotate(d=distance_metres(origin, prefix="location__"))
        .order_by("d")
        .values("d")[:1],
        output_field=FloatField(),
    )


def services_filter(services: ServiceQuerySet, filters: ServiceFilters) -> ServiceQuerySet:
    """Apply every filter given; annotates ``relevance`` and ``stale_rank``, and
    ``distance`` when there is an origin."""
    services = text_search(services, filters.text).with_stale_rank()
    for term in filters.taxonomy_term_ids:
        services = services.with_term(term)
    if filters.taxonomy_id:
        services = services.filter(
            Exists(
                ServiceAttribute.objects.filter(
                    service=OuterRef("pk"), taxonomy_term__taxonomy=filters.taxonomy_id
                )
            )
        )
    # The profile's literal reading: a minimum age of at least, a maximum of at most.
    if filters.minimum_age is not None:
        services = services.filter(minimum_age__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        services = services.filter(maximum_age__lte=filters.maximum_age)
    services = _schedule_filter(services, filters)
    if filters.language:
        services = services.filter(
            Exists(Language.objects.filter(service=OuterRef("pk"), code=filters.language))
        )
    if filters.costs:
        services = services.filter(cost__in=filters.costs)
    if filters.accepting_only:
        services = services.accepting_referrals()
    if filters.origin is not None:
        services = services.annotate(distance=nearest_location_distance(filters.origin))
        if filters.proximity is not None:
            # As kwargs: django-stubs cannot see the annotation, mypy would reject it.
            services = services.filter(**{"distance__lte": filters.proximity})
    return services


BY_DISTANCE = ("stale_rank", F("distance").asc(nulls_last=True), "name", "pk")


def services_order(services: ServiceQuerySet, *, by_distance: bool) -> ServiceQuerySet:
    """Fresh before stale; then nearest or most relevant first; then by name (and id, so
    services of the same name keep their places from one page to the next)."""
    if by_distance:
        return services.order_by(*BY_DISTANCE)
    return services.order_by("stale_rank", "-relevance", "name", "pk")
