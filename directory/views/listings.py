"""VCSE editors keep their listings current: the listings page with its one-click
confirmation and capacity, the details and capacity forms, and the change history.
Thin: check, call a service or queryset, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from directory import permissions as scope
from directory import services
from directory.capacity import with_week_counts
from directory.forms.common import LANGUAGE_NAMES
from directory.forms.listings import CapacityForm, OrganisationRegisterForm, ServiceForm
from directory.models import ApprovalStatus, CapacityStatus, Service
from directory.presenters import ListingPresenter
from directory.views._common import EDITOR_ROLES
from directory.views._common import back as _back
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required

# As the capacity form allows.
MAX_WEEKLY_LIMIT = 10_000


def _after_one_click(
    request: AuthenticatedHttpRequest, service: Service, message: str
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        scope.service_for_editor(request.user, service.id)  # still theirs, or 404
        service = (
            with_week_counts(scope.services_of_own_organisations(request.user))
            .select_related("organization", "capacity")
            .get(pk=service.pk)
        )
        return render(
            request,
            "directory/includes/listing_row.html",
            {"listing": ListingPresenter(service), "message": message},
        )
    messages.success(request, message)
    return _back(request, "directory:my_listings")


@role_required(Role.VCSE_EDITOR)
def my_listings(request: AuthenticatedHttpRequest) -> HttpResponse:
    services_ = with_week_counts(
        scope.services_of_own_organisations(request.user)
        .select_related("organization", "capacity")
        .with_stale_rank()
        .order_by("-stale_rank", "organization__name", "name")
    )
    listings = [ListingPresenter(s) for s in services_]
    user = request.user
    # One query for both: the organisations to add services to, and those waiting.
    organisations = list(
        scope.directory_organisations_of(user).exclude(approval_status=ApprovalStatus.REJECTED)
    )
    context = {
        "listings": listings,
        "organisations": organisations,
        "pending": [o for o in organisations if o.approval_status == ApprovalStatus.PENDING],
        "can_register": scope.unlisted_organisations_of(user).exists(),
    }
    return render(request, "directory/my_listings.html", context)


@role_required(Role.VCSE_EDITOR)
def organisation_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = scope.unlisted_organisations_of(request.user)
    form = OrganisationRegisterForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.organisation_register(
            organisation=data["organisation"],
            actor=request.user,
            description=data["description"],
            email=data["email"],
            website=data["website"],
            request=request,
        )
        messages.success(request, "Thank you: the directory team will approve your listing.")
        return redirect("directory:my_listings")
    return render(request, "directory/organisation_register.html", {"form": form})


@role_required(*EDITOR_ROLES)
def service_confirm(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """GET shows one button (the reminder email links here); POST confirms."""
    service = scope.service_for_editor(request.user, service_id)
    if request.method == "POST":
        services.service_confirm(service=service, actor=request.user, request=request)
        return _after_one_click(request, service, f"{service.name}: confirmed as accurate.")
    return render(request, "directory/confirm.html", {"listing": ListingPresenter(service)})


@role_required(*EDITOR_ROLES)
@require_POST
def service_capacity_quick(
    request: AuthenticatedHttpRequest, service_id: uuid.UUID
) -> HttpResponse:
    """One click: a new capacity status, keeping the weekly limit and expected wait."""
    service = scope.service_for_editor(request.user, service_id)
    status = request.POST.get("status", "")
    if status not in CapacityStatus.values:
        messages.error(request, "Choose whether you can take referrals.")
        return _back(request, "directory:my_listings")
    current = ListingPresenter(service).capacity
    services.service_capacity_set(
        service=service,
        actor=request.user,
        status=status,
        expected_wait_weeks=current.expected_wait_weeks if current else None,
        maximum=current.maximum if current else None,
        request=request,
    )
    label = CapacityStatus(status).label
    return _after_one_click(request, service, f"{service.name}: {label.lower()}.")


@require_POST
@role_required(*EDITOR_ROLES)
def service_limit_quick(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """One click: a new weekly referral limit, keeping the status and expected wait."""
    service = scope.service_for_editor(request.user, service_id)
    raw = request.POST.get("maximum", "").strip()
    if not raw.isdigit() or int(raw) > MAX_WEEKLY_LIMIT:
        messages.error(request, f"Give the weekly limit as a number up to {MAX_WEEKLY_LIMIT:,}.")
        return _back(request, "directory:my_listings")
    current = ListingPresenter(service).capacity
    maximum = int(raw)
    available = current.available if current else None
    services.service_capacity_set(
        service=service,
        actor=request.user,
        status=current.status if current else CapacityStatus.ACCEPTING,
        expected_wait_weeks=current.expected_wait_weeks if current else None,
        maximum=maximum,
        # The stated places free cannot exceed the new limit.
        available=None if available is None else min(available, maximum),
        request=request,
    )
    return _after_one_click(request, service, f"{service.name}: weekly limit {maximum}.")


@role_required(*EDITOR_ROLES)
def service_capacity(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
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
            service=service, actor=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, f"{service.name}: capacity updated.")
        return _back(request, "directory:my_listings")
    return render(request, "directory/capacity.html", {"form": form, "service": service})


@role_required(*EDITOR_ROLES)
def service_edit(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        change = services.service_update(
            service=scope.service_for_editor(request.user, service_id),
            actor=request.user,
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
def service_history(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    changes = service.changes.select_related("actor")
    return render(request, "directory/history.html", {"service": service, "changes": changes})
