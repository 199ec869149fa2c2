"""Putting results in order and paging through them: nearest first, fresh first."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import reduce
from typing import Any, overload

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import (
    Case,
    Count,
    Q,
    Value,
    When,
)

from directory.geo import (
    METRES_PER_DEGREE_LATITUDE,
    box_degrees,
    metres_per_degree_longitude,
)
from directory.models import (
    Location,
    Service,
    ServiceAtLocation,
    ServiceQuerySet,
    listing_stale_cutoff,
    listings_version,
)
from directory.search.filters import (
    ServiceFilters,
    is_broad_search,
    services_filter,
    services_order,
)
from directory.search.text import broad_search_rows

# A search by distance on PostgreSQL ranks the services near the origin, within the
# first of these radii that holds a full set of results, and every service only when
# none does: ranking the whole of a broad category cost time in proportion to the
# directory (docs/performance.md).
NEAR_RADII_METRES = (4_000.0, 16_000.0)
# A search by distance that matches no more services than this ranks them all at once:
# reading the radii first cost more than it saved (issue 15; a county's category holds
# about 1,000 services).
SMALL_MATCHES = 2_000


def ranked_search(
    services: ServiceQuerySet,
    filters: ServiceFilters,
    shown: Callable[[list[uuid.UUID]], Iterable[Service]],
    *,
    cap: int,
) -> RankedServices:
    """The first ``cap`` of ``services`` that ``filters`` match, in the search's order:
    listed by how they match for a broad search (``is_broad_search``), nearest first when
    there is an origin, else most relevant first; each fresh before stale."""
    if is_broad_search(filters):
        rows = [(pk,) for pk in broad_search_rows(services, filters.text, cap + 1)]
        return RankedServices(rows, shown, cap=cap, broad=True)
    origin = filters.origin
    if origin is not None and connection.vendor == "postgresql":
        # ``nearest_rows`` finds the distances itself: the distance subquery per service
        # is built only when a distance limit filters on it (its ORM build cost as much
        # as the rest of the search's queryset; issue 15).
        if filters.proximity is None:
            filters = dataclasses.replace(filters, origin=None)
        matches = services_filter(services, filters)
        return RankedServices(nearest_rows(matches, origin, cap + 1), shown, cap=cap)
    ordered = services_order(services_filter(services, filters), by_distance=origin is not None)
    fields = ("pk", "distance") if origin is not None else ("pk",)
    return RankedServices(list(ordered.values_list(*fields)[: cap + 1]), shown, cap=cap)


class RankedServices(Sequence[Service]):
    """The first ``cap`` services of an ordered search, for a ``Paginator``.

    ``rows`` are the ranked matches, up to ``cap + 1`` of them: (id,) or (id, distance)
    from one narrow query (``ranked_search``); slicing then fetches just that slice with
    ``shown`` (the services of the ids given, in any order), so a page costs the same
    whether 20 or 6,000 services match, and the matches are counted once.
    ``capped`` says more than ``cap`` matched: the page must say its count is a floor.
    ``broad``: listed by how each matches instead of ranked (``broad_search_rows``).
    """

    def __init__(
        self,
        rows: Sequence[tuple[Any, ...]],
        shown: Callable[[list[uuid.UUID]], Iterable[Service]],
        *,
        cap: int,
        broad: bool = False,
    ) -> None:
        self.cap = cap
        self.broad = broad
        self._shown = shown
        self.capped = len(rows) > cap
        kept = rows[:cap]
        self._ids: list[uuid.UUID] = [row[0] for row in kept]
        self._distances: dict[uuid.UUID, float | None] = (
            {row[0]: row[1] for row in kept} if kept and len(kept[0]) > 1 else {}
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
        found = {s.pk: s for s in self._shown(ids)}
        services = [found[pk] for pk in ids if pk in found]
        if self._distances:
            for service in services:
                # The presenter reads the distance the ranking query computed.
                service.distance = self._distances[service.pk]  # type: ignore[attr-defined]
        return services


def nearest_rows(
    matches: ServiceQuerySet, origin: tuple[float, float], limit: int
) -> list[tuple[uuid.UUID, float | None]]:
    """The first ``limit`` (id, distance) rows of ``matches`` in ``BY_DISTANCE`` order
    (its ``stale_rank``, then the distance to its nearest venue from ``origin``, name and
    id), ranking only the services near ``origin`` when that is enough. One query.

    Fresh services come first, so when ``limit`` fresh services lie within a radius,
    the first ``limit`` rows are all services with a venue in the box around that
    circle (a range on the location's (latitude, longitude) index). Each radius's
    services are a common table expression, and each branch of the union has a
    one-time filter (an InitPlan) that PostgreSQL tests before it reads the branch:
    a wider radius, or every service, is read only when the smaller radii fell short.
    ``matches`` is written into the SQL once, as a common table expression PostgreSQL
    folds into each place that reads it: building its SQL once a radius through the ORM
    cost more Python than the rest of the page's ranking (issue 17).

    Each branch finds its distances by joining the services to their venues and taking
    the least per service, where ``nearest_location_distance`` is a subquery per service:
    two index probes a service, which for a category of a thousand services cost twice
    the join (issue 15). Within a radius only the venues in its box are joined: a
    service's nearest venue within the circle is in the box, and the rows further away
    (whose distance the box may overstate) come after the ``limit`` that made the radius
    enough.
    """
    columns = ("pk", "stale_rank", "name")
    matches_sql, params = matches.order_by().values_list(*columns).query.sql_with_params()
    sql = [f"WITH matches AS NOT MATERIALIZED ({matches_sql})"]
    values: list[Any] = list(params)

    def add(text: str, more: Sequence[Any] = ()) -> None:
        sql.append(text)
        values.extend(more)

    def add_enough(i: int) -> None:
        add(
            f"(SELECT count(*) FROM (SELECT 1 FROM near_{i} WHERE stale_rank = 0 "
            "AND distance <= %s LIMIT %s) fresh) = %s",
            (NEAR_RADII_METRES[i], limit, limit),
        )

    within_box, ranked = _venue_distance_sql(connection.alias)
    # Up to SMALL_MATCHES + 1 of the matches, kept: when that is all of them, they are
    # ranked as they are and no radius is read (the rings cost more than they save).
    add(f", few AS MATERIALIZED (SELECT * FROM matches LIMIT {SMALL_MATCHES + 1})")
    # Counted once: each branch's test reads the one row.
    add(", few_count AS MATERIALIZED (SELECT count(*) AS n FROM few)")
    for i, metres in enumerate(NEAR_RADII_METRES):
        add(f", near_{i} AS MATERIALIZED (")
        add(within_box, _distance_values(origin) + _box_values(origin, metres))
        add(")")
    add(" SELECT * FROM (")
    add(ranked.format(services="few"), _distance_values(origin))
    add(f") few_ranked WHERE (SELECT n FROM few_count) <= {SMALL_MATCHES}")
    radii = len(NEAR_RADII_METRES)
    for i in range(radii + 1):
        add(" UNION ALL SELECT * FROM ")
        if i < radii:
            add(f"near_{i}")
        else:
            # OFFSET 0: the one-time filter stays above the subquery (and its workers).
            add("(")
            add(
                ranked.format(services="(SELECT * FROM matches OFFSET 0)"), _distance_values(origin)
            )
            add(") every_service")
        add(f" WHERE (SELECT n FROM few_count) > {SMALL_MATCHES}")
        for shorter in range(i):
            add(" AND NOT ")
            add_enough(shorter)
        if i < radii:
            add(" AND ")
            add_enough(i)
    # BY_DISTANCE, by column number.
    add(" ORDER BY 3, 2 NULLS LAST, 4, 1 LIMIT %s", (limit,))
    with connection.cursor() as cursor:
        cursor.execute("".join(sql), values)
        return [(row[0], row[1]) for row in cursor.fetchall()]


# A venue's distance from the origin, as ``directory.geo.distance_metres`` writes it (the
# same arithmetic, so the same figures): longitude, its metres a degree, latitude, its.
_DISTANCE = (
    "SQRT(((l.{lon} - %s) * %s) * ((l.{lon} - %s) * %s)"
    " + ((l.{lat} - %s) * %s) * ((l.{lat} - %s) * %s))"
)


@functools.cache
def _venue_distance_sql(alias: str) -> tuple[str, str]:
    """Two SELECTs of (id, distance, stale_rank, name) from ``matches``, written once
    per database: the services with a venue in a box (its distance by those venues),
    and every service (null when it has no located venue). Their values are
    ``_distance_values``, then for the first ``_box_values``."""
    q = connections[alias].ops.quote_name
    lat, lon = q("latitude"), q("longitude")
    venues, locations = q(ServiceAtLocation._meta.db_table), q(Location._meta.db_table)
    on_venue = f"sl.{q('service_id')} = m.pk"
    on_location = f"l.{q('id')} = sl.{q('location_id')}"
    chosen = (
        f"SELECT m.pk, min({_DISTANCE.format(lat=lat, lon=lon)}) AS distance, m.stale_rank, m.name"
    )
    within_box = (
        f"{chosen} FROM matches m JOIN {venues} sl ON {on_venue}"
        f" JOIN {locations} l ON {on_location}"
        f" WHERE l.{lat} BETWEEN %s AND %s AND l.{lon} BETWEEN %s AND %s GROUP BY 1, 3, 4"
    )
    # ``{services}``: the services to rank, filled in by the caller.
    ranked = (
        f"{chosen} FROM {{services}} m LEFT JOIN {venues} sl ON {on_venue}"
        f" LEFT JOIN {locations} l ON {on_location} AND l.{lat} IS NOT NULL GROUP BY 1, 3, 4"
    )
    return within_box, ranked


def _distance_values(origin: tuple[float, float]) -> list[float]:
    latitude, longitude = origin
    kx = metres_per_degree_longitude(latitude)
    ky = METRES_PER_DEGREE_LATITUDE
    return [longitude, kx, longitude, kx, latitude, ky, latitude, ky]


def _box_values(origin: tuple[float, float], metres: float) -> list[float]:
    half_height, half_width = box_degrees(origin, metres)
    latitude, longitude = origin
    return [
        latitude - half_height,
        latitude + half_height,
        longitude - half_width,
        longitude + half_width,
    ]


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
