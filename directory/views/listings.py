"""The directory in the browser: VCSE editors' self-service, the administrators'
review queue and the search page. Thin: check, call a service or queryset, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from directory import permissions as scope
from directory import services
from directory.forms import (
    LANGUAGE_NAMES,
    CapacityForm,
    OrganisationRegisterForm,
    SearchForm,
    ServiceForm,
)
from directory.models import CapacityStatus, Service
from directory.presenters import ListingPresenter
from directory.search import services_filter, services_order
from socialrx.core.models import Role, User
from socialrx.core.permissions import role_required

EDITOR_ROLES = (Role.VCSE_EDITOR, Role.DIRECTORY_ADMIN)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = default
    return redirect(target)


def _after_one_click(request: HttpRequest, service: Service, message: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        service = scope.service_for_editor(_user(request), service.id)
        return render(
            request,
            "directory/includes/listing_row.html",
            {"listing": ListingPresenter(service), "message": message},
        )
    messages.success(request, message)
    return _back(request, "directory:my_listings")


@role_required(Role.VCSE_EDITOR)
def my_listings(request: HttpRequest) -> HttpResponse:
    services_ = (
        scope.services_of_own_organisations(_user(request))
        .select_related("organization", "capacity")
        .with_stale_rank()
        .order_by("-stale_rank", "organization__name", "name")
    )
    listings = [ListingPresenter(s) for s in services_]
    user = _user(request)
    context = {
        "listings": listings,
        "pending": scope.directory_organisations_of(user).pending(),
        "can_register": scope.unlisted_organisations_of(user).exists(),
    }
    return render(request, "directory/my_listings.html", context)


@role_required(Role.VCSE_EDITOR)
def organisation_register(request: HttpRequest) -> HttpResponse:
    organisations = scope.unlisted_organisations_of(_user(request))
    form = OrganisationRegisterForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.organisation_register(
            organisation=data["organisation"],
            actor=_user(request),
            description=data["description"],
            email=data["email"],
            website=data["website"],
            request=request,
        )
        messages.success(request, "Thank you: the directory team will approve your listing.")
        return redirect("directory:my_listings")
    return render(request, "directory/organisation_register.html", {"form": form})


@role_required(*EDITOR_ROLES)
def service_confirm(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """GET shows one button (the reminder email links here); POST confirms."""
    service = scope.service_for_editor(_user(request), service_id)
    if request.method == "POST":
        services.service_confirm(service=service, actor=_user(request), request=request)
        return _after_one_click(request, service, f"{service.name}: confirmed as accurate.")
    return render(request, "directory/confirm.html", {"listing": ListingPresenter(service)})


@role_required(*EDITOR_ROLES)
@require_POST
def service_capacity_quick(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """One click: a new capacity status, keeping the weekly limit and expected wait."""
    service = scope.service_for_editor(_user(request), service_id)
    status = request.POST.get("status", "")
    if status not in CapacityStatus.values:
        messages.error(request, "Choose whether you can take referrals.")
        return _back(request, "directory:my_listings")
    current = ListingPresenter(service).capacity
    services.service_capacity_set(
        service=service,
        actor=_user(request),
        status=status,
        expected_wait_weeks=current.expected_wait_weeks if current else None,
        maximum=current.maximum if current else None,
        request=request,
    )
    label = CapacityStatus(status).label
    return _after_one_click(request, service, f"{service.name}: {label.lower()}.")


@role_required(*EDITOR_ROLES)
def service_capacity(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(_user(request), service_id)
    capacity = ListingPresenter(service).capacity
    initial = {
        "status": capacity.status if capacity else CapacityStatus.ACCEPTING,
        "expected_wait_weeks": capacity.expected_wait_weeks if capacity else None,
        "maximum": capacity.maximum if capacity else None,
        "available": capacity.available if capacity else None,
    }
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.service_capacity_set(
            service=service, actor=_user(request), request=request, **form.cleaned_data
        )
        messages.success(request, f"{service.name}: capacity updated.")
        return _back(request, "directory:my_listings")
    return render(request, "directory/capacity.html", {"form": form, "service": service})


@role_required(*EDITOR_ROLES)
def service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(_user(request), service_id)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        change = services.service_update(
            service=scope.service_for_editor(_user(request), service_id),
            actor=_user(request),
            fields=form.service_fields(),
            terms=form.terms(),
            language_codes=form.cleaned_data["languages"],
            language_names=LANGUAGE_NAMES,
            request=request,
        )
        messages.success(
            request, f"{service.name}: changes published." if change else "Nothing had changed."
        )
        return _back(request, "directory:my_listings")
    return render(request, "directory/service_form.html", {"form": form, "service": service})


@role_required(*EDITOR_ROLES)
def service_history(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(_user(request), service_id)
    changes = service.changes.select_related("actor")
    return render(request, "directory/history.html", {"service": service, "changes": changes})


REVIEW_PAGE_SIZE = 50


@role_required(Role.DIRECTORY_ADMIN)
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(scope.services_awaiting_review(), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "organisations": scope.organisations_pending(),
        "page": page,
        "listings": [ListingPresenter(s) for s in page.object_list],
    }
    return render(request, "directory/review_queue.html", context)


@role_required(Role.DIRECTORY_ADMIN)
@require_POST
def service_mark_reviewed(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_any(service_id)
    services.service_mark_reviewed(service=service, actor=_user(request), request=request)
    messages.success(request, f"{service.name}: reviewed.")
    return _back(request, "directory:review_queue")


@role_required(Role.DIRECTORY_ADMIN)
@require_POST
def organisation_decide(request: HttpRequest, organization_id: uuid.UUID) -> HttpResponse:
    organization = scope.organisation_pending(organization_id)
    approve = request.POST.get("decision") == "approve"
    services.organisation_decide(
        organization=organization, actor=_user(request), approve=approve, request=request
    )
    verb = "approved: its services are now published" if approve else "not approved"
    messages.success(request, f"{organization.name} {verb}.")
    return redirect("directory:review_queue")


SEARCH_PAGE_SIZE = 20


def search(request: HttpRequest) -> HttpResponse:
    """Public: the directory holds no personal data. A constant number of queries
    whatever the number of results."""
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "searched": bool(request.GET)}
    if form.is_bound and form.is_valid():
        filters = form.filters()
        results = services_order(
            services_filter(scope.services_published(), filters),
            by_distance=filters.origin is not None,
        ).for_display()
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context |= {
            "page": page,
            "listings": [ListingPresenter(s) for s in page.object_list],
            "query": query.urlencode(),
        }
    return render(request, "directory/search.html", context)


def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """Public: one published listing in full."""
    service = scope.service_published_full(service_id)
    return render(request, "directory/service_detail.html", {"listing": ListingPresenter(service)})
