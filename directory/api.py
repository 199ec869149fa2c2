"""The Open Referral UK 3.0 API at /oruk/: public, read-only, no key.

The profile's own OpenAPI file documents these endpoints, so they are left out of our
drf-spectacular schema.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    renderer_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from directory import oruk, selectors
from directory.search import FreshFirstPages, ServiceFilters, services_filter, services_order


def oruk_endpoint(view: Callable[..., Response]) -> Callable[..., Response]:
    """GET only, anonymous, JSON, and open to any origin, errors included."""

    @extend_schema(exclude=True)
    @api_view(["GET"])
    @authentication_classes([])
    @permission_classes([AllowAny])
    @renderer_classes([JSONRenderer])
    @wraps(view)
    def wrapped(request: Request, *args: Any, **kwargs: Any) -> Response:
        return view(request, *args, **kwargs)

    def with_cors(request: Any, *args: Any, **kwargs: Any) -> Any:
        response = wrapped(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wraps(view)(with_cors)


@oruk_endpoint
def root(request: Request) -> Response:
    return Response(
        {"version": oruk.ORUK_VERSION, "profile": oruk.PROFILE_URL, "openapi_url": oruk.OPENAPI_URL}
    )


@oruk_endpoint
def service_list(request: Request) -> Response:
    filters = oruk.service_filters(request.query_params)
    page = oruk.page_request(request.query_params)
    services = selectors.services_for_feed(filters)
    if filters.text:
        pages: oruk.Pageable = services_order(services, by_distance=False)
    else:
        # The whole directory, the list aggregators harvest: its counts are cached.
        pages = FreshFirstPages(services, cache_counts=filters == ServiceFilters())
    return Response(oruk.page_json(pages, page, oruk.service_summary_json))


@oruk_endpoint
def service_detail(request: Request, service_id: uuid.UUID) -> Response:
    return Response(oruk.service_full_json(selectors.service_published_full(service_id)))


@oruk_endpoint
def service_at_location_list(request: Request) -> Response:
    filters = oruk.service_filters(request.query_params, with_place=True)
    page = oruk.page_request(request.query_params)
    services = services_filter(selectors.services_published(), filters)
    sals = selectors.service_at_locations_for(services, filters)
    return Response(oruk.page_json(sals, page, _sal_list_item))


def _sal_list_item(sal: Any) -> oruk.Json:
    return oruk.service_at_location_json(sal) | {"service": oruk.service_summary_json(sal.service)}


@oruk_endpoint
def service_at_location_detail(request: Request, sal_id: uuid.UUID) -> Response:
    return Response(
        oruk.service_at_location_detail_json(selectors.service_at_location_published(sal_id))
    )


@oruk_endpoint
def taxonomy_list(request: Request) -> Response:
    page = oruk.page_request(request.query_params)
    return Response(oruk.page_json(selectors.taxonomies(), page, oruk.taxonomy_json))


@oruk_endpoint
def taxonomy_detail(request: Request, taxonomy_id: uuid.UUID) -> Response:
    taxonomy = selectors.taxonomy_with_terms(taxonomy_id)
    return Response(oruk.taxonomy_json(taxonomy, with_terms=True))


@oruk_endpoint
def taxonomy_term_list(request: Request) -> Response:
    page = oruk.page_request(request.query_params)
    return Response(oruk.page_json(selectors.taxonomy_terms(), page, oruk.taxonomy_term_json))


@oruk_endpoint
def taxonomy_term_detail(request: Request, term_id: uuid.UUID) -> Response:
    return Response(oruk.taxonomy_term_json(selectors.taxonomy_term(term_id)))
