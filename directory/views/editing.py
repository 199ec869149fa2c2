"""VCSE editors' listing pages beyond the one-click actions: an overview of one
listing with a change link per fact, and one short page per change (a new service, who
it is for, a place, opening times, a contact). Directory administrators may use them
on any listing. Each change is published at once by a service in ``services``."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from directory import permissions as scope
from directory import services
from directory.forms.editing import (
    ContactForm,
    EligibilityForm,
    NewServiceForm,
    OpeningTimesForm,
    PlaceForm,
)
from directory.models import ApprovalStatus, Service
from directory.presenters import ListingEditor, ListingPresenter
from directory.taxonomy import AUDIENCE
from directory.views._common import EDITOR_ROLES
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.permissions import role_required


def _home(request: AuthenticatedHttpRequest) -> str:
    """Where an editor's journey starts: administrators have no listings page."""
    if scope.is_directory_admin(request.user):
        return reverse("directory:review_queue")
    return reverse("directory:my_listings")


def _manage_url(service: Service) -> str:
    return reverse("directory:service_manage", args=[service.id])


def _page(
    request: AuthenticatedHttpRequest,
    form: Form,
    *,
    heading: str,
    back_href: str,
    intro: str = "",
    remove_url: str = "",
    remove_label: str = "",
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "heading": heading,
        "back_href": back_href,
        "intro": intro or "Changes are published straight away and the directory team sees them.",
        "remove_url": remove_url,
        "remove_label": remove_label,
    }
    return render(request, "directory/edit_form.html", context)


def _published(request: AuthenticatedHttpRequest, service: Service, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(_manage_url(service))


@role_required(*EDITOR_ROLES)
def service_manage(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor_full(request.user, service_id)
    context = {
        "service": service,
        "listing": ListingPresenter(service),
        "editor": ListingEditor(service),
        "back_href": _home(request),
    }
    return render(request, "directory/manage.html", context)


@role_required(*EDITOR_ROLES)
def service_new(request: AuthenticatedHttpRequest, organization_id: uuid.UUID) -> HttpResponse:
    organization = scope.organisation_for_new_service(request.user, organization_id)
    form = NewServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = services.service_create(
            organization=organization,
            actor=request.user,
            name=data["name"],
            description=data["description"],
            terms=data["categories"],
            referral_routes=data["referral_routes"],
            request=request,
        )
        live = organization.approval_status == ApprovalStatus.APPROVED
        when = "is published" if live else "will be published once your organisation is approved"
        return _published(
            request, service, f"{service.name} {when}. Now add where and when it runs."
        )
    return _page(
        request, form, heading=f"Add a service to {organization.name}", back_href=_home(request),
        intro="Start with the basics. Next you can add where and when it runs.",
    )  # fmt: skip


@role_required(*EDITOR_ROLES)
def service_eligibility(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    initial = {
        "audiences": list(service.taxonomy_terms.filter(taxonomy__code=AUDIENCE)),
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "gender_only": service.gender_only,
        "only_for": service.only_for_list,
        "areas_served": ", ".join(service.areas_served_list),
    }
    form = EligibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.service_eligibility_update(
            service=service, actor=request.user, request=request, **form.cleaned_data
        )
        return _published(request, service, f"{service.name}: who it is for is updated.")
    return _page(
        request, form, heading=f"Who {service.name} is for", back_href=_manage_url(service)
    )


# --- places --------------------------------------------------------------------------


@role_required(*EDITOR_ROLES)
def location_add(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.location_add(
            service=service, actor=request.user, place=form.place(), request=request
        )
        return _published(request, service, f"{service.name}: place added.")
    return _page(
        request, form, heading=f"Add a place where {service.name} runs",
        back_href=_manage_url(service),
    )  # fmt: skip


@role_required(*EDITOR_ROLES)
def location_edit(
    request: AuthenticatedHttpRequest, service_id: uuid.UUID, location_id: uuid.UUID
) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    location = scope.location_of(service, location_id)
    form = PlaceForm(request.POST or None, location=location)
    if request.method == "POST" and form.is_valid():
        services.location_update(
            service=service,
            location=location,
            actor=request.user,
            place=form.place(),
            request=request,
        )
        return _published(request, service, f"{service.name}: place updated.")
    return _page(
        request, form, heading=f"Change {location.name or 'this place'}",
        back_href=_manage_url(service),
        intro="Changes are published straight away, for every service held here.",
        remove_url=reverse("directory:location_remove", args=[service.id, location.id]),
        remove_label=f"{service.name} no longer runs here",
    )  # fmt: skip


@role_required(*EDITOR_ROLES)
@require_POST
def location_remove(
    request: AuthenticatedHttpRequest, service_id: uuid.UUID, location_id: uuid.UUID
) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    location = scope.location_of(service, location_id)
    services.location_remove(
        service=service, location=location, actor=request.user, request=request
    )
    return _published(request, service, f"{service.name}: place removed.")


# --- opening times ---------------------------------------------------------------------


@role_required(*EDITOR_ROLES)
def schedule_add(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    form = OpeningTimesForm(request.POST or None, places=service.service_at_locations.all())
    if request.method == "POST" and form.is_valid():
        services.schedule_add(
            service=service, actor=request.user, times=form.times(), request=request
        )
        return _published(request, service, f"{service.name}: opening times added.")
    return _page(
        request, form, heading=f"When {service.name} is open", back_href=_manage_url(service),
        intro="Add one set of hours at a time: different hours on other days can be added next.",
    )  # fmt: skip


@role_required(*EDITOR_ROLES)
def schedule_edit(
    request: AuthenticatedHttpRequest, service_id: uuid.UUID, schedule_id: uuid.UUID
) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    schedule = scope.schedule_of(service, schedule_id)
    form = OpeningTimesForm(
        request.POST or None, places=service.service_at_locations.all(), schedule=schedule
    )
    if request.method == "POST" and form.is_valid():
        services.schedule_update(
            service=service,
            schedule=schedule,
            actor=request.user,
            times=form.times(),
            request=request,
        )
        return _published(request, service, f"{service.name}: opening times updated.")
    return _page(
        request, form, heading=f"Change when {service.name} is open",
        back_href=_manage_url(service),
        remove_url=reverse("directory:schedule_remove", args=[service.id, schedule.id]),
        remove_label="Remove these opening times",
    )  # fmt: skip


@role_required(*EDITOR_ROLES)
@require_POST
def schedule_remove(
    request: AuthenticatedHttpRequest, service_id: uuid.UUID, schedule_id: uuid.UUID
) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    schedule = scope.schedule_of(service, schedule_id)
    services.schedule_remove(
        service=service, schedule=schedule, actor=request.user, request=request
    )
    return _published(request, service, f"{service.name}: opening times removed.")


# --- contacts ---------------------------------------------------------------------------


@role_required(*EDITOR_ROLES)
def contact_add(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_add(
            service=service, actor=request.user, details=form.details(), request=request
        )
        return _published(request, service, f"{service.name}: contact added.")
    return _page(
        request, form, heading=f"Add a contact for {service.name}",
        back_href=_manage_url(service),
        intro="Shown to the public: give a work email or phone, not a personal one.",
    )  # fmt: skip


@role_required(*EDITOR_ROLES)
def contact_edit(
    request: AuthenticatedHttpRequest, service_id: uuid.UUID, contact_id: uuid.UUID
) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    contact = scope.contact_of(service, contact_id)
    form = ContactForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_update(
            service=service,
            contact=contact,
            actor=request.user,
            details=form.details(),
            request=request,
        )
        return _published(request, service, f"{service.name}: contact updated.")
    return _page(
        request, form, heading=f"Change a contact for {service.name}",
        back_href=_manage_url(service),
        remove_url=reverse("directory:contact_remove", args=[service.id, contact.id]),
        remove_label="Remove this contact",
    )  # fmt: skip


@role_required(*EDITOR_ROLES)
@require_POST
def contact_remove(
    request: AuthenticatedHttpRequest, service_id: uuid.UUID, contact_id: uuid.UUID
) -> HttpResponse:
    service = scope.service_for_editor(request.user, service_id)
    contact = scope.contact_of(service, contact_id)
    services.contact_remove(service=service, contact=contact, actor=request.user, request=request)
    return _published(request, service, f"{service.name}: contact removed.")
