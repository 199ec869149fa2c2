"""Reads of the published directory, and how each is loaded. No personal data: anyone
may read these (who may change a listing is ``directory.permissions``)."""

from __future__ import annotations

import datetime
import functools
import uuid

from django.db import connections, router
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from directory.capacity import with_places_taken
from directory.geo import distance_metres
from directory.models import (
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceQuerySet,
    Taxonomy,
    TaxonomyTerm,
)
from directory.search import ServiceFilters, services_filter
from socialrx.core.capacity import week_bounds
from socialrx.core.prepared import Prepared


def services_published() -> ServiceQuerySet:
    return Service.objects.published()


@functools.cache
def _term_names_sql(alias: str) -> tuple[str, str]:
    """The query's text either side of its list of service ids."""
    q = connections[alias].ops.quote_name
    head = (
        f"SELECT a.{q('service_id')}, t.{q('name')}"
        f" FROM {q(ServiceAttribute._meta.db_table)} a"
        f" JOIN {q(TaxonomyTerm._meta.db_table)} t ON t.{q('id')} = a.{q('taxonomy_term_id')}"
        f" LEFT JOIN {q(Taxonomy._meta.db_table)} x ON x.{q('id')} = t.{q('taxonomy_id')}"
        f" WHERE a.{q('service_id')} IN ("
    )
    return head, f") ORDER BY x.{q('name')}, t.{q('name')}"


def term_names_of(service_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The names of each service's terms, as ``taxonomy_terms`` lists them (by
    vocabulary, then name), in one query whose SQL is written once per database: the
    ORM's prefetch of the terms was a tenth of a search page (issue 17)."""
    if not service_ids:
        return {}
    alias = router.db_for_read(ServiceAttribute)
    connection = connections[alias]
    pk = Service._meta.pk
    assert pk is not None
    params = [pk.get_db_prep_value(i, connection) for i in service_ids]
    head, tail = _term_names_sql(alias)
    names: dict[uuid.UUID, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"{head}{', '.join(['%s'] * len(params))}{tail}", params)
        for service_id, name in cursor.fetchall():
            names.setdefault(pk.to_python(service_id), []).append(name)
    return names


# The search results' query, its SQL written once a week: this week's places taken are
# counted between dates written into it (``with_places_taken``).
_search_results: dict[datetime.datetime, Prepared[Service]] = {}


def search_results_of(service_ids: list[uuid.UUID]) -> list[Service]:
    """The published services among ``service_ids``, as a search result shows them
    (``for_search_results``, this week's places taken), in no particular order. The
    query's SQL is built once a week for each number of ids (ADR 0034): building it was
    a tenth of a search page (issue 17)."""
    week = week_bounds()[0]
    prepared = _search_results.get(week)
    if prepared is None:
        _search_results.clear()
        prepared = _search_results[week] = Prepared(
            lambda ids: services_published().for_search_results(now=week).filter(pk__in=ids)
        )
    return prepared(service_ids)


def service_published_full(service_id: uuid.UUID) -> Service:
    """One published service with everything the ORUK record nests, or 404."""
    service = services_full(services_published()).filter(id=service_id).first()
    if service is None:
        raise Http404("No such service")
    return service


def services_full(services: ServiceQuerySet) -> ServiceQuerySet:
    """Prefetch every nested record of the ORUK service, in a fixed number of queries."""
    return services.select_related("organization", "capacity").prefetch_related(
        "organization__organization_identifiers",
        "schedules",
        "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses", "location__accessibility", "schedules"
            ),
        ),
        "languages",
        "funding",
        "cost_options",
        "contacts__phones",
        Prefetch(
            "attributes",
            queryset=ServiceAttribute.objects.select_related("taxonomy_term__taxonomy"),
        ),
    )


def services_for_feed(filters: ServiceFilters) -> ServiceQuerySet:
    """The published services the Open Referral feed lists, with what each item shows
    joined, and each service's week ("full this week") in the same query, not one apiece."""
    return with_places_taken(
        services_filter(services_published(), filters).select_related("organization", "capacity")
    )


def service_at_locations_published() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(service__in=services_published()).select_related(
        "service__organization", "service__capacity", "location"
    )


def service_at_location_published(sal_id: uuid.UUID) -> ServiceAtLocation:
    sal = (
        ServiceAtLocation.objects.filter(id=sal_id, service__in=services_published())
        .select_related("location", "service__organization", "service__capacity")
        .prefetch_related("location__addresses", "location__accessibility", "schedules")
        .first()
    )
    if sal is None:
        raise Http404("No such service at location")
    return sal


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.all()


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "name")


def taxonomy_with_terms(taxonomy_id: uuid.UUID) -> Taxonomy:
    taxonomy = (
        Taxonomy.objects.filter(id=taxonomy_id)
        .prefetch_related(Prefetch("terms", queryset=taxonomy_terms()))
        .first()
    )
    if taxonomy is None:
        raise Http404("No such taxonomy")
    return taxonomy


def taxonomy_term(term_id: uuid.UUID) -> TaxonomyTerm:
    term = taxonomy_terms().filter(id=term_id).first()
    if term is None:
        raise Http404("No such taxonomy term")
    return term


def service_at_locations_for(
    services: ServiceQuerySet, filters: ServiceFilters
) -> QuerySet[ServiceAtLocation]:
    """The published services' locations, nearest first when the filters carry a place
    (within ``proximity`` metres if given), else by service and location name."""
    sals = service_at_locations_published().filter(service__in=services.values("pk"))
    if filters.origin is not None:
        sals = sals.filter(location__latitude__isnull=False).annotate(
            distance=distance_metres(filters.origin, prefix="location__")
        )
        if filters.proximity is not None:
            sals = sals.filter(distance__lte=filters.proximity)
        sals = sals.order_by("distance", "service__name")
    else:
        sals = sals.order_by("service__name", F("location__name").asc())
    # The services in one more query, each with its week's places taken ("full this
    # week"), rather than a count per row; joined, they could not carry the annotation.
    services_with_week = with_places_taken(
        Service.objects.select_related("organization", "capacity")
    )
    return (
        sals.select_related(None)
        .select_related("location")
        .prefetch_related("location__addresses", Prefetch("service", queryset=services_with_week))
    )
