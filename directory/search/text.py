"""Searching by words: the stored document on PostgreSQL, names and terms elsewhere."""

from __future__ import annotations

import uuid
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
    Value,
    When,
)
from django.db.models.expressions import Col

from directory.models import (
    Service,
    ServiceAttribute,
    ServiceQuerySet,
    listing_stale_cutoff,
)
from directory.taxonomy import terms_named_like

MAX_SEARCH_WORDS = 8
# The text search configuration of the stored document (migration 0004).
SEARCH_CONFIG = "english"


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
