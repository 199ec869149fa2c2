"""Filtering the directory: one place for the ORUK API and the search page.

Every filter narrows with ``Exists`` rather than joins, so filters combine (AND)
without duplicating services and the page's query count does not grow.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import time
from functools import reduce
from typing import Any, overload

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Col

from directory.geo import box_degrees, distance_metres
from directory.models import (
    Language,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceQuerySet,
    listing_stale_cutoff,
    listings_version,
)
from directory.taxonomy import terms_named_like

MAX_SEARCH_WORDS = 8
# The most results the search page ranks and pages through: 25 pages of 20. Carrying
# every match of a broad word ("support": 6,119 at county scale) through the sort with
# its organisation and capacity cost more than the rest of the page (docs/performance.md).
SEARCH_RESULTS_CAP = 500
# The text search configuration of the stored document (migration 0004).
SEARCH_CONFIG = "english"
# A search by distance on PostgreSQL ranks the services near the origin, within the
# first of these radii that holds a full set of results, and every service only when
# none does: ranking the whole of a broad category cost time in proportion to the
# directory (docs/performance.md).
NEAR_RADII_METRES = (4_000.0, 16_000.0)
# A search by words alone that matches more services than this (by their documents or
# their terms) is listed by how each service matches, then by name, instead of ranked:
# ranking reads every match's document, and a word like "support" matches most of a
# large directory (61,000 of 100,000 services: 145 ms; docs/performance.md). PostgreSQL.
BROAD_SEARCH_MATCHES = 5_000


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


def _search_query(text: str) -> Any:
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def _postgres_search(services: ServiceQuerySet, text: str) -> ServiceQuerySet:
    from django.contrib.postgres.search import SearchRank

    query = _search_query(text)
    services = services.annotate(document=StoredSearchDocument())
    rank = SearchRank(F("document"), query)
    # The terms come from the cache; most words name none, and then the search is the
    # document match alone, which the GIN index answers (OR-ed with a term match, it
    # is tested row by row over every service).
    terms = terms_named_like(text)
    document_hit = Q(document=query)
    if not terms:
        return services.filter(document_hit).annotate(relevance=rank)
    # The services with a matching term, found once (a hashed subplan), not per row.
    term_hit = Q(
        pk__in=ServiceAttribute.objects.filter(taxonomy_term__in=terms).values("service_id")
    )
    return services.filter(document_hit | term_hit).annotate(
        relevance=rank
        + Case(When(term_hit, then=Value(0.5)), default=Value(0.0), output_field=FloatField())
    )


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
    terms = terms_named_like(text)
    tagged = ServiceAttribute.objects.filter(taxonomy_term__in=terms).values("service_id")
    return bool(terms) and tagged.order_by()[:BROAD_SEARCH_MATCHES].count() >= BROAD_SEARCH_MATCHES


def broad_search_rows(services: ServiceQuerySet, text: str, limit: int) -> list[uuid.UUID]:
    """The first ``limit`` published ``services`` matching ``text``, fresh before stale,
    those in a category the words name before the rest, each part by name. A part walks
    the (name, id) index and stops when the page has enough (a word matching most of the
    directory costs one short walk), and is read only when the parts before it fell
    short. Each part's condition is one PostgreSQL can estimate and look up (a term, the
    document's GIN index), so a part with few services is found, not walked to the end.
    """
    query = _search_query(text)
    terms = terms_named_like(text)
    tagged = Exists(
        ServiceAttribute.objects.filter(service=OuterRef("pk"), taxonomy_term__in=terms)
    )
    parts = [tagged, ~tagged & Q(document=query)] if terms else [Q(document=query)]
    candidates = services.annotate(document=StoredSearchDocument())
    # Fresh and stale as plain conditions on the date, not as ``stale_rank``: PostgreSQL
    # cannot estimate a CASE and planned a scan of every service for the first part.
    fresh = Q(assured_date__gte=listing_stale_cutoff())
    ids: list[uuid.UUID] = []
    for freshness in (fresh, ~fresh):
        for part in parts:
            if len(ids) >= limit:
                return ids
            walk = candidates.filter(freshness, part).order_by("name", "pk")
            ids += walk.values_list("pk", flat=True)[: limit - len(ids)]
    return ids


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


class RankedServices(Sequence[Service]):
    """The first ``cap`` services of an ordered search, for a ``Paginator``.

    One narrow query ranks the matches (ids and distances only) and keeps the first
    ``cap``; slicing then fetches just that slice from ``shown``, so a page costs the
    same whether 20 or 6,000 services match, and the matches are counted once.
    ``capped`` says more than ``cap`` matched: the page must say its count is a floor.
    """

    def __init__(
        self,
        ordered: ServiceQuerySet,
        shown: ServiceQuerySet,
        *,
        cap: int,
        origin: tuple[float, float] | None = None,
        broad: tuple[ServiceQuerySet, str] | None = None,
    ) -> None:
        self.cap = cap
        self._shown = shown
        # ``broad``: the services and the words of a broad search (``is_broad_search``),
        # listed by how each matches instead of ranked (``broad_search_rows``).
        self.broad = broad is not None
        with_distance = "distance" in ordered.query.annotations
        fields = ("pk", "distance") if with_distance else ("pk",)
        nearest_first = tuple(ordered.query.order_by) == BY_DISTANCE
        rows: list[Any]
        if broad is not None:
            rows = [(pk,) for pk in broad_search_rows(*broad, cap + 1)]
        elif nearest_first and origin is not None and connection.vendor == "postgresql":
            rows = nearest_rows(ordered, origin, cap + 1)
        else:
            rows = list(ordered.values_list(*fields)[: cap + 1])
        self.capped = len(rows) > cap
        self._ids: list[uuid.UUID] = [row[0] for row in rows[:cap]]
        self._distances: dict[uuid.UUID, float | None] = (
            {row[0]: row[1] for row in rows[:cap]} if with_distance else {}
        )

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Service: ...
    @overload
    def __getitem__(self, index: slice) -> list[Service]: ...
    def __getitem__(self, index: int | slice) -> Service | list[Service]:
        if isinstance(index, int):
            return self._fetch([self._ids[index]])[0]
        return self._fetch(self._ids[index])

    def __iter__(self) -> Iterator[Service]:
        return iter(self._fetch(self._ids))

    def _fetch(self, ids: list[uuid.UUID]) -> list[Service]:
        if not ids:
            return []
        found = {s.pk: s for s in self._shown.filter(pk__in=ids)}
        services = [found[pk] for pk in ids if pk in found]
        if self._distances:
            for service in services:
                # The presenter reads the distance the ranking query computed.
                service.distance = self._distances[service.pk]  # type: ignore[attr-defined]
        return services


def nearest_rows(
    ordered: ServiceQuerySet, origin: tuple[float, float], limit: int
) -> list[tuple[uuid.UUID, float | None]]:
    """The first ``limit`` (id, distance) rows of ``ordered`` (in ``BY_DISTANCE``
    order), ranking only the services near ``origin`` when that is enough. One query.

    Fresh services come first, so when ``limit`` fresh services lie within a radius,
    the first ``limit`` rows are all services with a venue in the box around that
    circle (a range on the location's (latitude, longitude) index). Each radius's
    services are a common table expression, and each branch of the union has a
    one-time filter (an InitPlan) that PostgreSQL tests before it reads the branch:
    a wider radius, or every service, is read only when the smaller radii fell short.
    """
    columns = ("pk", "distance", "stale_rank", "name")
    sql: list[str] = []
    params: list[Any] = []

    def add(text: str, values: Sequence[Any] = ()) -> None:
        sql.append(text)
        params.extend(values)

    def add_queryset(services: ServiceQuerySet) -> None:
        text, values = services.order_by().values_list(*columns).query.sql_with_params()
        add(text, values)

    def add_enough(i: int) -> None:
        add(
            f"(SELECT count(*) FROM (SELECT 1 FROM near_{i} WHERE stale_rank = 0 "
            "AND distance <= %s LIMIT %s) fresh) = %s",
            (NEAR_RADII_METRES[i], limit, limit),
        )

    for i, metres in enumerate(NEAR_RADII_METRES):
        add(f"{'WITH' if i == 0 else ','} near_{i} AS MATERIALIZED (")
        add_queryset(ordered.filter(pk__in=_located_in_box(origin, metres)))
        add(")")
    radii = len(NEAR_RADII_METRES)
    for i in range(radii + 1):
        add(" UNION ALL SELECT * FROM " if i else " SELECT * FROM ")
        if i < radii:
            add(f"near_{i}")
        else:
            # OFFSET 0: the one-time filter stays above the subquery (and its workers).
            add("(")
            add_queryset(ordered)
            add(" OFFSET 0) every_service")
        add(" WHERE TRUE")
        for shorter in range(i):
            add(" AND NOT ")
            add_enough(shorter)
        if i < radii:
            add(" AND ")
            add_enough(i)
    # BY_DISTANCE, by column number.
    add(" ORDER BY 3, 2 NULLS LAST, 4, 1 LIMIT %s", (limit,))
    with connection.cursor() as cursor:
        cursor.execute("".join(sql), params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _located_in_box(origin: tuple[float, float], metres: float) -> QuerySet[ServiceAtLocation, Any]:
    """The ids of services with a venue in the box around the circle of ``metres``."""
    half_height, half_width = box_degrees(origin, metres)
    latitude, longitude = origin
    return ServiceAtLocation.objects.filter(
        location__latitude__range=(latitude - half_height, latitude + half_height),
        location__longitude__range=(longitude - half_width, longitude + half_width),
    ).values("service_id")


class FreshFirstPages:
    """Services in ``services_order``'s order when nothing ranks them (no search words,
    no distance): fresh, then stale, each by name. For the ORUK list's paging.

    Sorting every service by its computed staleness on each request cost most of the
    list's time; instead one query counts the services and the fresh among them, and a
    page reads each part it spans from the (name, id) index with LIMIT and OFFSET.

    With ``cache_counts`` the counts are cached for ``COUNTS_CACHE_SECONDS`` under the
    listings version, which every save or delete of a service or an organisation
    changes: exact, without counting every service on each request. Only for services
    filtered by those two tables alone (the filters on terms, schedules and languages
    read tables whose bulk writes send no signal).
    """

    COUNTS_CACHE_SECONDS = 300

    def __init__(self, services: ServiceQuerySet, *, cache_counts: bool = False) -> None:
        self._services = services
        self._cutoff = listing_stale_cutoff()
        self._fresh = Q(assured_date__gte=self._cutoff)
        self._cache_counts = cache_counts
        self._counts: tuple[int, int] | None = None

    def count(self) -> int:
        return self._total_and_fresh()[0]

    def _total_and_fresh(self) -> tuple[int, int]:
        if self._counts is None:
            key = self._cache_key() if self._cache_counts else None
            cached: tuple[int, int] | None = cache.get(key) if key else None
            self._counts = cached or self._count()
            if key and cached is None:
                cache.set(key, self._counts, self.COUNTS_CACHE_SECONDS)
        return self._counts

    def _count(self) -> tuple[int, int]:
        counts = self._services.aggregate(total=Count("pk"), fresh=Count("pk", filter=self._fresh))
        return counts["total"], counts["fresh"]

    def _cache_key(self) -> str:
        query = hashlib.sha256(str(self._services.query).encode()).hexdigest()
        return f"directory:fresh-first-counts:{listings_version()}:{self._cutoff}:{query}"

    def __getitem__(self, index: slice) -> list[Service]:
        start, stop = index.start or 0, index.stop
        total, fresh = self._total_and_fresh()
        stop = total if stop is None else min(stop, total)
        if start >= stop:
            return []
        by_name = ("name", "pk")
        parts = []
        if start < fresh:
            part = self._services.filter(self._fresh).order_by(*by_name).values("pk")
            parts.append(Q(pk__in=part[start : min(stop, fresh)]))
        if stop > fresh:
            part = self._services.exclude(self._fresh).order_by(*by_name).values("pk")
            parts.append(Q(pk__in=part[max(start - fresh, 0) : stop - fresh]))
        fresh_first = Case(When(self._fresh, then=Value(0)), default=Value(1))
        page = self._services.filter(reduce(operator.or_, parts))
        return list(page.order_by(fresh_first, *by_name))
