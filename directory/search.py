"""Filtering the directory: one place for the ORUK API and the search page.

Every filter narrows with ``Exists`` rather than joins, so filters combine (AND)
without duplicating services and the page's query count does not grow.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Col

from directory.geo import distance_metres
from directory.models import (
    Language,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceQuerySet,
)

MAX_SEARCH_WORDS = 8
# The text search configuration of the stored document (migration 0004).
SEARCH_CONFIG = "english"


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


def text_search(services: ServiceQuerySet, text: str) -> ServiceQuerySet:
    """Match name, description and taxonomy terms; annotate ``relevance``."""
    text = text.strip()
    if not text:
        return services.annotate(relevance=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        return _postgres_search(services, text)
    # SQLite (local use and tests): every word must appear somewhere.
    for word in text.split()[:MAX_SEARCH_WORDS]:
        term_hit = ServiceAttribute.objects.filter(
            service=OuterRef("pk"), taxonomy_term__name__icontains=word
        )
        services = services.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Exists(term_hit)
        )
    return services.annotate(
        relevance=Case(
            When(name__icontains=text, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    )


class StoredSearchDocument(Expression):
    """The service's ``search_document`` column (migration 0004: a generated tsvector
    with a GIN index), as a column of whichever alias the query gives the service table.
    PostgreSQL only; the model does not declare the column."""

    # Resolving to the table's column (not to a copy of itself) is the point of this class.
    def resolve_expression(  # type: ignore[override]
        self, query: Any = None, *args: Any, **kwargs: Any
    ) -> Col:
        from django.contrib.postgres.search import SearchVectorField

        field = SearchVectorField()
        field.set_attributes_from_name("search_document")
        field.model = Service
        return Col(query.get_initial_alias(), field)


def _postgres_search(services: ServiceQuerySet, text: str) -> ServiceQuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    # The services with a matching term, found once (a hashed subplan), not per row.
    term_hit = Q(
        pk__in=ServiceAttribute.objects.filter(taxonomy_term__name__icontains=text).values(
            "service_id"
        )
    )
    return (
        services.annotate(document=StoredSearchDocument())
        .filter(Q(document=query) | term_hit)
        .annotate(
            relevance=SearchRank(F("document"), query)
            + Case(When(term_hit, then=Value(0.5)), default=Value(0.0), output_field=FloatField())
        )
    )


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


def services_order(services: ServiceQuerySet, *, by_distance: bool) -> ServiceQuerySet:
    """Fresh before stale; then nearest or most relevant first; then by name."""
    if by_distance:
        return services.order_by("stale_rank", F("distance").asc(nulls_last=True), "name")
    return services.order_by("stale_rank", "-relevance", "name")
