"""Onward connections: the link worker's pages on a case, and the service's side.

Link worker pages reach the case through ``case_for`` (another team's case is 404);
service pages reach connections through ``connection_to_service_of`` (another
organisation's is 404, and suggestions and private case notes are never there).
Every page showing a person's details writes an audit entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from directory.geo import postcode_centroid
from directory.presenters import METRES_PER_MILE, ListingPresenter
from directory.selectors import service_published_full, services_published
from linkworkers import codes
from linkworkers.connections.eligibility import (
    eligibility_for,
    ineligible_reason_needed,
    person_facts,
)
from linkworkers.connections.forms import (
    ConnectForm,
    FindServiceForm,
    ReferForm,
    ServiceDeclineForm,
    UnmetNeedForm,
)
from linkworkers.connections.presenters import ConnectionRow, ServiceChoice
from linkworkers.connections.services import lifecycle as svc
from linkworkers.connections.services.search import case_needs, services_for_need
from linkworkers.connections.track_record import TrackRecord, track_record_for
from linkworkers.models import Connection
from linkworkers.permissions import (
    CASE_ROLES,
    case_for,
    connection_of_case_for,
    connection_to_service_of,
    connections_of_case_for,
    connections_to_services_of,
)
from socialrx.core.audit import audit_list, audit_views
from socialrx.core.forms import add_service_errors
from socialrx.core.http import AuthenticatedHttpRequest
from socialrx.core.models import Role
from socialrx.core.permissions import role_required

PAGE_SIZE = 20


# --- the link worker's side -------------------------------------------------------------


@role_required(*CASE_ROLES)
def case_connections(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The case's connections with their history, and unmet needs recorded."""
    case = case_for(request.user, case_pk)
    audit_views(request=request, objs=[case], person_ids=[case.referral.person_id])
    connections = connections_of_case_for(request.user, case).for_display()
    return render(
        request,
        "linkworkers/connections/case_connections.html",
        {
            "case": case,
            "person": case.referral.person,
            "rows": [ConnectionRow(c, codes.ConnectionSide.PERSON) for c in connections],
            "unmet_needs": list(case.unmet_needs.all()),
            "can_act": request.user.has_role(Role.LINK_WORKER) and case.is_open,
            "refer_form": ReferForm(),
        },
    )


@role_required(Role.LINK_WORKER)
def connection_choose(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Find a service, pre-filtered by the greatest need the assessment recorded, nearest
    the person first; capacity and track record shown. A constant number of queries."""
    case = case_for(request.user, case_pk)
    audit_views(request=request, objs=[case], person_ids=[case.referral.person_id])
    needs = case_needs(case)
    choices = [
        (n.domain, f"{n.get_domain_display()} ({n.get_need_level_display().lower()})")
        for n in needs
    ]
    choices += [c for c in codes.LifeDomain.choices if c[0] not in {n.domain for n in needs}]
    data = request.GET if request.GET else {"need": needs[0].domain if needs else ""}
    form = FindServiceForm(data, needs=choices)
    filters = form.cleaned_data if form.is_valid() else {}
    origin = postcode_centroid(case.referral.person.postcode or "")
    facts = person_facts(case)
    within = filters.get("within")
    services = services_for_need(
        domain=filters.get("need", ""),
        text=filters.get("q", ""),
        accepting_only=bool(filters.get("accepting")),
        origin=origin,
        audience=filters.get("who_for"),
        language=filters.get("language", ""),
        proximity=float(within) * METRES_PER_MILE if within else None,
        eligible_for=facts if filters.get("eligible") else None,
    )
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkworkers/connections/choose.html",
        {
            "case": case,
            "person": case.referral.person,
            "form": form,
            "page": page,
            "choices": [
                ServiceChoice(ListingPresenter(s), TrackRecord.of(s), eligibility_for(s, facts))
                for s in page
            ],
            "sorted_by_distance": origin is not None,
        },
    )


@role_required(Role.LINK_WORKER)
def connection_new(
    request: AuthenticatedHttpRequest, case_pk: int, service_id: uuid.UUID
) -> HttpResponse:
    case = case_for(request.user, case_pk)
    service = service_published_full(service_id)
    accepting = svc.is_accepting(service)
    eligibility = eligibility_for(service, person_facts(case))
    form = ConnectForm(
        request.POST if request.method == "POST" else None,
        accepting=accepting,
        ineligible_reason_needed=ineligible_reason_needed(eligibility),
        initial={"domain": request.GET.get("need")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            connection = svc.connection_create(
                case=case,
                service=service,
                actor=request.user,
                domain=form.cleaned_data["domain"],
                note=form.cleaned_data["note"],
                consent_to_share=form.cleaned_data["consent_to_share"],
                send_now=form.send_now,
                confirm_not_accepting=form.cleaned_data.get("confirm_not_accepting", False),
                ineligible_reason=form.cleaned_data.get("ineligible_reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{connection.get_status_display()}: {service.name}")
            return redirect("linkworkers:case_connections", case.pk)
    audit_views(request=request, objs=[case], person_ids=[case.referral.person_id])
    return render(
        request,
        "linkworkers/connections/connect.html",
        {
            "case": case,
            "person": case.referral.person,
            "listing": ListingPresenter(service),
            "record": track_record_for(service),
            "accepting": accepting,
            "eligibility": eligibility,
            "form": form,
        },
    )


def _refer(request: AuthenticatedHttpRequest, connection: Connection) -> Connection:
    form = ReferForm(request.POST)
    form.is_valid()
    consent = bool(form.cleaned_data.get("consent_to_share"))
    return svc.connection_refer(connection=connection, actor=request.user, consent_to_share=consent)


PERSON_STEPS: dict[str, Callable[[AuthenticatedHttpRequest, Connection], Connection]] = {
    "refer": _refer,
    "start": lambda r, c: svc.connection_start(connection=c, actor=r.user),
    "complete": lambda r, c: svc.connection_complete(connection=c, actor=r.user),
    "decline": lambda r, c: svc.connection_decline_by_person(connection=c, actor=r.user),
}


@require_POST
@role_required(Role.LINK_WORKER)
def connection_act(
    request: AuthenticatedHttpRequest, case_pk: int, pk: int, action: str
) -> HttpResponse:
    case = case_for(request.user, case_pk)
    connection = connection_of_case_for(request.user, case, pk)
    if action not in PERSON_STEPS:
        raise Http404("No such action")
    try:
        connection = PERSON_STEPS[action](request, connection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{connection.service.name}: {connection.get_status_display()}")
    return redirect("linkworkers:case_connections", case.pk)


@role_required(Role.LINK_WORKER)
def unmet_need_new(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = case_for(request.user, case_pk)
    form = UnmetNeedForm(
        request.POST if request.method == "POST" else None,
        initial={"domain": request.GET.get("need")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.unmet_need_record(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Unmet need recorded")
            return redirect("linkworkers:case_connections", case.pk)
    audit_views(request=request, objs=[case], person_ids=[case.referral.person_id])
    return render(
        request,
        "linkworkers/connections/unmet_need.html",
        {"case": case, "person": case.referral.person, "form": form},
    )


@role_required(Role.LINK_WORKER, Role.SERVICE_MANAGER, Role.DIRECTORY_ADMIN)
def track_record_fragment(request: AuthenticatedHttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """The service's track record as an HTML fragment, for ``hx-get`` from the directory's
    service page (which may not import this app). Aggregate only: no personal data."""
    service = services_published().filter(id=service_id).first()
    if service is None:
        raise Http404("No such service")
    return render(
        request,
        "linkworkers/connections/includes/track_record.html",
        {"record": track_record_for(service), "fragment": True},
    )


# --- the service's side ---------------------------------------------------------------


@role_required(Role.VCSE_EDITOR)
def vcse_connections(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Connections sent to the editor's services: those awaiting an answer first. Names
    are shown, so the page is audited with the people on it."""
    connections = (
        connections_to_services_of(request.user)
        .select_related("service", "case__referral__person")
        .awaiting_answer_first()
    )
    page = Paginator(connections, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [ConnectionRow(c, codes.ConnectionSide.SERVICE) for c in page]
    audit_list(
        request=request,
        listing="service_connections",
        records=[r.connection for r in rows],
        person_of=lambda c: c.case.referral.person_id,
    )
    return render(request, "linkworkers/connections/vcse_list.html", {"page": page, "rows": rows})


@role_required(Role.VCSE_EDITOR)
def vcse_connection(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One connection: the person's name and contact details, what they hope for, and
    the answer buttons. Nothing else of the case."""
    connection = connection_to_service_of(request.user, pk)
    form = ServiceDeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.connection_decline(connection=connection, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Connection {connection.pk} declined")
            return redirect("linkworkers:vcse_connections")
    audit_views(request=request, objs=[connection, connection.case.referral.person])
    return render(
        request,
        "linkworkers/connections/vcse_detail.html",
        {
            "row": ConnectionRow(connection, codes.ConnectionSide.SERVICE),
            "person": connection.case.referral.person,
            "form": form,
        },
    )


SERVICE_STEPS: dict[str, Callable[..., Connection]] = {
    "accept": svc.connection_accept,
    "start": svc.connection_start,
    "complete": svc.connection_complete,
}


@require_POST
@role_required(Role.VCSE_EDITOR)
def vcse_connection_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    connection = connection_to_service_of(request.user, pk)
    if action not in SERVICE_STEPS:
        raise Http404("No such action")
    try:
        connection = SERVICE_STEPS[action](connection=connection, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Connection {connection.pk}: {connection.get_status_display()}")
    return redirect("linkworkers:vcse_connection", connection.pk)
