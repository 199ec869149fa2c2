"""Public pages: search and one listing. The directory holds no personal data."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from directory import selectors
from directory.forms.search import SearchForm
from directory.presenters import (
    ListingPresenter,
    ResultsSummary,
    SearchCard,
    service_detail_urls,
)
from directory.search import SEARCH_RESULTS_CAP, ranked_search

SEARCH_PAGE_SIZE = 20


def search(request: HttpRequest) -> HttpResponse:
    """Public: the directory holds no personal data. A constant number of queries
    whatever the number of results."""
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "searched": bool(request.GET)}
    if form.is_bound and form.is_valid():
        filters = form.filters()
        results = ranked_search(
            selectors.services_published(),
            filters,
            selectors.search_results_of,
            cap=SEARCH_RESULTS_CAP,
        )
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        url = service_detail_urls()
        terms = selectors.term_names_of([s.id for s in page.object_list])
        # One date for every card: each asking for it costs a time zone conversion.
        today = timezone.localdate()
        context |= {
            "page": page,
            "cards": [
                SearchCard(ListingPresenter(s, today, url(s.id), terms.get(s.id, [])))
                for s in page.object_list
            ],
            "summary": ResultsSummary(results, filters),
        }
    return render(request, "directory/search.html", context)


def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Public: one published listing in full."""
    service = selectors.service_published_full(service_id)
    return render(request, "directory/service_detail.html", {"listing": ListingPresenter(service)})
