"""Searching by words: the stored document on PostgreSQL, names and terms elsewhere."""

from __future__ import annotations

import operator
import uuid
from functools import reduce
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
from directory.synonyms import SearchPlan, search_plan
from directory.taxonomy import term_names, terms_named_like

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
    # SQLite (local use and tests): every word (or a synonym or correction of it) must
    # appear somewhere.
    for group in meaning(text).groups:
        hit: Any = Q()
        for word in group:
            term_hit = ServiceAttribute.objects.filter(
                service=OuterRef("pk"), taxonomy_term__name__icontains=word
            )
            hit |= Q(name__icontains=word) | Q(description__icontains=word) | Exists(term_hit)
        services = services.filter(hit)
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


def meaning(text: str) -> SearchPlan:
    """The words to look for: each typed word, a correction of it, and their synonyms
    (``directory.synonyms``); the taxonomy's term names are words it knows."""
    return search_plan(text, term_names(), limit=MAX_SEARCH_WORDS)


def _search_query(text: str) -> Any:
    """Web search syntax for the words as typed; when a word has synonyms or a
    correction, each word's group is OR-ed and the groups AND-ed."""
    from django.contrib.postgres.search import SearchQuery

    plan = meaning(text)
    if not plan.expanded:
        return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return reduce(operator.and_, [_group_query(group) for group in plan.groups])


def _group_query(group: tuple[str, ...]) -> Any:
    from django.contrib.postgres.search import SearchQuery

    return reduce(
        operator.or_, [SearchQuery(w, search_type="plain", config=SEARCH_CONFIG) for w in group]
    )


def terms_like(text: str) -> list[uuid.UUID]:
    """Terms named like the text; for one word, like any of its synonyms too."""
    plan = meaning(text)
    if len(plan.groups) != 1:
        return terms_named_like(text)
    return list(dict.fromkeys(t for word in plan.groups[0] for t in terms_named_like(word)))


def _postgres_search_groups(services: ServiceQuerySet, plan: SearchPlan) -> ServiceQuerySet:
    """Several words, one with synonyms or a correction: each word's group must match,
    by the document or by a term named like one of its words (a listing tagged "Older
    people" answers "older" though its text never says it)."""
    for group in plan.groups:
        hit = Q(document=_group_query(group))
        terms = list(dict.fromkeys(t for w in group for t in terms_named_like(w)))
        if terms:
            tagged = ServiceAttribute.objects.filter(taxonomy_term__in=terms)
            hit |= Q(pk__in=tagged.values("service_id"))
        services = services.filter(hit)
    return services


def _postgres_search(services: ServiceQuerySet, text: str) -> ServiceQuerySet:
    from django.contrib.postgres.search import SearchRank

    query = _search_query(text)
    services = services.annotate(document=StoredSearchDocument())
    rank = SearchRank(F("document"), query)
    # The terms come from the cache; most words name none, and then the search is the
    # document match alone, which the GIN index answers (OR-ed with a term match, it
    # is tested row by row over every service).
    plan = meaning(text)
    if plan.expanded and len(plan.groups) > 1:
        return _postgres_search_groups(services, plan).annotate(relevance=rank)
    terms = terms_like(text)
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
    terms = terms_like(text)
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
