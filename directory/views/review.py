"""The directory administrators' review queue and organisation approval."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from directory import permissions as scope
from directory import services
from directory.presenters import ListingPresenter
from directory.views._common import back as _back
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required

REVIEW_PAGE_SIZE = 50


@role_required(Role.DIRECTORY_ADMIN)
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def service_mark_reviewed(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_any(service_id)
    services.service_mark_reviewed(service=service, actor=request.user, request=request)
    messages.success(request, f"{service.name}: reviewed.")
    return _back(request, "directory:review_queue")


@role_required(Role.DIRECTORY_ADMIN)
@require_POST
def organisation_decide(
    request: AuthenticatedHttpRequest, organization_id: uuid.UUID
) -> HttpResponse:
    organization = scope.organisation_pending(organization_id)
    approve = request.POST.get("decision") == "approve"
    services.organisation_decide(
        organization=organization, actor=request.user, approve=approve, request=request
    )
    verb = "approved: its services are now published" if approve else "not approved"
    messages.success(request, f"{organization.name} {verb}.")
    return redirect("directory:review_queue")
